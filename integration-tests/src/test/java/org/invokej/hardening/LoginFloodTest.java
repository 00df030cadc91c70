package org.invokej.hardening;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent password guesses: the throttle reserves each attempt before the password is checked, so a
 * flood from one client gets at most {@code login_throttle_failures} checks, and other users log in meanwhile;
 * many people behind one address (an office behind NAT) all log in at once.
 */
class LoginFloodTest {

    private static final int FAILURES = 5;
    private static final int GUESSES = 70;
    private static final int PEOPLE = 50;

    @TempDir
    Path root;

    @Test
    void seventyConcurrentGuessesGetAtMostTheConfiguredChecksAndOthersLogIn() throws Exception {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "10",
                "bcrypt_threads", "1", "trusted_proxies", "127.0.0.1", "login_throttle_failures", Integer.toString(FAILURES)));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            accounts.create(admin, "victim@test.com", "Victim", false);
            accounts.create(admin, "other@test.com", "Other", false);

            TestClient attacker = server.client().withHeader("X-Forwarded-For", "203.0.113.7");
            TestClient bystander = server.client().withHeader("X-Forwarded-For", "198.51.100.1");
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TestResponse>> guesses = new ArrayList<>();
            for (int i = 0; i < GUESSES; i++) {
                String guess = "guess" + i;
                guesses.add(threads.submit(() -> {
                    go.await();
                    return attacker.post("/api/v1/auth/login", Map.of("email", "victim@test.com", "password", guess));
                }));
            }
            Future<TestResponse> honest = threads.submit(() -> {
                go.await();
                Thread.sleep(50); // into the flood, not before it
                return bystander.post("/api/v1/auth/login", Map.of("email", "other@test.com", "password", TestAccounts.PASSWORD));
            });
            go.countDown();

            int refused = 0;
            for (Future<TestResponse> guess : guesses) {
                TestResponse response = guess.get();
                assertTrue(response.status() == 401 || response.status() == 429, response.toString());
                refused += response.status() == 429 ? 1 : 0;
            }
            TestResponse login = honest.get();
            assertEquals(200, login.status(), "another user's login during the flood: " + login);

            JsonNode audit = admin.client().get("/api/v1/audit?limit=500").json().path("items");
            long checked = 0;
            for (JsonNode entry : audit) {
                if (entry.path("action").asText().equals("login_failed") && entry.path("actor_email").asText().equals("victim@test.com")) {
                    checked++;
                }
            }
            assertTrue(checked <= FAILURES, checked + " wrong passwords were checked");
            assertEquals(GUESSES - checked, refused, "every guess not checked was refused as throttled");
        }
    }

    @Test
    void fiftyPeopleBehindOneAddressLogInAtOnce() throws Exception {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "10",
                "bcrypt_threads", "1", "trusted_proxies", "127.0.0.1", "login_throttle_failures", Integer.toString(FAILURES)));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            for (int i = 0; i < PEOPLE; i++) {
                TestResponse created = admin.client().post("/api/v1/auth/users", Map.of("email", "person" + i + "@test.com",
                        "display_name", "Person " + i, "password", TestAccounts.PASSWORD, "is_admin", false));
                assertEquals(201, created.status(), created.toString());
            }

            TestClient office = server.client().withHeader("X-Forwarded-For", "192.0.2.10");
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TestResponse>> logins = new ArrayList<>();
            for (int i = 0; i < PEOPLE; i++) {
                String email = "person" + i + "@test.com";
                logins.add(threads.submit(() -> {
                    go.await();
                    return office.post("/api/v1/auth/login", Map.of("email", email, "password", TestAccounts.PASSWORD));
                }));
            }
            go.countDown();

            for (Future<TestResponse> login : logins) {
                TestResponse response = login.get();
                assertEquals(200, response.status(), "a correct login from a shared address: " + response);
            }
        }
    }

    @Test
    void oneAddressSprayingManyAccountsAtOnceGetsAtMostItsFailuresChecked() throws Exception {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "10",
                "bcrypt_threads", "1", "trusted_proxies", "127.0.0.1", "login_throttle_failures", Integer.toString(FAILURES)));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");

            // Unknown accounts cost the same check as known ones, so the spray needs no real accounts.
            TestClient sprayer = server.client().withHeader("X-Forwarded-For", "203.0.113.8");
            CountDownLatch go = new CountDownLatch(1);
            List<Future<TestResponse>> guesses = new ArrayList<>();
            for (int i = 0; i < GUESSES; i++) {
                String email = "target" + i + "@test.com";
                guesses.add(threads.submit(() -> {
                    go.await();
                    return sprayer.post("/api/v1/auth/login", Map.of("email", email, "password", "Winter2026!"));
                }));
            }
            go.countDown();

            int refused = 0;
            for (Future<TestResponse> guess : guesses) {
                TestResponse response = guess.get();
                assertTrue(response.status() == 401 || response.status() == 429, response.toString());
                if (response.status() == 429) {
                    refused++;
                    assertTrue(response.detail().startsWith("Too many failed login attempts"), response.detail());
                }
            }
            JsonNode audit = admin.client().get("/api/v1/audit?limit=500").json().path("items");
            long checked = 0;
            for (JsonNode entry : audit) {
                if (entry.path("action").asText().equals("login_failed") && entry.path("actor_email").asText().startsWith("target")) {
                    checked++;
                }
            }
            // One address may fail 4 × login_throttle_failures times across accounts before it must wait.
            assertTrue(checked <= 4 * FAILURES, checked + " wrong passwords were checked");
            assertEquals(GUESSES - checked, refused, "every guess not checked was refused as throttled");
        }
    }
}

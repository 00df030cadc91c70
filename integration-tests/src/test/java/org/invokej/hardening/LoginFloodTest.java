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
 * flood from one client gets at most {@code login_throttle_failures} checks, and other users log in meanwhile.
 */
class LoginFloodTest {

    private static final int FAILURES = 5;
    private static final int GUESSES = 70;

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
}

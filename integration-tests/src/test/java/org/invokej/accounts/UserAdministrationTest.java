package org.invokej.accounts;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UserAdministrationTest {

    private static final String SYSTEM_MESSAGE =
            "The system user cannot be deleted, deactivated, promoted to administrator, or given a password";

    @TempDir
    Path root;

    private TestServer server;
    private TestAccounts accounts;

    @BeforeEach
    void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        accounts = new TestAccounts(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void anAdministratorCreatesReadsListsAndDeletesUsers() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestResponse created = admin.client().post("/api/v1/auth/users",
                Map.of("email", "user1@Test.com", "display_name", "User One", "password", "TestPass123"));
        assertEquals(201, created.status(), created.toString());
        JsonNode user = created.json();
        assertEquals("user1@test.com", user.path("email").asText());
        assertFalse(user.path("is_admin").asBoolean());
        assertTrue(user.path("is_active").asBoolean());
        String id = user.path("user_id").asText();
        assertTrue(id.matches("[0-9a-f-]{36}"), id);

        TestResponse duplicate = admin.client().post("/api/v1/auth/users", Map.of("email", "user1@test.com", "password", "x"));
        assertEquals(400, duplicate.status());
        assertEquals("User with email user1@test.com already exists", duplicate.detail());

        assertEquals(id, admin.client().get("/api/v1/auth/users/" + id).json().path("user_id").asText());
        JsonNode list = admin.client().get("/api/v1/auth/users").json();
        assertEquals(2, list.size(), "system is left out: " + list);
        assertEquals(id, list.get(0).path("user_id").asText(), "newest first");
        assertEquals("system", admin.client().get("/api/v1/auth/users/system").json().path("user_id").asText());

        TestAccounts.Account login = accounts.login("user1@test.com", "TestPass123");
        assertEquals(204, admin.client().delete("/api/v1/auth/users/" + id).status());
        assertEquals(404, admin.client().get("/api/v1/auth/users/" + id).status());
        assertEquals("User not found", admin.client().get("/api/v1/auth/users/" + id).detail());
        assertEquals(401, login.client().get("/api/v1/auth/me").status(), "a deleted user's token stops working");
        assertEquals(404, admin.client().delete("/api/v1/auth/users/" + id).status());
        assertEquals(404, admin.client().patch("/api/v1/auth/users/no-such-id", Map.of("display_name", "x")).status());
    }

    @Test
    void theLastActiveAdministratorCannotBeRemovedButMayBeRenamed() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        String path = "/api/v1/auth/users/" + admin.userId();
        for (Map<String, Object> change : List.<Map<String, Object>>of(Map.of("is_admin", false), Map.of("is_active", false))) {
            TestResponse refused = admin.client().patch(path, change);
            assertEquals(400, refused.status(), change.toString());
            assertEquals("Cannot remove the last administrator", refused.detail());
        }
        TestResponse delete = admin.client().delete(path);
        assertEquals(400, delete.status());
        assertEquals("Cannot remove the last administrator", delete.detail());
        assertEquals("Still Admin", admin.client().patch(path, Map.of("display_name", "Still Admin")).json().path("display_name").asText());
        assertFalse(server.client().get("/api/v1/auth/status").json().path("setup_required").asBoolean(), "setup stays closed");

        TestAccounts.Account second = accounts.create(admin, "admin2@test.com", "Second", true);
        assertEquals(200, admin.client().patch(path, Map.of("is_admin", false)).status(), "allowed while another admin remains");
        assertEquals(403, admin.client().get("/api/v1/auth/users").status(), "the demotion takes effect at the next request");
        TestResponse last = second.client().patch("/api/v1/auth/users/" + second.userId(), Map.of("is_active", false));
        assertEquals("Cannot remove the last administrator", last.detail());
    }

    @Test
    void anInactiveAdministratorDoesNotCountAndMayBeDeleted() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account second = accounts.create(admin, "admin2@test.com", "Second", true);
        accounts.setActive(admin, second.userId(), false);
        assertEquals(204, admin.client().delete("/api/v1/auth/users/" + second.userId()).status());
    }

    @Test
    void theSystemUserIsProtectedButMayBeRenamed() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        for (Map<String, Object> change : List.<Map<String, Object>>of(
                Map.of("is_admin", true), Map.of("is_active", false), Map.of("password", "Whatever123"))) {
            TestResponse refused = admin.client().patch("/api/v1/auth/users/system", change);
            assertEquals(400, refused.status(), change.toString());
            assertEquals(SYSTEM_MESSAGE, refused.detail());
        }
        assertEquals(SYSTEM_MESSAGE, admin.client().delete("/api/v1/auth/users/system").detail());
        assertEquals("Legacy", admin.client().patch("/api/v1/auth/users/system", Map.of("display_name", "Legacy"))
                .json().path("display_name").asText());
        JsonNode system = admin.client().get("/api/v1/auth/users/system").json();
        assertTrue(system.path("is_active").asBoolean());
        assertFalse(system.path("is_admin").asBoolean());
        assertEquals("Cannot remove the last administrator",
                admin.client().patch("/api/v1/auth/users/" + admin.userId(), Map.of("is_admin", false)).detail(),
                "promoting system was refused, so the real admin is still the last one");
    }

    @Test
    void anAdminPasswordResetEndsTheUsersSessions() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account user = accounts.create(admin, "user1@test.com", "User", false);
        TestResponse reset = admin.client().patch("/api/v1/auth/users/" + user.userId(), Map.of("password", "Reset12345"));
        assertEquals(200, reset.status());
        assertEquals(1, reset.json().path("token_epoch").asInt());
        assertEquals(401, user.client().get("/api/v1/auth/me").status());
        assertEquals(200, admin.client().get("/api/v1/auth/me").status(), "the admin's own session is untouched");
        assertEquals(200, accounts.login("user1@test.com", "Reset12345").client().get("/api/v1/auth/me").status());
    }

    @Test
    void reactivatingAnAccountDoesNotRevivePreviousSessions() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account user = accounts.create(admin, "user1@test.com", "User", false);
        accounts.setActive(admin, user.userId(), false);
        accounts.setActive(admin, user.userId(), true);
        assertEquals(401, user.client().get("/api/v1/auth/me").status());
        assertEquals(200, accounts.login("user1@test.com", TestAccounts.PASSWORD).client().get("/api/v1/auth/me").status());
    }

    @Test
    void concurrentSetupCallsCreateExactlyOneAdministrator() throws Exception {
        List<Integer> statuses = race(16, i -> () -> server.client().post("/api/v1/auth/setup",
                Map.of("email", "admin" + i + "@test.com", "password", "TestPass123")).status());
        assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
        assertTrue(statuses.stream().allMatch(s -> s == 200 || s == 400), statuses.toString());
        TestAccounts.Account any = null;
        for (int i = 0; i < 16 && any == null; i++) {
            TestResponse login = server.client().post("/api/v1/auth/login", Map.of("email", "admin" + i + "@test.com", "password", "TestPass123"));
            if (login.status() == 200) {
                any = accounts.login("admin" + i + "@test.com", "TestPass123");
            }
        }
        JsonNode users = any.client().get("/api/v1/auth/users").json();
        assertEquals(1, users.size(), users.toString());
    }

    @Test
    void concurrentDemotionsOfTheLastTwoAdministratorsLeaveOne() throws Exception {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account second = accounts.create(admin, "admin2@test.com", "Second", true);
        List<TestAccounts.Account> both = List.of(admin, second);
        List<Integer> statuses = race(2, i -> () -> both.get(i).client()
                .json(i == 0 ? "PATCH" : "DELETE", "/api/v1/auth/users/" + both.get(1 - i).userId(),
                        i == 0 ? Map.of("is_admin", false) : null).status());
        assertEquals(1, statuses.stream().filter(s -> s == 200 || s == 204).count(), statuses.toString());
        assertTrue(statuses.contains(400) || statuses.contains(401) || statuses.contains(403), statuses.toString());
    }

    private static List<Integer> race(int n, java.util.function.IntFunction<Callable<Integer>> task) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                Callable<Integer> call = task.apply(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.call();
                }));
            }
            go.countDown();
        }
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> future : futures) {
            statuses.add(future.get());
        }
        return statuses;
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestClient client = admin.client();
        record Case(String contentType, String body, int status, String detail) {
        }
        List<Case> cases = List.of(
                new Case("application/json", "{\"email\": \"a@test.com\", \"password\":", 422, "Malformed JSON in request body"),
                new Case("application/json", "[1, 2]", 422, "Invalid request body: expected a JSON"),
                new Case("application/json", "{\"email\": 5, \"password\": \"x\"}", 422, "Invalid value for 'email': expected a string"),
                new Case("application/json", "{\"email\": \"a@test.com\", \"password\": \"x\", \"is_admin\": \"yes\"}", 422,
                        "Invalid value for 'is_admin': expected a boolean"),
                new Case("application/json", "{\"email\": \"a@test.com\"}", 422, "Field required: password"),
                new Case("application/json", "{\"email\": \"not-an-email\", \"password\": \"x\"}", 422, "Invalid email address"),
                new Case("application/json", "", 422, "A JSON request body is required"),
                new Case("application/json", "null", 422, "must not be null"),
                new Case("text/plain", "{\"email\": \"a@test.com\", \"password\": \"x\"}", 415, "Content-Type must be application/json"),
                new Case("application/json", "{\"email\": \"a@test.com\", \"email\": \"b@test.com\", \"password\": \"x\"}", 422, "Duplicate field"));
        for (Case c : cases) {
            TestResponse response = client.send("POST", "/api/v1/auth/users", c.contentType(), c.body().getBytes());
            assertEquals(c.status(), response.status(), c + " -> " + response);
            assertTrue(response.detail().contains(c.detail()), c + " -> " + response);
        }
        TestResponse huge = client.sendOversized("POST", "/api/v1/auth/users", "application/json", new byte[70 << 20]);
        assertEquals(413, huge.status());
        assertEquals(2, client.get("/api/v1/auth/users").json().size() + 1, "nothing was created");
        TestResponse wrongLogin = server.client().post("/api/v1/auth/login", Map.of("email", "admin@test.com", "password", 123));
        assertEquals(422, wrongLogin.status());
    }
}

package org.invokej.accounts;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Throttled logins over HTTP; the wait schedule itself is pinned by LoginThrottleTest in core. */
class LoginThrottlingTest {

    @TempDir
    Path root;

    private TestServer server;
    private TestAccounts.Account admin;

    @BeforeEach
    void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4",
                "trusted_proxies", "127.0.0.1", "login_throttle_failures", "3", "login_throttle_max_wait", "2"));
        TestAccounts accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
        accounts.create(admin, "user1@test.com", "User", false);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static TestResponse login(TestClient client, String email, String password) {
        return client.post("/api/v1/auth/login", Map.of("email", email, "password", password));
    }

    private TestClient from(String address) {
        return server.client().withHeader("X-Forwarded-For", address);
    }

    @Test
    void repeatedFailuresGet429WithRetryAfterAndOthersAreUnaffected() throws InterruptedException {
        TestClient attacker = from("203.0.113.7");
        for (int i = 0; i < 3; i++) {
            assertEquals(401, login(attacker, "user1@test.com", "guess" + i).status());
        }
        TestResponse throttled = login(attacker, "user1@test.com", TestAccounts.PASSWORD);
        assertEquals(429, throttled.status(), "even the right password waits: " + throttled);
        assertTrue(throttled.detail().startsWith("Too many failed login attempts"), throttled.detail());
        int retryAfter = Integer.parseInt(throttled.header("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 2, "Retry-After " + retryAfter);

        assertEquals(200, login(attacker, "admin@test.com", TestAccounts.PASSWORD).status(), "other accounts from that client");
        assertEquals(200, login(from("198.51.100.1"), "user1@test.com", TestAccounts.PASSWORD).status(), "that account from another client");

        Thread.sleep(retryAfter * 1000L + 100);
        assertEquals(200, login(attacker, "user1@test.com", TestAccounts.PASSWORD).status(), "no permanent lockout");
    }

    @Test
    void forwardedAddressesAreIgnoredFromUntrustedPeers() {
        server.close();
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4",
                "login_throttle_failures", "3", "login_throttle_max_wait", "2"));
        // Without trusted proxies every request is 127.0.0.1, whatever the header says.
        for (int i = 0; i < 3; i++) {
            login(from("203.0.113." + i), "user1@test.com", "guess");
        }
        assertEquals(429, login(from("198.51.100.1"), "user1@test.com", TestAccounts.PASSWORD).status());
    }

    @Test
    void theAuditLogRecordsTheForwardedClientAddress() {
        login(from("203.0.113.9"), "user1@test.com", "wrong");
        var entries = admin.client().get("/api/v1/audit").json().path("items");
        assertEquals("login_failed", entries.get(0).path("action").asText());
        assertEquals("203.0.113.9", entries.get(0).path("client_address").asText());
    }
}

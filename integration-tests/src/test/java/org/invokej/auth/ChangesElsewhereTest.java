package org.invokej.auth;

import org.invokej.testing.Scripts;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server keeps what tokens resolved to while the database is unchanged; a change made by another
 * process (the command line, {@code sqlite3}) is still seen by the very next request, for session
 * tokens and API keys alike.
 */
class ChangesElsewhereTest {

    @TempDir
    Path root;

    private void sqlite3(String sql) throws Exception {
        Process process = new ProcessBuilder("sqlite3", root.resolve("databases").resolve("invokeai.db").toString(), sql)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), output);
    }

    private void usermod(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        Scripts.Result result = Scripts.run("invoke-usermod", all, Map.of(), null, Duration.ofMinutes(2));
        assertEquals(0, result.exitCode(), result.toString());
    }

    @Test
    void roleChangesAndDeactivationsByOtherProcessesAreSeenByTheNextRequest() throws Exception {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"))) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            TestAccounts.Account user = accounts.create(admin, "user@test.com", "User", false);
            TestClient key = server.client().withToken(admin.client().post("/api/v1/auth/api-keys", Map.of("name", "k"))
                    .json().path("key").asText());
            TestClient session = user.client();
            // Asked twice each, so that the answers are the kept ones.
            for (int i = 0; i < 2; i++) {
                assertFalse(session.get("/api/v1/auth/me").json().path("is_admin").asBoolean());
                assertEquals(200, key.get("/api/v1/auth/me").status());
            }
            assertEquals(403, session.get("/api/v1/auth/users").status());

            usermod("-e", "user@test.com", "--admin");
            assertTrue(session.get("/api/v1/auth/me").json().path("is_admin").asBoolean(), "promoted by invoke-usermod");
            assertEquals(200, session.get("/api/v1/auth/users").status());

            sqlite3("UPDATE users SET is_admin = 0 WHERE email = 'user@test.com'");
            assertEquals(403, session.get("/api/v1/auth/users").status(), "demoted by sqlite3");

            usermod("-e", "user@test.com", "--deactivate", "--force");
            assertEquals(401, session.get("/api/v1/auth/me").status(), "deactivated by invoke-usermod");

            sqlite3("UPDATE api_keys SET revoked_at = '2026-01-01 00:00:00.000'");
            assertEquals(401, key.get("/api/v1/auth/me").status(), "key revoked by sqlite3");
            assertEquals(200, admin.client().get("/api/v1/auth/me").status());
            sqlite3("UPDATE users SET is_active = 0 WHERE email = 'admin@test.com'");
            assertEquals(401, admin.client().get("/api/v1/auth/me").status(), "deactivated by sqlite3");
        }
    }
}

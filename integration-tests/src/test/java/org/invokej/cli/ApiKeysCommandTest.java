package org.invokej.cli;

import org.invokej.testing.Scripts;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code invokej apikeys} as a real process beside a running server: the server honours and refuses what it does at once. */
class ApiKeysCommandTest {

    @TempDir
    Path root;

    private Scripts.Result apikeys(String... args) {
        List<String> all = new ArrayList<>(List.of("apikeys"));
        all.addAll(List.of(args));
        all.addAll(List.of("--root", root.toString()));
        return Scripts.run("invokej", all, Map.of(), null, Duration.ofMinutes(2));
    }

    private static void refused(Scripts.Result result, String expected) {
        assertEquals(1, result.exitCode(), result.toString());
        List<String> errors = result.stderr().lines().filter(line -> line.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), result.toString());
        assertTrue(errors.get(0).contains(expected), "expected '" + expected + "' in\n" + result);
        assertFalse(result.stderr().contains("\tat "), "no stack trace:\n" + result);
    }

    @Test
    void createdKeysWorkAtOnceWithinTheirScopeAndRevokedOnesStopAtOnce() {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"))) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            TestAccounts.Account bot = accounts.create(admin, "bot@test.com", "Bot", false);

            Scripts.Result created = apikeys("create", "--email", "bot@test.com", "--name", "nightly", "--scope", "queue");
            assertEquals(0, created.exitCode(), created.toString());
            String key = created.stdout().strip().lines().reduce((first, last) -> last).orElseThrow();
            assertTrue(key.startsWith("ivj_"), created.stdout());

            TestClient withKey = server.client().withToken(key);
            assertEquals(bot.userId(), withKey.get("/api/v1/auth/me").json().path("user_id").asText());
            assertEquals(200, withKey.get("/api/v1/queue/default/status").status());
            assertEquals(403, withKey.get("/api/v1/boards/?all=true").status(), "a queue key reads no boards");

            Scripts.Result listed = apikeys("list");
            assertEquals(0, listed.exitCode(), listed.toString());
            assertTrue(listed.stdout().contains("nightly") && listed.stdout().contains("bot@test.com")
                    && listed.stdout().contains("queue") && listed.stdout().contains("active"), listed.stdout());
            assertFalse(listed.stdout().contains(key), "the key is shown only when created");
            String keyId = admin.client().get("/api/v1/auth/api-keys?all=true").json().get(0).path("key_id").asText();
            assertTrue(listed.stdout().contains(keyId), listed.stdout());

            Scripts.Result revoked = apikeys("revoke", keyId);
            assertEquals(0, revoked.exitCode(), revoked.toString());
            assertEquals(401, withKey.get("/api/v1/auth/me").status(), "refused from the very next request");
            assertTrue(admin.client().get("/api/v1/audit").text().contains("api_key_revoked"));

            refused(apikeys("create", "--email", "nobody@test.com", "--name", "x"), "No user with email nobody@test.com");
            refused(apikeys("create", "--email", "bot@test.com", "--name", "x", "--scope", "all"), "--scope must be one of");
            refused(apikeys("revoke", "no-such-key"), "API key not found");
        }
    }
}

package org.invokej.accounts;

import org.invokej.launcher.ConfigException;
import org.invokej.launcher.InvokeServer;
import org.invokej.testing.Scripts;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sqlite3 recipes of InvokeAI's admin guide, typed against a running server's database. */
class SqliteRecipesTest {

    private static final Map<String, String> MULTIUSER = Map.of("multiuser", "true", "bcrypt_cost", "4");

    @TempDir
    Path root;

    private Scripts.Result sqlite(String sql) {
        Scripts.Result result = Scripts.runCommand(List.of("sqlite3", root.resolve("databases/invokeai.db").toString(), sql));
        assertEquals(0, result.exitCode(), result.toString());
        return result;
    }

    @Test
    void lookUpAUserByEmail() {
        try (TestServer server = TestServer.start(root, MULTIUSER)) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            String row = sqlite("SELECT user_id, email, is_admin, is_active FROM users WHERE email = 'admin@test.com';").stdout().strip();
            assertEquals(admin.userId() + "|admin@test.com|1|1", row);
        }
    }

    @Test
    void aPastedPasslibStyleHashLogsIn() {
        try (TestServer server = TestServer.start(root, MULTIUSER)) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            accounts.create(admin, "user1@test.com", "User", false);
            for (BCryptPasswordEncoder.BCryptVersion version : BCryptPasswordEncoder.BCryptVersion.values()) {
                // What passlib (cost 12) or htpasswd -B writes; the recipe pastes it as it is.
                String hash = new BCryptPasswordEncoder(version, 12).encode("Recovered1");
                sqlite("UPDATE users SET password_hash = '" + hash + "' WHERE email = 'user1@test.com';");
                assertEquals(200, server.client().post("/api/v1/auth/login",
                        Map.of("email", "user1@test.com", "password", "Recovered1")).status(), hash);
            }
        }
    }

    @Test
    void deactivatingInTheDatabaseIsRefusedAtTheNextRequest() {
        try (TestServer server = TestServer.start(root, MULTIUSER)) {
            TestAccounts accounts = new TestAccounts(server);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            TestAccounts.Account user = accounts.create(admin, "user1@test.com", "User", false);
            assertEquals(200, user.client().get("/api/v1/auth/me").status());
            sqlite("UPDATE users SET is_active = 0 WHERE email = 'user1@test.com';");
            assertEquals(401, user.client().get("/api/v1/auth/me").status());
        }
    }

    @Test
    void replacingTheSecretAndRestartingEndsEverySession() {
        String token;
        try (TestServer server = TestServer.start(root, MULTIUSER)) {
            token = new TestAccounts(server).setupAdmin("admin@test.com").token();
            assertEquals(200, server.client().withToken(token).get("/api/v1/auth/me").status());
        }
        sqlite("UPDATE app_settings SET value = '" + "k".repeat(43) + "' WHERE key = 'jwt_secret';");
        try (TestServer server = TestServer.start(root, MULTIUSER)) {
            assertEquals(401, server.client().withToken(token).get("/api/v1/auth/me").status());
            assertEquals(200, new TestAccounts(server).login("admin@test.com", TestAccounts.PASSWORD).client().get("/api/v1/auth/me").status());
        }
    }

    @Test
    void aShortSecretStopsStartUpWithARecipeForAGoodOne() {
        try (TestServer server = TestServer.start(root, MULTIUSER)) {
            server.client().get("/api/v1/auth/status");
        }
        sqlite("UPDATE app_settings SET value = 'short' WHERE key = 'jwt_secret';");
        ConfigException e = assertThrows(ConfigException.class,
                () -> InvokeServer.builder().root(root).environment(Map.of()).set("port", "0").start());
        assertTrue(e.getMessage().contains("jwt_secret") && e.getMessage().contains("at least 32")
                && e.getMessage().contains("openssl rand -hex 32"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }
}

package org.invokej.accounts;

import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** multiuser: false — everyone is the built-in administrator, and the account routes say so. */
class SingleUserModeTest {

    @TempDir
    Path root;

    @Test
    void authEndpointsRefuseAndEverythingElseActsAsTheSystemAdministrator() {
        try (TestServer server = TestServer.start(root, Map.of("strict_password_checking", "true"))) {
            var status = server.client().get("/api/v1/auth/status").json();
            assertFalse(status.path("setup_required").asBoolean());
            assertFalse(status.path("multiuser_enabled").asBoolean());
            assertTrue(status.path("strict_password_checking").asBoolean());
            assertTrue(status.path("admin_email").isNull());

            TestResponse login = server.client().post("/api/v1/auth/login", Map.of("email", "a@test.com", "password", "x"));
            assertEquals(403, login.status());
            assertEquals("Multiuser mode is disabled. Authentication is not required in single-user mode.", login.detail());
            TestResponse setup = server.client().post("/api/v1/auth/setup", Map.of("email", "a@test.com", "password", "Secret123"));
            assertEquals(403, setup.status());
            assertEquals("Multiuser mode is disabled. Admin setup is not required in single-user mode.", setup.detail());

            assertEquals(401, server.client().get("/api/v1/auth/me").status(), "a real token is still needed for /me");
            assertEquals(401, server.client().get("/api/v1/auth/users").status());
            assertEquals(200, server.client().get("/api/v1/audit").status(), "admin-or-default routes act as system");
            assertEquals(200, server.client().withToken("garbage").get("/api/v1/audit").status(), "tokens are ignored");
            TestResponse cookie = server.client().post("/api/v1/auth/media-cookie", null);
            assertEquals(200, cookie.status());
            assertFalse(cookie.header("Set-Cookie").isPresent());
            assertEquals(200, server.client().get("/observe/metrics").status());
        }
    }
}

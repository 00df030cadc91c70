package org.invokej.http.auth;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.http.AppRoutes;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.TestUser;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/audit} (administrators only), {@code /api/v1/app/version} (public), and routes that do not exist. */
@ServerTest
class AuditAndAppRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestClient anonymous;
    private final TestUser user;
    private final TestUser admin;

    AuditAndAppRoutesTest(URI uri) {
        this.anonymous = RouteTestServer.client(uri);
        this.user = CORE.caller(anonymous, "user", false);
        this.admin = CORE.caller(anonymous, "admin", true);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RouteTestServer.configure(server, CORE);
    }

    @AfterAll
    static void close() {
        CORE.close();
    }

    @Test
    void theVersionIsPublic() {
        TestResponse version = anonymous.get("/api/v1/app/version");
        assertEquals(200, version.status(), version.toString());
        assertEquals(AppRoutes.COMPATIBLE_INVOKEAI_VERSION, version.json().path("version").asText());
        assertEquals("route-test", version.json().path("invokej_version").asText());
    }

    @Test
    void theSchedulersAreListedForSignedInUsers() {
        TestResponse list = user.client().get("/api/v1/app/schedulers");
        assertEquals(200, list.status(), list.toString());
        assertEquals(2, list.json().size());
        assertEquals("dpmpp_3m_k", list.json().get(1).path("name").asText());
        assertEquals("DPM++ 3M Karras", list.json().get(1).path("label").asText());
        assertEquals(401, anonymous.get("/api/v1/app/schedulers").status());
    }

    @Test
    void theAuditLogIsForAdministratorsAndRecordsUserAdministration() {
        String email = "audited-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        assertEquals(201, admin.client().post("/api/v1/auth/users",
                Map.of("email", email, "display_name", "Audited", "password", "Route-Test-Password-1")).status());
        TestResponse log = admin.client().get("/api/v1/audit?limit=5");
        assertEquals(200, log.status(), log.toString());
        assertTrue(log.toString().contains(email), log.toString());
        assertEquals(403, user.client().get("/api/v1/audit").status());
        assertEquals(401, anonymous.get("/api/v1/audit").status());
        TestResponse badLimit = admin.client().get("/api/v1/audit?limit=lots");
        assertTrue(badLimit.status() >= 400 && badLimit.status() < 500, badLimit.toString());
    }

    @Test
    void unknownRoutesAreA404WithADetailOnceLoggedIn() {
        TestResponse unknown = user.client().get("/api/v1/no-such-route");
        assertEquals(404, unknown.status(), unknown.toString());
        assertFalse(unknown.detail().isBlank());
        assertEquals(401, anonymous.get("/api/v1/no-such-route").status(), "an unlisted API route needs a user");
        TestResponse wrongMethod = user.client().json("PATCH", "/api/v1/app/version", Map.of());
        assertTrue(wrongMethod.status() >= 400 && wrongMethod.status() < 500, wrongMethod.toString());
    }
}

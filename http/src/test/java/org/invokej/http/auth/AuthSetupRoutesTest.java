package org.invokej.http.auth;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.http.RouteTestServer;
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

/** {@code /api/v1/auth/status} and {@code /setup} on a server that has no administrator yet. */
@ServerTest
class AuthSetupRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestClient client;

    AuthSetupRoutesTest(URI uri) {
        this.client = RouteTestServer.client(uri);
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
    void setupMakesTheFirstAdministratorOnceThenStatusNoLongerAsksForIt() {
        TestResponse before = client.get("/api/v1/auth/status");
        assertEquals(200, before.status(), before.toString());
        assertTrue(before.json().get("setup_required").asBoolean());
        assertTrue(before.json().get("multiuser_enabled").asBoolean());

        TestResponse badEmail = client.post("/api/v1/auth/setup", Map.of("email", "not-an-email", "display_name", "Root", "password", "Setup-Password-2024"));
        assertEquals(422, badEmail.status(), badEmail.toString());
        assertTrue(client.get("/api/v1/auth/status").json().get("setup_required").asBoolean(), "a refused setup changes nothing");

        TestResponse setup = client.post("/api/v1/auth/setup",
                Map.of("email", "root@example.com", "display_name", "Root", "password", "Setup-Password-2024"));
        assertEquals(200, setup.status(), setup.toString());
        assertTrue(setup.json().get("user").get("is_admin").asBoolean());
        assertFalse(client.get("/api/v1/auth/status").json().get("setup_required").asBoolean());

        TestResponse again = client.post("/api/v1/auth/setup",
                Map.of("email", "other@example.com", "display_name", "Other", "password", "Setup-Password-2024"));
        assertEquals(400, again.status(), again.toString());
        assertEquals("Administrator account already configured", again.detail());
        assertEquals(200, client.post("/api/v1/auth/login", Map.of("email", "root@example.com", "password", "Setup-Password-2024")).status());
    }

    @Test
    void malformedJsonIsA4xxWithDetail() {
        TestResponse response = client.post("/api/v1/auth/setup", "{\"email\": ");
        assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
        assertFalse(response.detail().isBlank());
    }
}

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

/** Single-user mode: no logins, every caller is the built-in {@code system} administrator, and setup is refused. */
@ServerTest
class SingleUserRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.singleUser();

    private final TestClient client;

    SingleUserRoutesTest(URI uri) {
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
    void callersWithoutATokenActAsTheSystemUser() {
        TestResponse status = client.get("/api/v1/auth/status");
        assertFalse(status.json().path("multiuser_enabled").asBoolean());
        assertFalse(status.json().path("setup_required").asBoolean());

        TestResponse board = client.post("/api/v1/boards/?board_name=Mine", null);
        assertEquals(201, board.status(), board.toString());
        assertEquals("system", board.json().path("user_id").asText());
        assertEquals(200, client.get("/api/v1/audit").status(), "administrator routes are open to the single user");
    }

    @Test
    void setupIsRefused() {
        TestResponse setup = client.post("/api/v1/auth/setup",
                Map.of("email", "root@example.com", "display_name", "Root", "password", "Setup-Password-2024"));
        assertEquals(403, setup.status(), setup.toString());
        assertFalse(setup.detail().isBlank());
    }
}

package org.invokej.http.auth;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.http.fakes.TestUser;
import org.invokej.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a token resolved to is kept exactly as long as the store reports no commit: a row changed behind
 * the store's back is not seen (so the answer really is kept), and any commit makes the next request read again.
 */
@ServerTest
class KeptResolutionsRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestClient anonymous;

    KeptResolutionsRoutesTest(URI uri) {
        this.anonymous = RouteTestServer.client(uri);
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
    void theAnswerIsKeptUntilTheNextCommit() {
        TestUser user = CORE.caller(anonymous, "kept", false);
        TestClient key = anonymous.withToken(user.client().post("/api/v1/auth/api-keys", Map.of("name", "k")).json().path("key").asText());
        // The key's first use is recorded (a commit); from the second on, within the minute, it is not.
        for (int i = 0; i < 2; i++) {
            assertEquals(200, key.get("/api/v1/auth/me").status());
            assertEquals(200, user.client().get("/api/v1/auth/me").status());
        }

        // Behind the store's back: no commit is reported, so both answers stay as they were.
        CORE.store.read(tx -> {
            CORE.userRepository.update(tx, CORE.userRepository.find(tx, user.userId()).orElseThrow().withAdmin(true).withActive(false));
            return null;
        });
        var kept = user.client().get("/api/v1/auth/me");
        assertEquals(200, kept.status(), "kept while nothing was committed");
        assertFalse(kept.json().path("is_admin").asBoolean(), "kept while nothing was committed");
        assertEquals(200, key.get("/api/v1/auth/me").status(), "kept while nothing was committed");

        CORE.store.write(tx -> null);
        assertEquals(401, user.client().get("/api/v1/auth/me").status(), "read again after a commit");
        assertEquals(401, key.get("/api/v1/auth/me").status(), "read again after a commit");
        assertTrue(CORE.store.read(tx -> CORE.userRepository.find(tx, user.userId())).orElseThrow().admin());
    }
}

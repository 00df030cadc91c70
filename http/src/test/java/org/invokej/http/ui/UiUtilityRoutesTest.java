package org.invokej.http.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.http.ApiRoutes;
import org.invokej.http.ApiServer;
import org.invokej.http.Json;
import org.invokej.http.RouteTestServer;
import org.invokej.http.auth.RouteAccess;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.http.fakes.RefusedCallers;
import org.invokej.http.fakes.TestUser;
import org.invokej.http.openapi.OpenApiRoutes;
import org.invokej.http.socketio.SocketSettings;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smaller routes InvokeAI's web UI calls, mounted beside the core families as the launcher mounts
 * them: dynamic prompts and the language-model utilities this server refuses, the image-move status,
 * custom node packs (none), and the API's description with its page.
 */
@ServerTest
class UiUtilityRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestClient anonymous;
    private final TestUser user;
    private final TestUser admin;

    UiUtilityRoutesTest(URI uri) {
        this.anonymous = RouteTestServer.client(uri);
        this.user = CORE.caller(anonymous, "user", false);
        this.admin = CORE.caller(anonymous, "admin", true);
    }

    private static void access(RouteAccess.Builder access) {
        UtilitiesRoutes.access(access);
        ImageMovesRoutes.access(access);
        CustomNodesRoutes.access(access);
        OpenApiRoutes.access(access);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Json json = new Json();
        List<ApiServer.Mount> mounts = List.of(new ApiServer.Mount("/api/v1/utilities", new UtilitiesRoutes(json)),
                new ApiServer.Mount("/api/v1/image_moves", new ImageMovesRoutes(json)),
                new ApiServer.Mount("/api/v2/custom_nodes", new CustomNodesRoutes(json)));
        SocketSettings sockets = SocketSettings.of("", Duration.ofSeconds(25), Duration.ofSeconds(20), Duration.ofSeconds(60));
        OpenApiRoutes openApi = new OpenApiRoutes(json, "route-test", mounts, ApiRoutes.access(sockets, UiUtilityRoutesTest::access),
                JsonNodeFactory.instance.objectNode());
        RouteTestServer.configure(server, CORE, java.util.stream.Stream.concat(mounts.stream(),
                java.util.stream.Stream.of(new ApiServer.Mount("/", openApi))).toList(), UiUtilityRoutesTest::access);
    }

    @AfterAll
    static void close() {
        CORE.close();
    }

    @Test
    void everyoneSignedInExpandsDynamicPromptsAndIsToldThereAreNoLanguageModels() {
        Map<String, Object> fox = Map.of("prompt", "a {red|blue} fox");
        for (TestUser caller : List.of(user, admin)) {
            TestResponse expanded = caller.client().post("/api/v1/utilities/dynamicprompts", fox);
            assertEquals(200, expanded.status(), expanded.toString());
            assertEquals(2, expanded.json().path("prompts").size(), expanded.toString());
            TestResponse expand = caller.client().post("/api/v1/utilities/expand-prompt", Map.of("prompt", "a fox", "model_key", "k"));
            assertEquals(400, expand.status(), expand.toString());
            assertTrue(expand.detail().contains("no language models"), expand.detail());
            TestResponse describe = caller.client().post("/api/v1/utilities/image-to-prompt", Map.of("image_name", "x.png", "model_key", "k"));
            assertEquals(400, describe.status(), describe.toString());
            assertTrue(describe.detail().contains("no language models"), describe.detail());
        }
        assertEquals(422, user.client().post("/api/v1/utilities/dynamicprompts", Map.of("prompt", "x", "max_prompts", 0)).status());
        assertEquals(422, user.client().post("/api/v1/utilities/dynamicprompts", Map.of("promptz", "x")).status());
        for (Map.Entry<String, TestClient> refused : RefusedCallers.of(CORE, anonymous).entrySet()) {
            for (String path : List.of("/api/v1/utilities/dynamicprompts", "/api/v1/utilities/expand-prompt", "/api/v1/utilities/image-to-prompt")) {
                assertEquals(401, refused.getValue().post(path, fox).status(), refused.getKey() + " " + path);
            }
        }
    }

    @Test
    void theImageMoveStatusIsForAdministratorsAndNothingEverMoves() {
        TestResponse status = admin.client().get("/api/v1/image_moves/status");
        assertEquals(200, status.status(), status.toString());
        assertFalse(status.json().path("is_running").asBoolean(true));
        assertEquals(202, admin.client().post("/api/v1/image_moves/recover", null).status());
        TestResponse start = admin.client().post("/api/v1/image_moves/start", Map.of());
        assertEquals(409, start.status(), start.toString());
        assertFalse(start.detail().isBlank());
        for (String[] route : List.of(new String[]{"GET", "/api/v1/image_moves/status"}, new String[]{"POST", "/api/v1/image_moves/recover"},
                new String[]{"POST", "/api/v1/image_moves/start"})) {
            assertEquals(403, user.client().json(route[0], route[1], null).status(), route[1]);
            for (Map.Entry<String, TestClient> refused : RefusedCallers.of(CORE, anonymous).entrySet()) {
                assertEquals(401, refused.getValue().json(route[0], route[1], null).status(), refused.getKey() + " " + route[1]);
            }
        }
    }

    @Test
    void customNodePacksAreNoneAndCannotBeInstalled() {
        TestResponse listed = admin.client().get("/api/v2/custom_nodes/");
        assertEquals(200, listed.status(), listed.toString());
        assertTrue(listed.json().path("node_packs").isArray() && listed.json().path("node_packs").isEmpty());
        TestResponse install = admin.client().post("/api/v2/custom_nodes/install", Map.of("source", "https://example.com/me/pack.git"));
        assertEquals(200, install.status(), install.toString());
        assertEquals("pack", install.json().path("name").asText());
        assertFalse(install.json().path("success").asBoolean(true));
        assertTrue(install.json().path("message").asText().contains("custom node packs"), install.toString());
        assertEquals(0, admin.client().get("/api/v2/custom_nodes/").json().path("node_packs").size(), "nothing was installed");
        assertFalse(admin.client().delete("/api/v2/custom_nodes/pack").json().path("success").asBoolean(true));
        assertTrue(admin.client().post("/api/v2/custom_nodes/reload", null).json().path("status").asText().startsWith("No custom nodes"));
        assertEquals(422, admin.client().post("/api/v2/custom_nodes/install", "[1]").status());

        for (String[] route : List.of(new String[]{"GET", "/api/v2/custom_nodes/"}, new String[]{"POST", "/api/v2/custom_nodes/reload"},
                new String[]{"DELETE", "/api/v2/custom_nodes/pack"})) {
            TestResponse refused = user.client().json(route[0], route[1], null);
            assertEquals(403, refused.status(), route[1] + ": " + refused);
            for (Map.Entry<String, TestClient> caller : RefusedCallers.of(CORE, anonymous).entrySet()) {
                assertEquals(401, caller.getValue().json(route[0], route[1], null).status(), caller.getKey() + " " + route[1]);
            }
        }
        assertEquals(403, user.client().post("/api/v2/custom_nodes/install", Map.of("source", "x")).status());
    }

    @Test
    void theApiDescriptionAndItsPageArePublicAndListTheseRoutesWithTheirAccess() {
        for (TestClient caller : List.of(anonymous, user.client(), admin.client())) {
            TestResponse document = caller.get("/openapi.json");
            assertEquals(200, document.status(), document.toString());
            JsonNode paths = document.json().path("paths");
            assertTrue(paths.has("/api/v1/utilities/expand-prompt"), paths.toString());
            assertEquals("admin_or_default", paths.path("/api/v2/custom_nodes/install").path("post").path("x-access").asText(), paths.toString());
            assertEquals("user_or_default", paths.path("/api/v1/utilities/dynamicprompts").path("post").path("x-access").asText());
            TestResponse page = caller.get("/docs");
            assertEquals(200, page.status());
            assertTrue(page.header("Content-Type").orElse("").startsWith("text/html"), page.toString());
        }
        // A token that is no longer good does not matter on a public route.
        for (TestClient refused : RefusedCallers.of(CORE, anonymous).values()) {
            assertEquals(200, refused.get("/openapi.json").status());
        }
    }
}

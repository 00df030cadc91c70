package org.invokej.ui;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.inference.graph.InvocationSchemas;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.nodes.NodeTypes;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /openapi.json}: the server's own routes with the access the route-access table gives them, and
 * an invocation schema per node type; {@code /docs}: Swagger UI over it, in Chromium, within its policy.
 */
class OpenApiDocsTest {

    @TempDir
    static Path root;
    private static TestServer server;
    private static JsonNode document;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        TestResponse answer = server.client().get("/openapi.json");
        assertEquals(200, answer.status(), "public, as InvokeAI serves it");
        document = answer.json();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theRoutesAreTheServersWithWhoMayCallThem() {
        assertEquals("3.1.0", document.path("openapi").asText());
        JsonNode paths = document.path("paths");
        assertEquals("public", paths.path("/api/v1/app/version").path("get").path("x-access").asText());
        assertEquals(0, paths.path("/api/v1/app/version").path("get").path("security").size());
        assertEquals("admin_or_default", paths.path("/api/v1/app/runtime_config").path("patch").path("x-access").asText());
        assertEquals("HTTPBearer", paths.path("/api/v1/app/runtime_config").path("patch").path("security").path(0).fieldNames().next());
        assertEquals("user_or_default", paths.path("/api/v1/boards/{board_id}").path("delete").path("x-access").asText());
        assertEquals("board_id", paths.path("/api/v1/boards/{board_id}").path("delete").path("parameters").path(0).path("name").asText());
        assertTrue(paths.path("/api/v1/queue/{queue_id}/enqueue_batch").has("post"));
        assertTrue(paths.path("/api/v1/utilities/dynamicprompts").has("post"));
        assertTrue(paths.path("/api/v2/models/install").has("post"));
        // Every listed route exists: calling each GET without parameters as an anonymous client is never a 404 or 405.
        paths.fields().forEachRemaining(entry -> {
            if (entry.getValue().has("get") && !entry.getKey().contains("{")) {
                int status = server.client().get(entry.getKey()).status();
                assertTrue(status != 404 && status != 405, entry.getKey() + " → " + status);
            }
        });
    }

    @Test
    void everyNodeTypeHasItsInvocationSchema() {
        JsonNode schemas = document.path("components").path("schemas");
        for (NodeType type : NodeTypes.standard().all()) {
            JsonNode schema = schemas.path(InvocationSchemas.invocationSchemaName(type.spec()));
            assertEquals("invocation", schema.path("class").asText(), type.spec().type());
            assertEquals(type.spec().type(), schema.path("properties").path("type").path("default").asText());
        }
    }

    @Test
    void theDocsPageShowsTheApiWithinItsPolicy() {
        TestResponse page = server.client().get("/docs");
        assertEquals(200, page.status());
        String policy = page.header("Content-Security-Policy").orElse("");
        assertTrue(policy.contains("script-src 'self';"), policy);
        try (InvokeAiBrowser browser = new InvokeAiBrowser(server.server().uri())) {
            browser.go("docs");
            browser.await("the routes listed", () -> browser.bodySays("/api/v1/boards/") && browser.bodySays("/api/v1/utilities/dynamicprompts"));
            browser.screenshot("openapi-docs");
            List<String> problems = browser.console().stream()
                    .filter(line -> line.contains("Content Security Policy") || line.contains("Uncaught")).toList();
            assertEquals(List.of(), problems);
            // Chromium asks for /favicon.ico on its own; the page asks for nothing that is missing.
            assertEquals(List.of(), browser.answers().stream().filter(a -> a.status() >= 400 && !a.url().endsWith("/favicon.ico"))
                    .map(InvokeAiBrowser.Answer::toString).toList());
        }
    }
}

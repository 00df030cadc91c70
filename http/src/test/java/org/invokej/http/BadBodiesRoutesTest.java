package org.invokej.http;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.core.content.ImageCategory;
import org.invokej.core.content.ImageService;
import org.invokej.core.content.WorkflowDocument;
import org.invokej.core.users.User;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every route that reads a JSON body, sent bodies that are not what it reads (malformed, the wrong JSON
 * type, null, a bare number), by an administrator so that access never stops the request first: each
 * answer is a 4xx with a {@code detail}, never a 500.
 */
@ServerTest
class BadBodiesRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private static final List<String> ROUTES = List.of(
            "POST /api/v1/auth/setup", "POST /api/v1/auth/login", "PATCH /api/v1/auth/me", "POST /api/v1/auth/users",
            "PATCH /api/v1/auth/users/{user}", "POST /api/v1/auth/users/{user}/transfer",
            "PATCH /api/v1/boards/{board}", "POST /api/v1/boards/{board}/transfer",
            "POST /api/v1/board_images/", "DELETE /api/v1/board_images/", "POST /api/v1/board_images/batch",
            "POST /api/v1/board_images/batch/delete",
            "POST /api/v1/images/images_by_names", "POST /api/v1/images/delete", "POST /api/v1/images/star",
            "POST /api/v1/images/unstar", "PATCH /api/v1/images/i/{image}",
            "POST /api/v1/workflows/", "PATCH /api/v1/workflows/i/{workflow}", "PATCH /api/v1/workflows/i/{workflow}/is_public",
            "POST /api/v1/queue/default/enqueue_batch", "POST /api/v1/queue/default/items_by_ids",
            "POST /api/v1/queue/default/item_summaries_by_ids", "PUT /api/v1/queue/default/cancel_by_batch_ids",
            "PUT /api/v1/queue/default/retry_items_by_id",
            "POST /api/v2/models/install?source=/nowhere", "PATCH /api/v2/models/i/{model}", "PUT /api/v2/models/i/{model}/allowed_users",
            "PUT /api/v2/models/i/{model}/onnx_export");

    private static final List<String> BODIES = List.of("{", "{\"a\": 1,}", "[]", "\"text\"", "null", "12", "true",
            "{\"x\": 1} {\"y\": 2}");

    // What the paths name, made once through the core services for all 200-odd cases.
    private static final User ADMIN = CORE.addUser("admin@example.com", "Route-Test-Password-1", true);
    private static final Map<String, String> IDS = Map.of(
            "{user}", ADMIN.userId(),
            "{board}", CORE.boards.create(ADMIN.actor(), "Board").board().boardId(),
            "{image}", CORE.images.upload(ADMIN.actor(), new ImageService.Upload(TestImages.png(8, 8), ImageCategory.GENERAL, false,
                    null, null, null)).imageName(),
            "{workflow}", CORE.workflows.create(ADMIN.actor(), WorkflowDocument.parse("""
                    {"name": "Flow", "author": "", "description": "", "version": "1.0.0", "contact": "", "tags": "", "notes": "",
                     "exposedFields": [], "meta": {"version": "3.0.0", "category": "user"}, "nodes": [], "edges": []}""")).workflowId(),
            "{model}", CORE.recordModel("Model", true).key());

    private final TestClient admin;

    BadBodiesRoutesTest(URI uri) {
        this.admin = RouteTestServer.client(uri).withToken(CORE.token(ADMIN));
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RouteTestServer.configure(server, CORE);
    }

    @AfterAll
    static void close() {
        CORE.close();
    }

    static Stream<Arguments> routesAndBodies() {
        // retry_items_by_id reads a list of ids, for which [] is a good (empty) body
        return ROUTES.stream().flatMap(route -> BODIES.stream()
                .map(body -> route.endsWith("/retry_items_by_id") && body.equals("[]") ? "[\"not-an-id\"]" : body)
                .map(body -> Arguments.of(route, body)));
    }

    @ParameterizedTest(name = "{0} <- {1}")
    @MethodSource("routesAndBodies")
    void aBodyTheRouteCannotReadIsA4xxWithADetail(String route, String body) {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1);
        for (Map.Entry<String, String> id : IDS.entrySet()) {
            path = path.replace(id.getKey(), id.getValue());
        }
        TestResponse response = admin.send(method, path, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
        assertFalse(response.detail().isBlank(), response.toString());
    }
}

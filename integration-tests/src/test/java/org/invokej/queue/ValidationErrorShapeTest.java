package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Validation refusals leave as FastAPI's 422, which InvokeAI's clients parse:
 * {@code {"detail": [{"loc": [...], "msg": "...", "type": "..."}]}}, the graph's naming the node and
 * field; other refusals keep {@code {"detail": "..."}}.
 */
class ValidationErrorShapeTest {

    private static final String ENQUEUE = "/api/v1/queue/default/enqueue_batch";
    private static final String DENOISE = "denoise_latents:Zx7Cv8Bn9M";

    @TempDir
    static Path root;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(root);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode onlyProblem(TestResponse response) {
        assertEquals(422, response.status(), response.toString());
        JsonNode detail = response.json().path("detail");
        assertTrue(detail.isArray() && detail.size() == 1, "FastAPI's list: " + response.json());
        JsonNode problem = detail.get(0);
        assertEquals(3, problem.size(), "loc, msg and type: " + problem);
        assertTrue(problem.path("loc").isArray(), problem.toString());
        assertTrue(problem.path("msg").isTextual() && !problem.path("msg").asText().isBlank(), problem.toString());
        assertTrue(problem.path("type").isTextual(), problem.toString());
        return problem;
    }

    private static List<String> loc(JsonNode problem) {
        return java.util.stream.StreamSupport.stream(problem.path("loc").spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void aBadFieldOfANodeIsLocatedAtTheNodeAndField() {
        Map<String, Object> graph = StandardGraphs.set(StandardGraphs.webUiTextToImage("no-such-model", 64, 64, 2, "euler"),
                DENOISE, "steps", 0);
        JsonNode problem = onlyProblem(server.client().post(ENQUEUE, Map.of("batch", Map.of("graph", graph, "runs", 1))));
        assertEquals(List.of("body", "batch", "graph", "nodes", DENOISE, "steps"), loc(problem));
        assertTrue(problem.path("msg").asText().contains("field 'steps'"), problem.toString());
        assertEquals("value_error", problem.path("type").asText());

        Map<String, Object> wrongType = StandardGraphs.set(StandardGraphs.webUiTextToImage("no-such-model", 64, 64, 2, "euler"),
                "noise:Df4Gh5Jk6L", "width", "wide");
        assertEquals(List.of("body", "batch", "graph", "nodes", "noise:Df4Gh5Jk6L", "width"),
                loc(onlyProblem(server.client().post(ENQUEUE, Map.of("batch", Map.of("graph", wrongType, "runs", 1))))));
    }

    @Test
    void graphProblemsWithoutAFieldAndBodyProblemsAreLocatedInTheBody() {
        Map<String, Object> unknownNode = Map.of("id", "g", "nodes", Map.of("x", Map.of("id", "x", "type", "teleport")), "edges", List.of());
        JsonNode unknown = onlyProblem(server.client().post(ENQUEUE, Map.of("batch", Map.of("graph", unknownNode, "runs", 1))));
        assertEquals("body", loc(unknown).getFirst());
        assertTrue(unknown.path("msg").asText().contains("teleport"), unknown.toString());

        JsonNode missing = onlyProblem(server.client().post(ENQUEUE, Map.of("prepend", false)));
        assertEquals("body", loc(missing).getFirst());

        JsonNode malformed = onlyProblem(server.client().send("POST", ENQUEUE, "application/json", "{".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("body"), loc(malformed));
        assertEquals("json_invalid", malformed.path("type").asText());
    }

    @Test
    void otherRefusalsKeepAPlainDetail() {
        TestResponse notFound = server.client().get("/api/v1/queue/default/i/999999");
        assertEquals(404, notFound.status());
        assertTrue(notFound.json().path("detail").isTextual(), notFound.toString());
    }
}

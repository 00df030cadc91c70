package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code float} primitive, the worked example of docs/architecture.md ("Adding a node type"): its
 * value set by batch data through {@code enqueue_batch} feeds {@code denoise_latents.cfg_scale}.
 */
class FloatNodeTest {

    @TempDir
    static Path root;
    @TempDir
    static Path sources;

    private static QueueWorld world;

    @BeforeAll
    static void start() {
        world = new QueueWorld(root, sources, Map.of());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Map<String, Object> batch(List<?> cfgValues) {
        Map<String, Object> graph = StandardGraphs.headlessTextToImage(world.modelKey, "a harbour", 5, 64, 2, "euler");
        StandardGraphs.add(graph, "cfg", "float", Map.of("value", 1.0));
        StandardGraphs.connect(graph, "cfg", "value", "d", "cfg_scale");
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("graph", graph);
        batch.put("data", List.of(List.of(StandardGraphs.datum("cfg", "value", new ArrayList<>(cfgValues)))));
        batch.put("runs", 1);
        return batch;
    }

    @Test
    void aFloatNodeFeedsCfgScaleFromBatchData() {
        TestResponse enqueued = world.enqueue(world.alice.client(), batch(List.of(3.5)));
        assertEquals(200, enqueued.status(), enqueued.toString());
        long itemId = enqueued.json().path("item_ids").get(0).asLong();
        JsonNode item = world.awaitFinished(itemId);
        assertEquals("completed", item.path("status").asText(), item.toString());
        JsonNode session = item.path("session");
        String floatNode = session.path("source_prepared_mapping").path("cfg").get(0).asText();
        JsonNode result = session.path("results").path(floatNode);
        assertEquals("float_output", result.path("type").asText(), result.toString());
        assertEquals(3.5, result.path("value").asDouble());
        String denoise = session.path("source_prepared_mapping").path("d").get(0).asText();
        assertEquals(3.5, session.path("execution_graph").path("nodes").path(denoise).path("cfg_scale").asDouble(),
                "the float's value reached the denoiser");
        assertEquals(1, item.path("field_values").size());
    }

    @Test
    void aFloatThatIsNotANumberIsRefusedNamingNodeAndField() {
        TestResponse refused = world.enqueue(world.alice.client(), batch(List.of("high")));
        assertEquals(422, refused.status(), refused.toString());
        String detail = refused.detail();
        assertTrue(detail.contains("node 'cfg' (float), field 'value': must be a number"), detail);
    }

    @Test
    void aFloatBelowTheDenoisersMinimumFailsTheCheckNotTheRun() {
        Map<String, Object> batch = batch(List.of(2.0));
        @SuppressWarnings("unchecked")
        Map<String, Object> graph = (Map<String, Object>) batch.get("graph");
        StandardGraphs.set(graph, "d", "cfg_scale", 0.5);
        TestResponse refused = world.enqueue(world.alice.client(), batch);
        assertEquals(422, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("field 'cfg_scale': must be at least 1"), refused.toString());
    }
}

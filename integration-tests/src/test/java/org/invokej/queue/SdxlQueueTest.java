package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SDXL through the HTTP API: the tiny SDXL model installed and recognised as {@code sdxl}, and InvokeAI
 * 6.14's own SDXL text-to-image (Generate tab) and image-to-image (canvas) batches, as its web UI sends
 * them, run through {@code enqueue_batch} to stored images.
 */
class SdxlQueueTest {

    @TempDir
    static Path root;
    @TempDir
    static Path sources;

    private static QueueWorld world;
    private static JsonNode sdxl;

    @BeforeAll
    static void start() {
        world = new QueueWorld(root, sources, Map.of());
        JsonNode job = ModelInstalls.install(world.admin.client(), TinyModels.sdxl().writeTo(sources.resolve("tiny-sdxl")));
        assertEquals("completed", job.path("status").asText(), job.toString());
        sdxl = job.path("config_out");
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static Map<String, String> model() {
        return new LinkedHashMap<>(Map.of("MODEL_KEY", sdxl.path("key").asText(), "MODEL_HASH", sdxl.path("hash").asText(),
                "MODEL_NAME", sdxl.path("name").asText()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> batchOf(Map<String, Object> body) {
        return (Map<String, Object>) body.get("batch");
    }

    private static List<Long> itemIds(TestResponse enqueued) {
        assertEquals(200, enqueued.status(), enqueued.toString());
        List<Long> ids = new ArrayList<>();
        enqueued.json().path("item_ids").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    private static JsonNode completed(long itemId) {
        JsonNode item = world.awaitFinished(itemId);
        assertEquals("completed", item.path("status").asText(), item.toString());
        return item;
    }

    /** The image the item's output node stored, as its owner reads it over HTTP. */
    private static JsonNode outputImage(JsonNode item, String outputNode) {
        JsonNode session = item.path("session");
        String prepared = session.path("source_prepared_mapping").path(outputNode).get(0).asText();
        String name = session.path("results").path(prepared).path("image").path("image_name").asText();
        return world.alice.client().get("/api/v1/images/i/" + name).json();
    }

    @Test
    void theInstalledModelIsRecordedAsSdxlAndRunnable() {
        assertEquals("sdxl", sdxl.path("base").asText(), sdxl.toString());
        assertEquals("main", sdxl.path("type").asText());
        assertEquals("onnx", sdxl.path("format").asText());
        JsonNode listed = world.alice.client().get("/api/v2/models/?base_models=sdxl").json().path("models");
        assertEquals(1, listed.size(), listed.toString());
        assertTrue(listed.get(0).path("runnable").asBoolean());
    }

    @Test
    void anSdxlFolderCannotBeInstalledAsSd1() {
        TestResponse refused = ModelInstalls.start(world.admin.client(), TinyModels.sdxl().writeTo(sources.resolve("xl-as-sd1")),
                true, Map.of("base", "sd-1"));
        if (refused.status() == 201) {
            JsonNode job = ModelInstalls.awaitJob(world.admin.client(), refused.json().path("id").asLong());
            assertEquals("error", job.path("status").asText(), job.toString());
            assertTrue(job.toString().contains("SDXL"), job.toString());
        } else {
            assertEquals(422, refused.status(), refused.toString());
            assertTrue(refused.detail().contains("SDXL"), refused.detail());
        }
    }

    @Test
    void theWebUiSdxlTextToImageBatchMakesOneImagePerSeed() throws Exception {
        Map<String, Object> body = StandardGraphs.webUiBatch("sdxl-text-to-image", model());
        List<Long> ids = itemIds(world.enqueue(world.alice.client(), batchOf(body)));
        assertEquals(2, ids.size());
        List<String> names = new ArrayList<>();
        for (long id : ids) {
            JsonNode image = outputImage(completed(id), "canvas_output:Ik9oLp0ZaS");
            assertEquals(64, image.path("width").asInt(), image.toString());
            assertFalse(image.path("is_intermediate").asBoolean());
            String name = image.path("image_name").asText();
            names.add(name);
            JsonNode metadata = world.alice.client().get("/api/v1/images/i/" + name + "/metadata").json();
            assertEquals("sdxl_txt2img", metadata.path("generation_mode").asText(), metadata.toString());
            assertEquals("sdxl", metadata.path("model").path("base").asText());
            assertEquals("a lighthouse on a cliff at dusk", metadata.path("positive_prompt").asText());
        }
        byte[] first = world.alice.client().get("/api/v1/images/i/" + names.get(0) + "/full").body();
        byte[] second = world.alice.client().get("/api/v1/images/i/" + names.get(1) + "/full").body();
        assertEquals(64, ImageIO.read(new ByteArrayInputStream(first)).getHeight());
        assertFalse(java.util.Arrays.equals(first, second), "two seeds, two pictures");
    }

    @Test
    void theWebUiSdxlImageToImageBatchStartsFromTheCanvasComposite() {
        TestResponse uploaded = TestImages.upload(world.alice.client(), TestImages.png(64, 64), "image/png",
                "image_category=general&is_intermediate=true", new LinkedHashMap<>());
        assertEquals(201, uploaded.status(), uploaded.toString());
        Map<String, String> placeholders = model();
        placeholders.put("IMAGE_NAME", uploaded.json().path("image_name").asText());
        Map<String, Object> body = StandardGraphs.webUiBatch("sdxl-image-to-image", placeholders);
        long id = itemIds(world.enqueue(world.alice.client(), batchOf(body))).get(0);
        JsonNode item = completed(id);
        assertEquals("canvas", item.path("destination").asText());
        JsonNode image = outputImage(item, "canvas_output:Zs1xDc4FvG");
        assertTrue(image.path("is_intermediate").asBoolean(), "the canvas stages its output: " + image);
        assertEquals(64, image.path("height").asInt());
    }

    @Test
    void anotherUsersCompositeIsNotReadable() {
        TestResponse uploaded = TestImages.upload(world.bob.client(), TestImages.png(64, 64), "image/png",
                "image_category=general&is_intermediate=true", new LinkedHashMap<>());
        Map<String, String> placeholders = model();
        placeholders.put("IMAGE_NAME", uploaded.json().path("image_name").asText());
        Map<String, Object> body = StandardGraphs.webUiBatch("sdxl-image-to-image", placeholders);
        long id = itemIds(world.enqueue(world.alice.client(), batchOf(body))).get(0);
        JsonNode item = world.awaitFinished(id);
        assertEquals("failed", item.path("status").asText(), item.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void aFewStepLcmRunAtGuidanceOne() {
        Map<String, Object> body = StandardGraphs.webUiBatch("sdxl-text-to-image", model());
        Map<String, Object> graph = (Map<String, Object>) batchOf(body).get("graph");
        StandardGraphs.set(graph, "denoise_latents:Tg6yHn1UjM", "scheduler", "lcm");
        StandardGraphs.set(graph, "denoise_latents:Tg6yHn1UjM", "steps", 4);
        StandardGraphs.set(graph, "denoise_latents:Tg6yHn1UjM", "cfg_scale", 1);
        long id = itemIds(world.enqueue(world.alice.client(), batchOf(body))).get(0);
        JsonNode item = completed(id);
        String denoise = item.path("session").path("source_prepared_mapping").path("denoise_latents:Tg6yHn1UjM").get(0).asText();
        assertEquals("lcm", item.path("session").path("execution_graph").path("nodes").path(denoise).path("scheduler").asText());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anSdxlPromptNodeWithAnUnknownFieldValueIsRefusedAtEnqueue() {
        Map<String, Object> body = StandardGraphs.webUiBatch("sdxl-text-to-image", model());
        Map<String, Object> graph = (Map<String, Object>) batchOf(body).get("graph");
        StandardGraphs.set(graph, "pos_cond:Hj6gFd3SaQ", "target_height", "tall");
        TestResponse refused = world.enqueue(world.alice.client(), batchOf(body));
        assertEquals(422, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("pos_cond:Hj6gFd3SaQ") && refused.detail().contains("target_height"), refused.detail());
    }
}

package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.inference.testmodels.TinyLoras;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LoRAs through the HTTP API: a {@code .safetensors} LoRA installed through the model manager (type {@code lora},
 * base from its layers or as given), applied by {@code lora_loader} and by the web UI's
 * {@code lora_selector → collect → lora_collection_loader} chain, making exactly the image of the model with the
 * LoRA's delta baked in; a LoRA for another base refused at enqueue.
 */
class LoraQueueTest {

    @TempDir
    static Path root;
    @TempDir
    static Path sources;

    private static QueueWorld world;
    private static JsonNode lora;
    private static String bakedKey;
    private static final double WEIGHT = 0.8;

    @BeforeAll
    static void start() {
        world = new QueueWorld(root, sources, Map.of());
        // the tiny UNet reads 32-wide text, which names no base: the installer is told
        TestResponse started = ModelInstalls.start(world.admin.client(), TinyLoras.sd15(32).writeTo(sources.resolve("detail.safetensors")),
                false, Map.of("base", "sd-1"));
        assertEquals(201, started.status(), started.toString());
        JsonNode job = ModelInstalls.awaitJob(world.admin.client(), started.json().path("id").asLong());
        assertEquals("completed", job.path("status").asText(), job.toString());
        lora = job.path("config_out");
        Path tiny = sources.resolve("tiny");
        bakedKey = ModelInstalls.installKey(world.admin.client(), TinyLoras.sd15(32).bakedCopy(tiny, sources.resolve("baked"), WEIGHT));
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    @Test
    void theLoraIsRecordedAsInvokeAiRecordsOneAndItsFileIsInItsFolder() {
        assertEquals("lora", lora.path("type").asText(), lora.toString());
        assertEquals("lycoris", lora.path("format").asText());
        assertEquals("sd-1", lora.path("base").asText());
        assertTrue(lora.path("runnable").asBoolean());
        assertEquals(lora.path("key").asText() + "/detail.safetensors", lora.path("path").asText());
        assertTrue(Files.isRegularFile(root.resolve("models").resolve(lora.path("path").asText())));
        JsonNode listed = world.alice.client().get("/api/v2/models/?model_type=lora").json().path("models");
        assertEquals(1, listed.size(), listed.toString());
    }

    @Test
    void aLoraInstallsWithTheBaseItsLayersShow() {
        JsonNode sd1 = ModelInstalls.install(world.admin.client(), TinyLoras.sd15(768).writeTo(sources.resolve("wide.safetensors")));
        assertEquals("sd-1", sd1.path("config_out").path("base").asText(), sd1.toString());
        JsonNode xl = ModelInstalls.install(world.admin.client(), TinyLoras.sdxl().writeTo(sources.resolve("xl.safetensors")));
        assertEquals("sdxl", xl.path("config_out").path("base").asText(), xl.toString());
        JsonNode unknown = ModelInstalls.install(world.admin.client(), TinyLoras.sd15(32).seed(9).writeTo(sources.resolve("which.safetensors")));
        assertEquals("error", unknown.path("status").asText(), unknown.toString());
        assertTrue(unknown.path("error").asText().contains("cannot tell which base model"), unknown.toString());
    }

    @Test
    void reidentifyingALoraReadsItsLayersAgainAndKeepsAGivenBase() {
        String xl = ModelInstalls.installKey(world.admin.client(), TinyLoras.sdxl().writeTo(sources.resolve("again-xl.safetensors")));
        TestResponse again = world.admin.client().post("/api/v2/models/i/" + xl + "/reidentify", null);
        assertEquals(200, again.status(), again.toString());
        assertEquals("sdxl", again.json().path("base").asText(), again.toString());
        assertEquals("lora", again.json().path("type").asText());
        // the tiny LoRA's layers name no base: the one it was installed with stays
        String given = lora.path("key").asText();
        TestResponse kept = world.admin.client().post("/api/v2/models/i/" + given + "/reidentify", null);
        assertEquals(200, kept.status(), kept.toString());
        assertEquals("sd-1", kept.json().path("base").asText(), kept.toString());
    }

    @Test
    void aFileThatIsNoLoraFailsItsInstall() throws IOException {
        Path garbage = Files.writeString(sources.resolve("garbage.safetensors"), "not a safetensors file");
        JsonNode job = ModelInstalls.install(world.admin.client(), garbage);
        assertEquals("error", job.path("status").asText(), job.toString());
        assertTrue(job.path("error").asText().contains("not a valid .safetensors"), job.toString());
    }

    @Test
    void loraLoaderMakesTheImageOfTheModelWithTheDeltaBakedIn() {
        BufferedImage plain = image(run(headless(world.modelKey, 21)));
        BufferedImage baked = image(run(headless(bakedKey, 21)));
        Map<String, Object> graph = headless(world.modelKey, 21);
        StandardGraphs.add(graph, "lora", "lora_loader", Map.of("lora", identifier(lora), "weight", WEIGHT));
        reroute(graph, "m", "lora", List.of("unet", "clip"));
        BufferedImage withLora = image(run(graph));
        assertFalse(java.util.Arrays.equals(pixels(plain), pixels(withLora)), "the LoRA changes the image");
        assertArrayEquals(pixels(baked), pixels(withLora));
    }

    @Test
    void theWebUisCollectionLoaderChainAppliesTheLoraAlike() {
        Map<String, Object> graph = headless(world.modelKey, 22);
        StandardGraphs.add(graph, "lora_selector:1", "lora_selector", Map.of("lora", identifier(lora), "weight", WEIGHT));
        StandardGraphs.add(graph, "lora_collector", "collect", Map.of());
        StandardGraphs.add(graph, "lora_collection_loader", "lora_collection_loader", Map.of());
        StandardGraphs.connect(graph, "lora_selector:1", "lora", "lora_collector", "item");
        StandardGraphs.connect(graph, "lora_collector", "collection", "lora_collection_loader", "loras");
        reroute(graph, "m", "lora_collection_loader", List.of("unet", "clip"));
        assertArrayEquals(pixels(image(run(headless(bakedKey, 22)))), pixels(image(run(graph))));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWebUisSdxlBatchWithAnSdxlLoraMakesTheImagesOfTheBakedSdxlModel() {
        Path sdxl = TinyModels.sdxl().writeTo(sources.resolve("tiny-sdxl"));
        JsonNode model = ModelInstalls.install(world.admin.client(), sdxl).path("config_out");
        JsonNode baked = ModelInstalls.install(world.admin.client(), TinyLoras.sdxl().bakedCopy(sdxl, sources.resolve("baked-sdxl"), 0.9))
                .path("config_out");
        JsonNode xlLora = ModelInstalls.install(world.admin.client(), TinyLoras.sdxl().writeTo(sources.resolve("xl-style.safetensors")))
                .path("config_out");
        assertEquals("sdxl", xlLora.path("base").asText(), xlLora.toString());
        Map<String, Object> withLora = sdxlBatch(model);
        Map<String, Object> graph = (Map<String, Object>) withLora.get("graph");
        StandardGraphs.add(graph, "lora_selector:Xl1", "lora_selector", Map.of("lora", identifier(xlLora), "weight", 0.9));
        StandardGraphs.add(graph, "lora_collector:Xl2", "collect", Map.of());
        StandardGraphs.add(graph, "sdxl_lora_collection_loader:Xl3", "sdxl_lora_collection_loader", Map.of());
        StandardGraphs.connect(graph, "lora_selector:Xl1", "lora", "lora_collector:Xl2", "item");
        StandardGraphs.connect(graph, "lora_collector:Xl2", "collection", "sdxl_lora_collection_loader:Xl3", "loras");
        reroute(graph, "sdxl_model_loader:Tz4bN1cXe7", "sdxl_lora_collection_loader:Xl3", List.of("unet", "clip", "clip2"));
        List<BufferedImage> fromLora = images(withLora, "canvas_output:Ik9oLp0ZaS");
        List<BufferedImage> fromBaked = images(sdxlBatch(baked), "canvas_output:Ik9oLp0ZaS");
        assertEquals(2, fromLora.size());
        for (int i = 0; i < fromLora.size(); i++) {
            assertArrayEquals(pixels(fromBaked.get(i)), pixels(fromLora.get(i)), "seed " + i);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sdxlBatch(JsonNode model) {
        Map<String, Object> body = StandardGraphs.webUiBatch("sdxl-text-to-image", new LinkedHashMap<>(Map.of(
                "MODEL_KEY", model.path("key").asText(), "MODEL_HASH", model.path("hash").asText(), "MODEL_NAME", model.path("name").asText())));
        return (Map<String, Object>) body.get("batch");
    }

    private static List<BufferedImage> images(Map<String, Object> batch, String outputNode) {
        TestResponse enqueued = world.enqueue(world.alice.client(), batch);
        assertEquals(200, enqueued.status(), enqueued.toString());
        List<BufferedImage> images = new java.util.ArrayList<>();
        for (JsonNode id : enqueued.json().path("item_ids")) {
            JsonNode item = world.awaitFinished(id.asLong());
            assertEquals("completed", item.path("status").asText(), item.toString());
            images.add(image(item, outputNode));
        }
        return images;
    }

    @Test
    void aLoraForAnotherBaseIsRefusedAtEnqueue() {
        String xl = ModelInstalls.installKey(world.admin.client(), TinyLoras.sdxl().writeTo(sources.resolve("other-xl.safetensors")));
        Map<String, Object> graph = headless(world.modelKey, 23);
        Map<String, Object> identifier = new LinkedHashMap<>(Map.of("key", xl, "hash", "blake3:0", "name", "other-xl", "base", "sdxl",
                "type", "lora"));
        StandardGraphs.add(graph, "lora", "lora_loader", Map.of("lora", identifier, "weight", 1.0));
        reroute(graph, "m", "lora", List.of("unet", "clip"));
        TestResponse refused = world.enqueue(world.alice.client(), batch(graph));
        assertEquals(422, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("other-xl") && refused.detail().contains("sdxl"), refused.detail());
    }

    @Test
    void deletingTheLoraRemovesItsFolder() {
        String key = ModelInstalls.installKey(world.admin.client(), TinyLoras.sd15(768).seed(3).writeTo(sources.resolve("gone.safetensors")));
        assertTrue(Files.isDirectory(root.resolve("models").resolve(key)));
        TestResponse deleted = world.admin.client().delete("/api/v2/models/i/" + key);
        assertEquals(2, deleted.status() / 100, deleted.toString());
        assertFalse(Files.exists(root.resolve("models").resolve(key)));
    }

    // ---- helpers ----

    private static Map<String, Object> identifier(JsonNode config) {
        return new LinkedHashMap<>(Map.of("key", config.path("key").asText(), "hash", config.path("hash").asText(),
                "name", config.path("name").asText(), "base", config.path("base").asText(), "type", "lora"));
    }

    private static Map<String, Object> headless(String modelKey, long seed) {
        return StandardGraphs.headlessTextToImage(modelKey, "a lighthouse at dusk", seed, 64, 6, "euler");
    }

    /** Moves the edges of {@code fields} leaving {@code from} to leave {@code via}, and feeds {@code via} from {@code from}. */
    @SuppressWarnings("unchecked")
    private static void reroute(Map<String, Object> graph, String from, String via, List<String> fields) {
        List<Map<String, Object>> edges = (List<Map<String, Object>>) graph.get("edges");
        for (Map<String, Object> edge : edges) {
            Map<String, Object> source = (Map<String, Object>) edge.get("source");
            if (source.get("node_id").equals(from) && fields.contains(source.get("field"))) {
                edge.put("source", new LinkedHashMap<>(Map.of("node_id", via, "field", source.get("field"))));
            }
        }
        fields.forEach(field -> StandardGraphs.connect(graph, from, field, via, field));
    }

    private static Map<String, Object> batch(Map<String, Object> graph) {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("graph", graph);
        batch.put("runs", 1);
        return batch;
    }

    private static JsonNode run(Map<String, Object> graph) {
        TestResponse enqueued = world.enqueue(world.alice.client(), batch(graph));
        assertEquals(200, enqueued.status(), enqueued.toString());
        JsonNode item = world.awaitFinished(enqueued.json().path("item_ids").get(0).asLong());
        assertEquals("completed", item.path("status").asText(), item.toString());
        return item;
    }

    private static BufferedImage image(JsonNode item) {
        return image(item, "o");
    }

    private static BufferedImage image(JsonNode item, String outputNode) {
        JsonNode session = item.path("session");
        String prepared = session.path("source_prepared_mapping").path(outputNode).get(0).asText();
        String name = session.path("results").path(prepared).path("image").path("image_name").asText();
        try {
            return ImageIO.read(new ByteArrayInputStream(world.alice.client().get("/api/v1/images/i/" + name + "/full").body()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}

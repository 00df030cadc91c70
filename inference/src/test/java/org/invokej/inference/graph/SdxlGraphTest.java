package org.invokej.inference.graph;

import org.invokej.core.DomainException;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationHandle;
import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.StandardGraphs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * InvokeAI 6.14's SDXL graphs as its web UI builds them (text-to-image from the Generate tab,
 * image-to-image from the canvas) run on the tiny SDXL model through the engine, node by node.
 */
class SdxlGraphTest {

    @TempDir
    static Path folder;

    private static Path sdxl;
    private static Path sd15;
    private static GenerationEngine engine;
    private final GraphExecutor executor = new GraphExecutor("6.14.0");

    @BeforeAll
    static void start() {
        sdxl = TinyModels.sdxl().writeTo(folder.resolve("tiny-sdxl"));
        sd15 = TinyModels.sd15().writeTo(folder.resolve("tiny-sd15"));
        engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Models by key ("xl", "sd15"), images in memory, what was saved. */
    static final class World implements GraphResources {
        final Map<String, BufferedImage> images = new LinkedHashMap<>();
        final List<Map<String, Object>> metadata = new ArrayList<>();
        final List<Boolean> intermediate = new ArrayList<>();

        @Override
        public Path modelFolder(ModelIdentifier model) {
            return switch (model.key()) {
                case "xl" -> sdxl;
                case "sd15" -> sd15;
                default -> throw DomainException.notFound("Model " + model.key() + " not found");
            };
        }

        @Override
        public BufferedImage loadImage(String imageName) {
            BufferedImage image = images.get(imageName);
            if (image == null) {
                throw DomainException.notFound("no image " + imageName);
            }
            return image;
        }

        @Override
        public StoredImage saveImage(BufferedImage image, BoardField board, MetadataField metadata, boolean intermediate,
                                     String preparedNodeId) {
            String name = "out" + images.size() + ".png";
            images.put(name, image);
            this.metadata.add(metadata == null ? null : metadata.values());
            this.intermediate.add(intermediate);
            return new StoredImage(name, image.getWidth(), image.getHeight());
        }

        BufferedImage last() {
            return new ArrayList<>(images.values()).get(images.size() - 1);
        }
    }

    /** The batch's graph with the first value of each batch datum set, as the queue's first session has it. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstSession(Map<String, Object> body) {
        Map<String, Object> batch = (Map<String, Object>) body.get("batch");
        Map<String, Object> graph = (Map<String, Object>) batch.get("graph");
        for (List<Map<String, Object>> group : (List<List<Map<String, Object>>>) batch.get("data")) {
            for (Map<String, Object> datum : group) {
                StandardGraphs.set(graph, (String) datum.get("node_path"), (String) datum.get("field_name"),
                        ((List<?>) datum.get("items")).get(0));
            }
        }
        return graph;
    }

    private static Map<String, Object> textToImage() {
        return firstSession(StandardGraphs.webUiBatch("sdxl-text-to-image",
                Map.of("MODEL_KEY", "xl", "MODEL_HASH", "blake3:0", "MODEL_NAME", "tiny-sdxl")));
    }

    private ExecutionState run(Map<String, Object> json, World world) throws Exception {
        Graph graph = Graph.parse(json, Set.of());
        ExecutionState state = new ExecutionState("session-1", json);
        GenerationHandle<ExecutionState> handle = engine.submit(context -> {
            executor.run(graph, state, context, world, InvocationListener.NONE);
            return state;
        }, progress -> { });
        return handle.await(Duration.ofSeconds(60));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theWebUiTextToImageGraphMakesAnImageWithItsMetadata() throws Exception {
        World world = new World();
        ExecutionState state = run(textToImage(), world);
        assertEquals(1, world.images.size());
        BufferedImage image = world.last();
        assertEquals(64, image.getWidth());
        assertEquals(64, image.getHeight());
        assertFalse(world.intermediate.get(0));
        Map<String, Object> metadata = world.metadata.get(0);
        assertEquals("sdxl_txt2img", metadata.get("generation_mode"));
        assertEquals("a lighthouse on a cliff at dusk", metadata.get("positive_prompt"));
        assertEquals(1234L, ((Number) metadata.get("seed")).longValue());
        Map<String, Object> results = (Map<String, Object>) state.toJson().get("results");
        Map<String, Object> loader = results.values().stream().map(r -> (Map<String, Object>) r)
                .filter(r -> "sdxl_model_loader_output".equals(r.get("type"))).findFirst().orElseThrow();
        Map<String, Object> clip2 = (Map<String, Object>) loader.get("clip2");
        assertEquals("text_encoder_2", ((Map<String, Object>) clip2.get("text_encoder")).get("submodel_type"));
        assertEquals("tokenizer_2", ((Map<String, Object>) clip2.get("tokenizer")).get("submodel_type"));
    }

    @Test
    void theWebUiImageToImageGraphStartsFromTheImage() throws Exception {
        BufferedImage init = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = init.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.BLUE);
        g.fillOval(8, 8, 40, 40);
        g.dispose();
        Map<String, Object> graph = firstSession(StandardGraphs.webUiBatch("sdxl-image-to-image",
                Map.of("MODEL_KEY", "xl", "MODEL_HASH", "blake3:0", "MODEL_NAME", "tiny-sdxl", "IMAGE_NAME", "composite.png")));
        World light = new World();
        light.images.put("composite.png", init);
        run(graph, light);
        assertTrue(light.intermediate.get(0), "the canvas stages its output");
        assertEquals("sdxl_img2img", light.metadata.get(0).get("generation_mode"));
        World heavy = new World();
        heavy.images.put("composite.png", init);
        run(StandardGraphs.set(graph, "denoise_latents:Tg6yHn1UjM", "denoising_start", 0.0), heavy);
        assertTrue(difference(light.last(), heavy.last()) > 0.5, "denoising_start should matter");
        assertTrue(difference(light.last(), init) < difference(heavy.last(), init), "starting later keeps more of the image");
    }

    @Test
    void fewStepsWithTheLcmSchedulerAtGuidanceOne() throws Exception {
        Map<String, Object> graph = textToImage();
        StandardGraphs.set(graph, "denoise_latents:Tg6yHn1UjM", "scheduler", "lcm");
        StandardGraphs.set(graph, "denoise_latents:Tg6yHn1UjM", "steps", 4);
        StandardGraphs.set(graph, "denoise_latents:Tg6yHn1UjM", "cfg_scale", 1);
        World world = new World();
        run(graph, world);
        assertEquals(1, world.images.size());
    }

    @Test
    void anSd15ModelInTheSdxlLoaderFailsSayingSo() {
        Map<String, Object> graph = textToImage();
        @SuppressWarnings("unchecked")
        Map<String, Object> model = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) graph.get("nodes"))
                .get("sdxl_model_loader:Tz4bN1cXe7")).get("model");
        model.put("key", "sd15");
        model.put("name", "tiny-sd15");
        Exception failed = assertThrows(Exception.class, () -> run(graph, new World()));
        assertTrue(String.valueOf(failed.getMessage()).contains("'tiny-sd15' is not an SDXL model"), failed.toString());
    }

    @Test
    void aBadSizeIsRefusedWhenTheGraphIsCheckedNamingNodeAndField() {
        Map<String, Object> graph = textToImage();
        StandardGraphs.set(graph, "pos_cond:Hj6gFd3SaQ", "original_width", "wide");
        DomainException refused = assertThrows(DomainException.class, () -> Graph.parse(graph, Set.of()));
        assertTrue(refused.getMessage().contains("pos_cond:Hj6gFd3SaQ") && refused.getMessage().contains("original_width"),
                refused.getMessage());
    }

    @Test
    void aSizeConditioningBeyondAnImageSideIsRefusedBeforeItRuns() {
        Map<String, Object> graph = textToImage();
        StandardGraphs.set(graph, "pos_cond:Hj6gFd3SaQ", "target_height", 5_000_000_000L);
        DomainException refused = assertThrows(DomainException.class, () -> Graph.parse(graph, Set.of()));
        assertTrue(refused.getMessage().contains("target_height") && refused.getMessage().contains("65536"), refused.getMessage());
    }

    private static double difference(BufferedImage a, BufferedImage b) {
        double sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (a.getWidth() * a.getHeight() * 3.0);
    }
}

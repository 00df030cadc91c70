package org.invokej.inference.graph;

import org.invokej.core.DomainException;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The graphs InvokeAI 6.14's canvas sends for inpainting and outpainting (SD 1.5 and SDXL, written from its
 * graph builders as test resources), run end to end on the tiny models: what is kept stays exactly as it
 * was, what is masked or transparent is painted, sizes come back as the canvas asked.
 */
class CanvasGraphTest {

    @TempDir
    static Path folder;

    private static Path sd15;
    private static Path sdxl;
    private static Path sd15Inpaint;
    private static GenerationEngine engine;
    private final GraphExecutor executor = new GraphExecutor("6.14.0");

    @BeforeAll
    static void start() {
        sd15 = TinyModels.sd15().writeTo(folder.resolve("tiny-sd15"));
        sdxl = TinyModels.sdxl().writeTo(folder.resolve("tiny-sdxl"));
        sd15Inpaint = TinyModels.sd15().inpaint().writeTo(folder.resolve("tiny-sd15-inpaint"));
        engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Models by key, images in memory, and what each node saved. */
    static final class World implements GraphResources {
        final Map<String, BufferedImage> images = new LinkedHashMap<>();
        final Map<String, BufferedImage> savedBy = new LinkedHashMap<>();

        @Override
        public Path modelFolder(ModelIdentifier model) {
            return switch (model.key()) {
                case "sd15" -> sd15;
                case "xl" -> sdxl;
                case "sd15-inpaint" -> sd15Inpaint;
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
            String name = preparedNodeId + ".png";
            images.put(name, image);
            savedBy.put(preparedNodeId, image);
            return new StoredImage(name, image.getWidth(), image.getHeight());
        }
    }

    /** An opaque picture with some structure, so tiles and repainting can be told apart. */
    static BufferedImage picture(int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, 0xFF000000 | (x * 2 % 256) << 16 | (y * 2 % 256) << 8 | ((x ^ y) & 0xff));
            }
        }
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillOval(10, 20, 50, 40);
        g.dispose();
        return image;
    }

    /** The canvas's grey mask composite: white keeps, black (the painted mask) is repainted. */
    static BufferedImage maskWithBlackSquare(int size, int from, int to) {
        BufferedImage mask = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setColor(Color.BLACK);
        g.fillRect(from, from, to - from, to - from);
        g.dispose();
        return mask;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> firstSession(Map<String, Object> body) {
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

    static Map<String, Object> session(String resource, String modelKey) {
        return firstSession(StandardGraphs.webUiBatch(resource, Map.of("MODEL_KEY", modelKey, "MODEL_HASH", "blake3:0",
                "MODEL_NAME", "tiny", "IMAGE_NAME", "composite.png", "MASK_NAME", "mask.png", "NOISE_MASK_NAME", "noise.png")));
    }

    /** The id of the graph's node whose id starts with {@code prefix:} (the web UI adds a random suffix). */
    @SuppressWarnings("unchecked")
    static String nodeId(Map<String, Object> graph, String prefix) {
        return ((Map<String, Object>) graph.get("nodes")).keySet().stream()
                .filter(id -> id.equals(prefix) || id.startsWith(prefix + ":")).findFirst().orElseThrow();
    }

    private ExecutionState lastState;

    /** Runs the graph; answers what each source node saved. */
    @SuppressWarnings("unchecked")
    private Map<String, BufferedImage> run(Map<String, Object> json, World world) throws Exception {
        Graph graph = Graph.parse(json, Set.of());
        ExecutionState state = new ExecutionState("session-1", json);
        engine.submit(context -> {
            executor.run(graph, state, context, world, InvocationListener.NONE);
            return state;
        }, progress -> { }).await(Duration.ofSeconds(120));
        lastState = state;
        Map<String, List<String>> prepared = (Map<String, List<String>>) state.toJson().get("source_prepared_mapping");
        Map<String, BufferedImage> bySource = new LinkedHashMap<>();
        prepared.forEach((source, ids) -> {
            BufferedImage saved = world.savedBy.get(ids.get(0));
            if (saved != null) {
                bySource.put(source, saved);
            }
        });
        return bySource;
    }

    @Test
    void sd15InpaintWithTheWholeImageOutputKeepsEverythingOutsideTheMaskAndRepaintsInside() throws Exception {
        Map<String, Object> graph = session("sd15-canvas-inpaint-whole-image", "sd15");
        World world = new World();
        BufferedImage composite = picture(128);
        world.images.put("composite.png", composite);
        world.images.put("mask.png", maskWithBlackSquare(128, 80, 112));
        Map<String, BufferedImage> saved = run(graph, world);

        BufferedImage out = saved.get(nodeId(graph, "canvas_output"));
        BufferedImage generated = saved.get(nodeId(graph, "l2i"));
        assertEquals(128, out.getWidth());
        assertEquals(128, out.getHeight());
        // far from the mask (past the coherence blur and the fade) the paste back is the composite itself
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 128; x++) {
                assertEquals(composite.getRGB(x, y), out.getRGB(x, y), "kept pixel " + x + "," + y);
            }
        }
        boolean repainted = false;
        for (int y = 84; y < 108; y++) {
            for (int x = 84; x < 108; x++) {
                assertEquals(generated.getRGB(x, y) | 0xFF000000, out.getRGB(x, y), "inside the mask the generated pixel " + x + "," + y);
                repainted |= out.getRGB(x, y) != composite.getRGB(x, y);
            }
        }
        assertTrue(repainted, "the masked square is painted anew");
        // between the two the fade mixes them: neither all kept nor all generated
        BufferedImage fade = saved.get(nodeId(graph, "expand_mask_with_fade"));
        int between = 0;
        int previous = 255;
        for (int x = 0; x < 80; x++) {
            int value = fade.getRGB(x, 96) & 0xff;
            assertTrue(value <= previous, "the fade falls towards the mask at " + x);
            between += value > 0 && value < 255 ? 1 : 0;
            previous = value;
        }
        assertEquals(0, previous, "the repainted area reaches past the mask's edge");
        assertTrue(between >= 8, "the fade runs over several pixels: " + between);
    }

    @Test
    void sd15InpaintWithOnlyTheMaskedRegionOutputIsTransparentOutsideTheMask() throws Exception {
        Map<String, Object> graph = session("sd15-canvas-inpaint", "sd15");
        World world = new World();
        world.images.put("composite.png", picture(128));
        world.images.put("mask.png", maskWithBlackSquare(128, 80, 112));
        Map<String, BufferedImage> saved = run(graph, world);

        BufferedImage out = saved.get(nodeId(graph, "canvas_output"));
        BufferedImage generated = saved.get(nodeId(graph, "l2i"));
        assertEquals(128, out.getWidth());
        assertTrue(out.getColorModel().hasAlpha());
        assertEquals(0, out.getRGB(10, 10) >>> 24, "outside the mask the canvas keeps its own layers");
        assertEquals(0, out.getRGB(120, 10) >>> 24);
        for (int y = 84; y < 108; y++) {
            for (int x = 84; x < 108; x++) {
                assertEquals(255, out.getRGB(x, y) >>> 24);
                assertEquals(generated.getRGB(x, y) & 0xFFFFFF, out.getRGB(x, y) & 0xFFFFFF);
            }
        }
    }

    @Test
    void sd15OutpaintFillsTheTransparentAreaAndKeepsTheRest() throws Exception {
        Map<String, Object> graph = session("sd15-canvas-outpaint", "sd15");
        World world = new World();
        BufferedImage composite = picture(128);
        for (int y = 0; y < 128; y++) {
            for (int x = 96; x < 128; x++) {
                composite.setRGB(x, y, 0);
            }
        }
        world.images.put("composite.png", composite);
        world.images.put("mask.png", maskWithBlackSquare(128, 0, 0));
        Map<String, BufferedImage> saved = run(graph, world);

        BufferedImage infilled = saved.get("infill_tile");
        assertNotNull(infilled, "the tile infill saved its image");
        for (int y = 0; y < 128; y += 32) {
            int[] tile = infilled.getRGB(96, y, 32, 32, null, 0, 32);
            boolean copied = false;
            for (int ty = 0; ty < 128 && !copied; ty += 32) {
                for (int tx = 0; tx < 96 && !copied; tx += 32) {
                    copied = java.util.Arrays.equals(tile, composite.getRGB(tx, ty, 32, 32, null, 0, 32));
                }
            }
            assertTrue(copied, "the transparent tile at row " + y + " is a copy of an opaque one");
        }
        BufferedImage alphaMask = saved.get(nodeId(graph, "image_alpha_to_mask"));
        assertEquals(255, alphaMask.getRGB(10, 10) & 0xff);
        assertEquals(0, alphaMask.getRGB(100, 10) & 0xff);

        BufferedImage out = saved.get(nodeId(graph, "canvas_output"));
        BufferedImage generated = saved.get(nodeId(graph, "l2i"));
        assertEquals(128, out.getWidth());
        assertEquals(128, out.getHeight());
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                assertEquals(255, out.getRGB(x, y) >>> 24, "the outpainted image is opaque at " + x + "," + y);
            }
            for (int x = 0; x < 40; x++) {
                assertEquals(composite.getRGB(x, y), out.getRGB(x, y), "kept pixel " + x + "," + y);
            }
            for (int x = 100; x < 128; x++) {
                assertEquals(generated.getRGB(x, y) | 0xFF000000, out.getRGB(x, y), "outpainted pixel " + x + "," + y);
            }
        }
    }

    @Test
    void sdxlInpaintScaledBeforeProcessingComesBackAtTheCanvasSize() throws Exception {
        Map<String, Object> graph = session("sdxl-canvas-inpaint", "xl");
        World world = new World();
        world.images.put("composite.png", picture(128));
        world.images.put("mask.png", maskWithBlackSquare(128, 80, 112));
        Map<String, BufferedImage> saved = run(graph, world);

        assertEquals(192, saved.get(nodeId(graph, "resize_image_to_scaled_size")).getWidth());
        assertEquals(192, saved.get(nodeId(graph, "l2i")).getWidth(), "generated at the scaled size");
        BufferedImage out = saved.get(nodeId(graph, "canvas_output"));
        assertEquals(128, out.getWidth());
        assertEquals(128, out.getHeight());
        assertEquals(0, out.getRGB(10, 10) >>> 24, "outside the mask nothing is laid over the canvas");
        assertEquals(255, out.getRGB(96, 96) >>> 24, "inside it the generated image is");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCanvasDefaultLamaInfillIsRefusedNamingTheNodeAndWhatToUseInstead() throws Exception {
        // the canvas's default infill method is LaMa: the same graph with infill_lama where infill_tile is
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        String json = mapper.writeValueAsString(session("sd15-canvas-outpaint", "sd15")).replace("\"infill_tile\"", "\"infill_lama\"");
        Map<String, Object> lama = mapper.readValue(json, Map.class);
        DomainException e = assertThrows(DomainException.class, () -> Graph.parse(lama, Set.of()));
        assertTrue(e.getMessage().contains("infill_lama") && e.getMessage().contains("infill_tile")
                && e.getMessage().contains("infill_rgba"), e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInpaintingUnetGetsTheMaskedImageFromTheCanvasGraphAndKeepsTheRest() throws Exception {
        Map<String, Object> graph = session("sd15-canvas-inpaint-whole-image", "sd15-inpaint");
        World world = new World();
        BufferedImage composite = picture(128);
        world.images.put("composite.png", composite);
        world.images.put("mask.png", maskWithBlackSquare(128, 80, 112));
        Map<String, BufferedImage> saved = run(graph, world);

        Map<String, Object> json = lastState.toJson();
        String gradient = ((Map<String, List<String>>) json.get("source_prepared_mapping")).get(nodeId(graph, "create_gradient_mask")).get(0);
        Map<String, Object> mask = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) json.get("results"))
                .get(gradient)).get("denoise_mask");
        assertNotNull(mask.get("masked_latents_name"), "an inpainting UNet gets the masked image's latents");
        BufferedImage out = saved.get(nodeId(graph, "canvas_output"));
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 128; x++) {
                assertEquals(composite.getRGB(x, y), out.getRGB(x, y), "kept pixel " + x + "," + y);
            }
        }
        boolean repainted = false;
        for (int y = 84; y < 108 && !repainted; y++) {
            for (int x = 84; x < 108; x++) {
                repainted |= out.getRGB(x, y) != composite.getRGB(x, y);
            }
        }
        assertTrue(repainted);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anOrdinaryUnetGetsNoMaskedLatents() throws Exception {
        Map<String, Object> graph = session("sd15-canvas-inpaint", "sd15");
        World world = new World();
        world.images.put("composite.png", picture(128));
        world.images.put("mask.png", maskWithBlackSquare(128, 80, 112));
        run(graph, world);
        Map<String, Object> json = lastState.toJson();
        String gradient = ((Map<String, List<String>>) json.get("source_prepared_mapping")).get(nodeId(graph, "create_gradient_mask")).get(0);
        Map<String, Object> mask = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) json.get("results"))
                .get(gradient)).get("denoise_mask");
        assertEquals(null, mask.get("masked_latents_name"));
        assertEquals(true, mask.get("gradient"));
    }

    @Test
    void anInpaintMaskWithANoiseLevelNoisesTheImageOnlyUnderItBeforeEncoding() throws Exception {
        Map<String, Object> graph = session("sd15-canvas-inpaint-noise", "sd15");
        World world = new World();
        BufferedImage composite = picture(128);
        world.images.put("composite.png", composite);
        world.images.put("mask.png", maskWithBlackSquare(128, 80, 112));
        world.images.put("noise.png", maskWithBlackSquare(128, 80, 112));
        Map<String, BufferedImage> saved = run(graph, world);

        BufferedImage noisy = saved.get(nodeId(graph, "add_inpaint_noise"));
        int changed = 0;
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                boolean under = x >= 80 && x < 112 && y >= 80 && y < 112;
                if (!under) {
                    assertEquals(composite.getRGB(x, y), noisy.getRGB(x, y), "no noise outside the noise mask at " + x + "," + y);
                } else {
                    changed += composite.getRGB(x, y) != noisy.getRGB(x, y) ? 1 : 0;
                    assertEquals(255, noisy.getRGB(x, y) >>> 24, "the alpha is kept");
                }
            }
        }
        assertTrue(changed > 32 * 32 * 9 / 10, "at amount 1 the noise replaces the image under the mask: " + changed);
        assertEquals(128, saved.get(nodeId(graph, "canvas_output")).getWidth());
    }

    @Test
    void sd15OutpaintScaledBeforeProcessingInfillsAtTheScaledSizeAndComesBackWhole() throws Exception {
        Map<String, Object> graph = session("sd15-canvas-outpaint-scaled", "sd15");
        World world = new World();
        BufferedImage composite = picture(128);
        for (int y = 0; y < 128; y++) {
            for (int x = 96; x < 128; x++) {
                composite.setRGB(x, y, 0);
            }
        }
        world.images.put("composite.png", composite);
        world.images.put("mask.png", maskWithBlackSquare(128, 0, 0));
        Map<String, BufferedImage> saved = run(graph, world);

        BufferedImage scaled = saved.get(nodeId(graph, "resize_image_to_scaled_size"));
        assertEquals(192, scaled.getWidth());
        assertEquals(0, scaled.getRGB(180, 50) >>> 24, "resizing keeps the composite's transparency");
        BufferedImage infilled = saved.get("infill_tile");
        assertEquals(192, infilled.getWidth());
        assertEquals(255, infilled.getRGB(180, 50) >>> 24, "the infill fills it");
        BufferedImage out = saved.get(nodeId(graph, "canvas_output"));
        assertEquals(128, out.getWidth());
        assertEquals(128, out.getHeight());
        for (int y = 0; y < 128; y++) {
            assertEquals(255, out.getRGB(120, y) >>> 24, "the outpainted side is opaque at row " + y);
            for (int x = 0; x < 32; x++) {
                assertEquals(composite.getRGB(x, y), out.getRGB(x, y), "kept pixel " + x + "," + y);
            }
        }
    }
}

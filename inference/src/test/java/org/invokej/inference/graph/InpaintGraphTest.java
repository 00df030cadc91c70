package org.invokej.inference.graph;

import org.invokej.core.DomainException;
import org.invokej.inference.CancelToken;
import org.invokej.inference.DenoiseRequest;
import org.invokej.inference.DiffusionModel;
import org.invokej.inference.DiffusionPipeline;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationHandle;
import org.invokej.inference.Latents;
import org.invokej.inference.Mask;
import org.invokej.inference.ProgressListener;
import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.schedulers.SchedulerName;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Inpainting with an ordinary UNet, as InvokeAI's denoise mask does it: {@code create_denoise_mask} from a
 * mask image (white keeps, black is painted anew) feeding {@code denoise_latents.denoise_mask}.
 */
class InpaintGraphTest {

    @TempDir
    static Path folder;

    private static Path model;
    private static GenerationEngine engine;
    private final GraphExecutor executor = new GraphExecutor("6.14.0");

    @BeforeAll
    static void start() {
        model = TinyModels.sd15().writeTo(folder.resolve("tiny"));
        engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static BufferedImage picture() {
        BufferedImage image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.BLUE);
        g.fillOval(4, 8, 48, 40);
        g.dispose();
        return image;
    }

    /** White on the left half (kept), black on the right half (painted anew). */
    private static BufferedImage leftKept() {
        BufferedImage mask = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 32, 64);
        g.dispose();
        return mask;
    }

    @Test
    void theKeptPartIsTheOriginalLatentsExactlyAndThePaintedPartIsNew() throws Exception {
        Latents[] result = new Latents[2];
        Latents[] original = new Latents[1];
        engine.submit(context -> {
            DiffusionModel tiny = context.model(model);
            DiffusionPipeline pipeline = context.pipeline();
            CancelToken cancel = context.cancel();
            original[0] = pipeline.encodeImage(tiny, picture(), cancel);
            var positive = pipeline.encodePrompt(tiny, "a red ball", 0, cancel);
            var negative = pipeline.encodePrompt(tiny, "", 0, cancel);
            Mask mask = Mask.ofImage(leftKept()).resized(8, 8);
            Latents noise = DiffusionPipeline.noise(3, 64, 64);
            for (boolean gradient : new boolean[] {false, true}) {
                result[gradient ? 1 : 0] = pipeline.denoise(tiny, new DenoiseRequest(positive, negative, noise, original[0],
                        SchedulerName.EULER, 6, List.of(7.5), 0, 1, 3, mask, gradient), ProgressListener.NONE, cancel);
            }
            return null;
        }, ProgressListener.NONE).await(Duration.ofSeconds(60));
        for (Latents latents : result) {
            boolean paintedDiffers = false;
            for (int c = 0; c < 4; c++) {
                for (int y = 0; y < 8; y++) {
                    for (int x = 0; x < 8; x++) {
                        int i = (c * 8 + y) * 8 + x;
                        if (x < 4) {
                            assertEquals(original[0].data()[i], latents.data()[i], "kept at " + c + "," + y + "," + x);
                        } else if (Math.abs(original[0].data()[i] - latents.data()[i]) > 1e-3) {
                            paintedDiffers = true;
                        }
                    }
                }
            }
            assertTrue(paintedDiffers, "the painted half should change");
        }
    }

    @Test
    void theMaskIsResizedBilinearlyWithHalfPixelCentres() {
        Mask mask = new Mask(new float[] {0, 1, 1, 0}, 1, 4);
        // torch: F.interpolate([[0,1,1,0]], size=2, mode="bilinear", align_corners=False) -> [0.5, 0.5]
        Mask half = mask.resized(1, 2);
        assertEquals(0.5f, half.values()[0], 1e-6);
        assertEquals(0.5f, half.values()[1], 1e-6);
        // size 8: source positions (x + 0.5) / 2 - 0.5, clamped at 0
        Mask doubled = mask.resized(1, 8);
        assertEquals(0f, doubled.values()[0], 1e-6);
        assertEquals(0.25f, doubled.values()[1], 1e-6);
        assertEquals(0.75f, doubled.values()[2], 1e-6);
        assertEquals(1f, doubled.values()[3], 1e-6);
        assertEquals(0f, doubled.values()[7], 1e-6);
        assertEquals(0.5f, Mask.ofImage(grey(128)).values()[0], 0.003);
    }

    private static BufferedImage grey(int level) {
        BufferedImage image = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, level * 0x010101);
        return image;
    }

    /** Models by key, images in memory. */
    private static final class World implements GraphResources {
        final Map<String, BufferedImage> images = new LinkedHashMap<>();
        final Map<String, BufferedImage> saved = new LinkedHashMap<>();

        @Override
        public Path modelFolder(ModelIdentifier identifier) {
            if (!"tiny".equals(identifier.key())) {
                throw DomainException.notFound("Model " + identifier.key() + " not found");
            }
            return model;
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
            saved.put(preparedNodeId, image);
            return new StoredImage(preparedNodeId + ".png", image.getWidth(), image.getHeight());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anInpaintGraphKeepsTheWhitePartOfTheMask() throws Exception {
        Map<String, Object> graph = StandardGraphs.headlessTextToImage("tiny", "a red ball", 9, 64, 6, "euler");
        StandardGraphs.add(graph, "i", "i2l", Map.of("image", Map.of("image_name", "photo.png")));
        StandardGraphs.add(graph, "dm", "create_denoise_mask", Map.of("image", Map.of("image_name", "photo.png"),
                "mask", Map.of("image_name", "mask.png")));
        StandardGraphs.add(graph, "plain", "l2i", Map.of("is_intermediate", false));
        StandardGraphs.connect(graph, "m", "vae", "i", "vae");
        StandardGraphs.connect(graph, "m", "vae", "dm", "vae");
        StandardGraphs.connect(graph, "m", "vae", "plain", "vae");
        StandardGraphs.connect(graph, "i", "latents", "d", "latents");
        StandardGraphs.connect(graph, "i", "latents", "plain", "latents");
        StandardGraphs.connect(graph, "dm", "denoise_mask", "d", "denoise_mask");
        World world = new World();
        world.images.put("photo.png", picture());
        world.images.put("mask.png", leftKept());
        Graph parsed = Graph.parse(graph, Set.of());
        ExecutionState state = new ExecutionState("s", graph);
        GenerationHandle<ExecutionState> handle = engine.submit(context -> {
            executor.run(parsed, state, context, world, InvocationListener.NONE);
            return state;
        }, progress -> { });
        handle.await(Duration.ofSeconds(60));

        Map<String, Object> json = state.toJson();
        Map<String, Object> results = (Map<String, Object>) json.get("results");
        Map<String, List<String>> prepared = (Map<String, List<String>>) json.get("source_prepared_mapping");
        Map<String, Object> maskOutput = results.values().stream().map(r -> (Map<String, Object>) r)
                .filter(r -> "denoise_mask_output".equals(r.get("type"))).findFirst().orElseThrow();
        Map<String, Object> field = (Map<String, Object>) maskOutput.get("denoise_mask");
        assertNotNull(field.get("mask_name"));
        assertNotNull(field.get("masked_latents_name"), "with an image, the masked image's latents are made too");
        assertEquals(false, field.get("gradient"));

        BufferedImage inpainted = world.saved.get(prepared.get("o").get(0));
        BufferedImage decoded = world.saved.get(prepared.get("plain").get(0));
        // far from the seam the decoder sees only kept latents: the same pixels as decoding the image's own latents
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 16; x++) {
                assertEquals(decoded.getRGB(x, y), inpainted.getRGB(x, y), "kept pixel " + x + "," + y);
            }
        }
        boolean changed = false;
        for (int y = 0; y < 64 && !changed; y++) {
            for (int x = 48; x < 64; x++) {
                changed |= decoded.getRGB(x, y) != inpainted.getRGB(x, y);
            }
        }
        assertTrue(changed, "the black part of the mask is painted anew");
    }

    @Test
    void pillowsBoxBlurAveragesOverTheBoxWithEdgesExtended() {
        int[] line = {0, 0, 255, 0, 0};
        assertArrayEquals(new int[] {0, 85, 85, 85, 0}, org.invokej.inference.MaskBlur.box(line, 5, 1, 1));
        assertArrayEquals(new int[] {255, 170, 85}, org.invokej.inference.MaskBlur.box(new int[] {255, 255, 0}, 3, 1, 1));
        int[] spread = org.invokej.inference.MaskBlur.gaussian(new int[] {0, 0, 0, 0, 255, 0, 0, 0, 0}, 9, 1, 2);
        assertEquals(spread[3], spread[5]);
        assertTrue(spread[4] > spread[3] && spread[3] > spread[2] && spread[2] >= spread[1], java.util.Arrays.toString(spread));
    }

    @Test
    @SuppressWarnings("unchecked")
    void aGradientMaskRepaintsTheBlackPartAndFadesTheSeamWithAMinimumDenoise() throws Exception {
        Map<String, Object> graph = StandardGraphs.headlessTextToImage("tiny", "a red ball", 9, 64, 6, "euler");
        StandardGraphs.set(graph, "d", "denoising_start", 0.2);
        StandardGraphs.add(graph, "i", "i2l", Map.of("image", Map.of("image_name", "photo.png")));
        StandardGraphs.add(graph, "gm", "create_gradient_mask", Map.of("mask", Map.of("image_name", "mask.png"), "edge_radius", 8,
                "coherence_mode", "Gaussian Blur", "minimum_denoise", 0.5));
        StandardGraphs.add(graph, "plain", "l2i", Map.of("is_intermediate", false));
        StandardGraphs.connect(graph, "m", "vae", "i", "vae");
        StandardGraphs.connect(graph, "m", "vae", "gm", "vae");
        StandardGraphs.connect(graph, "m", "unet", "gm", "unet");
        StandardGraphs.connect(graph, "m", "vae", "plain", "vae");
        StandardGraphs.connect(graph, "i", "latents", "d", "latents");
        StandardGraphs.connect(graph, "i", "latents", "plain", "latents");
        StandardGraphs.connect(graph, "gm", "denoise_mask", "d", "denoise_mask");
        World world = new World();
        world.images.put("photo.png", picture());
        world.images.put("mask.png", leftKept());
        Graph parsed = Graph.parse(graph, Set.of());
        ExecutionState state = new ExecutionState("s", graph);
        engine.submit(context -> {
            executor.run(parsed, state, context, world, InvocationListener.NONE);
            return state;
        }, progress -> { }).await(Duration.ofSeconds(60));
        Map<String, Object> json = state.toJson();
        Map<String, List<String>> prepared = (Map<String, List<String>>) json.get("source_prepared_mapping");
        Map<String, Object> result = (Map<String, Object>) ((Map<String, Object>) json.get("results")).get(prepared.get("gm").get(0));
        assertEquals("gradient_mask_output", result.get("type"));
        assertEquals(true, ((Map<String, Object>) result.get("denoise_mask")).get("gradient"));

        // the repainted area: black on the right, widened over the seam by the blur; white only where kept whole
        BufferedImage expanded = world.saved.get(prepared.get("gm").get(0));
        assertEquals(0xFFFFFF, expanded.getRGB(2, 30) & 0xFFFFFF);
        assertEquals(0, expanded.getRGB(28, 30) & 0xFFFFFF, "the seam is inside the repainted area");
        assertEquals(0, expanded.getRGB(60, 30) & 0xFFFFFF);

        BufferedImage inpainted = world.saved.get(prepared.get("o").get(0));
        BufferedImage decoded = world.saved.get(prepared.get("plain").get(0));
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 8; x++) {
                assertEquals(decoded.getRGB(x, y), inpainted.getRGB(x, y), "kept pixel " + x + "," + y);
            }
        }
        boolean changed = false;
        for (int y = 0; y < 64 && !changed; y++) {
            for (int x = 48; x < 64; x++) {
                changed |= decoded.getRGB(x, y) != inpainted.getRGB(x, y);
            }
        }
        assertTrue(changed, "the black part of the mask is painted anew");
    }

    @Test
    void aMaskWithoutAnImageMakesNoMaskedLatents() throws Exception {
        Map<String, Object> graph = StandardGraphs.headlessTextToImage("tiny", "a red ball", 9, 64, 2, "euler");
        StandardGraphs.add(graph, "dm", "create_denoise_mask", Map.of("mask", Map.of("image_name", "mask.png")));
        StandardGraphs.connect(graph, "m", "vae", "dm", "vae");
        StandardGraphs.connect(graph, "dm", "denoise_mask", "d", "denoise_mask");
        World world = new World();
        world.images.put("mask.png", leftKept());
        ExecutionState state = new ExecutionState("s", graph);
        Graph parsed = Graph.parse(graph, Set.of());
        engine.submit(context -> {
            executor.run(parsed, state, context, world, InvocationListener.NONE);
            return state;
        }, progress -> { }).await(Duration.ofSeconds(60));
        @SuppressWarnings("unchecked")
        Map<String, Object> results = (Map<String, Object>) state.toJson().get("results");
        boolean found = false;
        for (Object value : results.values()) {
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) value;
            if ("denoise_mask_output".equals(result.get("type"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> field = (Map<String, Object>) result.get("denoise_mask");
                assertNull(field.get("masked_latents_name"));
                found = true;
            }
        }
        assertTrue(found);
        assertFalse(world.saved.isEmpty(), "text-to-image with a mask over zero latents still makes an image");
    }
}

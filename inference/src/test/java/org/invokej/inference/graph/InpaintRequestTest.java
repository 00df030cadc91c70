package org.invokej.inference.graph;

import org.invokej.core.DomainException;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GeneratedImage;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationRequest;
import org.invokej.inference.Pixels;
import org.invokej.inference.ProgressListener;
import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.inference.testmodels.TinyModels;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An inpainting {@link GenerationRequest} (what {@code invokej generate --mask} runs) makes, pixel for pixel,
 * the image the built-in UI's inpaint graph makes: the graph below is {@code generateBatch} of
 * {@code static/.../js/graph.js} with an initial image and a mask, written out node for node, and run
 * through the graph executor with the same node types the queue runs.
 */
class InpaintRequestTest {

    @TempDir
    static Path folder;

    private static final Map<String, Path> MODELS = new LinkedHashMap<>();
    private static GenerationEngine engine;

    @BeforeAll
    static void start() {
        MODELS.put("sd15", TinyModels.sd15().writeTo(folder.resolve("sd15")));
        MODELS.put("sd15-inpaint", TinyModels.sd15().inpaint().writeTo(folder.resolve("sd15-inpaint")));
        MODELS.put("sdxl", TinyModels.sdxl().writeTo(folder.resolve("sdxl")));
        engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** An orange picture with a blue oval. */
    private static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLUE);
        g.fillOval(4, 8, width - 16, height - 16);
        g.dispose();
        return image;
    }

    /** White (kept) on the left three quarters, black (painted anew) on the right. */
    private static BufferedImage leftKept(int width, int height) {
        BufferedImage mask = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width * 3 / 4, height);
        g.dispose();
        return mask;
    }

    @Test
    void anSd15InpaintingIsTheUisGraphPixelForPixel() throws Exception {
        sameAsTheUi("sd15", 128, 96, 128, 96);
    }

    @Test
    void anInpaintingUnetWithAnImageOfAnotherSizeIsTheUisGraphPixelForPixel() throws Exception {
        // 134 x 100 is generated at 128 x 96, as the command line does: the UI's graph resizes image and mask first
        sameAsTheUi("sd15-inpaint", 134, 100, 128, 96);
    }

    @Test
    void anSdxlInpaintingIsTheUisGraphPixelForPixel() throws Exception {
        sameAsTheUi("sdxl", 128, 96, 128, 96);
    }

    private static void sameAsTheUi(String key, int imageWidth, int imageHeight, int width, int height) throws Exception {
        BufferedImage image = picture(imageWidth, imageHeight);
        BufferedImage mask = leftKept(imageWidth, imageHeight);
        GenerationRequest request = new GenerationRequest(MODELS.get(key), "a red ball", "blurry", SchedulerName.EULER, 5, 6.5, 11,
                width, height, image, 0.7, null, mask);
        GeneratedImage direct = engine.submit(request, ProgressListener.NONE).await(Duration.ofSeconds(120));
        BufferedImage viaGraph = runUiGraph(key, request);
        assertEquals(width, direct.image().getWidth());
        assertEquals(height, direct.image().getHeight());
        assertArrayEquals(Pixels.argb(viaGraph), Pixels.argb(direct.image()), key + ": the same pixels as the UI's graph");
        assertEquals(key.equals("sdxl") ? "sdxl_inpaint" : "inpaint", direct.metadata().generationMode());
        assertEquals(0.7, direct.metadata().strength());

        // and the mask did its work: kept pixels are the image's own (beyond the reach of the edge's blur, 24 pixels,
        // and of the 16-pixel fade), painted ones are not
        BufferedImage base = Pixels.resized(image, width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width * 3 / 4 - 42; x++) {
                assertEquals(base.getRGB(x, y), direct.image().getRGB(x, y), key + ": kept pixel " + x + "," + y);
            }
        }
        boolean changed = false;
        for (int y = 0; y < height && !changed; y++) {
            for (int x = width - 16; x < width; x++) {
                changed |= base.getRGB(x, y) != direct.image().getRGB(x, y);
            }
        }
        assertTrue(changed, key + ": the black part of the mask is painted anew");
    }

    @Test
    void aMaskNeedsAnInitialImageOfItsOwnSize() {
        Path model = MODELS.get("sd15");
        IllegalArgumentException without = assertThrows(IllegalArgumentException.class, () -> new GenerationRequest(model, "x", "",
                SchedulerName.EULER, 2, 7.5, 1, 64, 64, null, 0.5, null, leftKept(64, 64)));
        assertTrue(without.getMessage().contains("initial image"), without.getMessage());
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class, () -> new GenerationRequest(model, "x", "",
                SchedulerName.EULER, 2, 7.5, 1, 64, 64, picture(64, 64), 0.5, null, leftKept(64, 48)));
        assertEquals("the mask is 64 x 48 but the initial image is 64 x 64; they must be the same size", other.getMessage());
    }

    /** {@code generateBatch}'s graph for the request, with the batch's seed and prompts written into their nodes. */
    private static BufferedImage runUiGraph(String key, GenerationRequest request) throws Exception {
        boolean sdxl = key.equals("sdxl");
        boolean sameSize = request.initImage().getWidth() == request.width() && request.initImage().getHeight() == request.height();
        UiGraph g = new UiGraph();
        Map<String, Object> model = new LinkedHashMap<>(Map.of("key", key, "hash", "blake3:0", "name", key,
                "base", sdxl ? "sdxl" : "sd-1", "type", "main"));
        g.node("seed", "integer", Map.of("value", request.seed()));
        g.node("positive", "string", Map.of("value", request.prompt()));
        g.node("negative", "string", Map.of("value", request.negativePrompt()));
        g.node("loader", sdxl ? "sdxl_model_loader" : "main_model_loader", Map.of("model", model));
        if (!sdxl) {
            g.node("clip_skip", "clip_skip", Map.of("skipped_layers", 0));
        }
        // the one difference, in every mode: the command line conditions SDXL on the image's size (README), where the
        // UI leaves sdxl_compel_prompt's sizes at their defaults
        Map<String, Object> sizes = sdxl ? Map.of("original_width", request.width(), "original_height", request.height(),
                "target_width", request.width(), "target_height", request.height()) : Map.of();
        g.node("pos_cond", sdxl ? "sdxl_compel_prompt" : "compel", sizes);
        g.node("neg_cond", sdxl ? "sdxl_compel_prompt" : "compel", sizes);
        g.node("pos_collect", "collect", Map.of());
        g.node("neg_collect", "collect", Map.of());
        g.node("noise", "noise", Map.of("use_cpu", true, "width", request.width(), "height", request.height()));
        g.node("denoise", "denoise_latents", Map.of("cfg_scale", request.cfgScale(), "cfg_rescale_multiplier", 0,
                "scheduler", request.scheduler().invokeName(), "steps", request.steps(),
                "denoising_start", Math.round((1 - request.strength()) * 1000) / 1000.0, "denoising_end", 1));
        g.node("l2i", "l2i", Map.of("fp32", false));
        g.node("canvas_output", "invokeai_img_blend", sameSize ? Map.of("layer_base", Map.of("image_name", "image.png")) : Map.of());
        g.edge("loader", "unet", "denoise", "unet");
        if (sdxl) {
            for (String cond : List.of("pos_cond", "neg_cond")) {
                g.edge("loader", "clip", cond, "clip");
                g.edge("loader", "clip2", cond, "clip2");
            }
            g.edge("positive", "value", "pos_cond", "style");
            g.edge("negative", "value", "neg_cond", "style");
        } else {
            g.edge("loader", "clip", "clip_skip", "clip");
            g.edge("clip_skip", "clip", "pos_cond", "clip");
            g.edge("clip_skip", "clip", "neg_cond", "clip");
        }
        g.edge("positive", "value", "pos_cond", "prompt");
        g.edge("negative", "value", "neg_cond", "prompt");
        g.edge("pos_cond", "conditioning", "pos_collect", "item");
        g.edge("neg_cond", "conditioning", "neg_collect", "item");
        g.edge("pos_collect", "collection", "denoise", "positive_conditioning");
        g.edge("neg_collect", "collection", "denoise", "negative_conditioning");
        g.edge("seed", "value", "noise", "seed");
        g.edge("noise", "noise", "denoise", "noise");
        g.edge("denoise", "latents", "l2i", "latents");
        g.edge("loader", "vae", "l2i", "vae");

        Map<String, Object> image = Map.of("image_name", "image.png");
        Map<String, Object> mask = Map.of("image_name", "mask.png");
        g.node("i2l", "i2l", sameSize ? Map.of("fp32", false, "image", image) : Map.of("fp32", false));
        if (!sameSize) {
            g.node("resize", "img_resize", Map.of("image", image, "width", request.width(), "height", request.height()));
            g.node("mask_resize", "img_resize", Map.of("image", mask, "width", request.width(), "height", request.height()));
            g.edge("resize", "image", "i2l", "image");
        }
        g.edge("loader", "vae", "i2l", "vae");
        g.edge("i2l", "latents", "denoise", "latents");
        Map<String, Object> gradient = new LinkedHashMap<>(Map.of("coherence_mode", "Gaussian Blur", "minimum_denoise", 0,
                "edge_radius", 16, "fp32", false));
        if (sameSize) {
            gradient.put("image", image);
            gradient.put("mask", mask);
        }
        g.node("gradient", "create_gradient_mask", gradient);
        if (!sameSize) {
            g.edge("resize", "image", "gradient", "image");
            g.edge("mask_resize", "image", "gradient", "mask");
            g.edge("resize", "image", "canvas_output", "layer_base");
        }
        g.edge("loader", "vae", "gradient", "vae");
        g.edge("loader", "unet", "gradient", "unet");
        g.edge("gradient", "denoise_mask", "denoise", "denoise_mask");
        g.node("fade", "expand_mask_with_fade", Map.of("fade_size_px", 16));
        g.edge("gradient", "expanded_mask_area", "fade", "mask");
        g.edge("l2i", "image", "canvas_output", "layer_upper");
        g.edge("fade", "image", "canvas_output", "mask");

        Resources resources = new Resources();
        resources.images.put("image.png", request.initImage());
        resources.images.put("mask.png", request.mask());
        Map<String, Object> json = g.json();
        Graph parsed = Graph.parse(json, Set.of());
        ExecutionState state = new ExecutionState("s", json);
        engine.submit(context -> {
            new GraphExecutor("6.14.0").run(parsed, state, context, resources, InvocationListener.NONE);
            return state;
        }, ProgressListener.NONE).await(Duration.ofSeconds(120));
        @SuppressWarnings("unchecked")
        Map<String, List<String>> prepared = (Map<String, List<String>>) state.toJson().get("source_prepared_mapping");
        BufferedImage output = resources.saved.get(prepared.get("canvas_output").get(0));
        assertFalse(output == null, "the graph stored its output");
        return output;
    }

    /** A graph as the UI sends it: every node intermediate and cached unless said otherwise. */
    private static final class UiGraph {
        private final Map<String, Object> nodes = new LinkedHashMap<>();
        private final List<Map<String, Object>> edges = new ArrayList<>();

        void node(String id, String type, Map<String, Object> fields) {
            Map<String, Object> node = new LinkedHashMap<>(Map.of("id", id, "type", type, "is_intermediate", true, "use_cache", true));
            node.putAll(fields);
            nodes.put(id, node);
        }

        void edge(String source, String output, String destination, String input) {
            edges.add(Map.of("source", Map.of("node_id", source, "field", output),
                    "destination", Map.of("node_id", destination, "field", input)));
        }

        Map<String, Object> json() {
            return new LinkedHashMap<>(Map.of("id", "g", "nodes", nodes, "edges", edges));
        }
    }

    /** Models by key, images in memory. */
    private static final class Resources implements GraphResources {
        final Map<String, BufferedImage> images = new LinkedHashMap<>();
        final Map<String, BufferedImage> saved = new LinkedHashMap<>();

        @Override
        public Path modelFolder(ModelIdentifier identifier) {
            Path model = MODELS.get(identifier.key());
            if (model == null) {
                throw DomainException.notFound("Model " + identifier.key() + " not found");
            }
            return model;
        }

        @Override
        public BufferedImage loadImage(String imageName) {
            BufferedImage image = images.containsKey(imageName) ? images.get(imageName) : saved.get(imageName.replace(".png", ""));
            if (image == null) {
                throw DomainException.notFound("no image " + imageName);
            }
            return throughPng(image);
        }

        @Override
        public StoredImage saveImage(BufferedImage image, BoardField board, MetadataField metadata, boolean intermediate,
                                     String preparedNodeId) {
            saved.put(preparedNodeId, throughPng(image));
            return new StoredImage(preparedNodeId + ".png", image.getWidth(), image.getHeight());
        }

        /** The image as the server reads it back from its file. */
        private static BufferedImage throughPng(BufferedImage image) {
            try {
                java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
                javax.imageio.ImageIO.write(image, "png", png);
                return javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.toByteArray()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}

package org.invokej.inference.graph;

import org.invokej.core.DomainException;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.onnx.OrtDevice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The canvas's image and mask nodes one at a time, on small images whose every pixel is known. */
class ImageNodesTest {

    private static GenerationEngine engine;
    private final GraphExecutor executor = new GraphExecutor("6.14.0");

    @BeforeAll
    static void start() {
        engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Images by name; what the node saved. */
    private static final class World implements GraphResources {
        final Map<String, BufferedImage> images = new LinkedHashMap<>();
        BufferedImage saved;

        @Override
        public Path modelFolder(ModelIdentifier model) {
            throw DomainException.notFound("no models here");
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
            saved = image;
            images.put("saved.png", image);
            return new StoredImage("saved.png", image.getWidth(), image.getHeight());
        }
    }

    private static BufferedImage filled(int width, int height, int argb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, argb);
            }
        }
        return image;
    }

    private static Map<String, Object> image(String name) {
        return Map.of("image_name", name);
    }

    /** Runs a graph of the one node {@code type} with {@code fields}; answers its output as JSON. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> run(World world, String type, Map<String, Object> fields) throws Exception {
        Map<String, Object> node = new LinkedHashMap<>(fields);
        node.put("id", "n");
        node.put("type", type);
        Map<String, Object> json = new LinkedHashMap<>(Map.of("id", "g", "nodes", Map.of("n", node), "edges", List.of()));
        Graph graph = Graph.parse(json, Set.of());
        ExecutionState state = new ExecutionState("s", json);
        engine.submit(context -> {
            executor.run(graph, state, context, world, InvocationListener.NONE);
            return state;
        }, progress -> { }).await(Duration.ofSeconds(30));
        Map<String, Object> results = (Map<String, Object>) state.toJson().get("results");
        return (Map<String, Object>) results.values().iterator().next();
    }

    @Test
    void cropReachesOutsideTheImageAsTransparency() throws Exception {
        World world = new World();
        world.images.put("a.png", filled(8, 8, 0xFF112233));
        run(world, "img_crop", Map.of("image", image("a.png"), "x", -2, "y", 4, "width", 6, "height", 6));
        assertEquals(6, world.saved.getWidth());
        assertEquals(0, world.saved.getRGB(0, 0) >>> 24, "left of the image");
        assertEquals(0xFF112233, world.saved.getRGB(2, 0));
        assertEquals(0xFF112233, world.saved.getRGB(5, 3));
        assertEquals(0, world.saved.getRGB(3, 4) >>> 24, "below the image");
    }

    @Test
    void pasteGrowsTheCanvasAndTakesThePastedImageWhereTheMaskIsBlack() throws Exception {
        World world = new World();
        world.images.put("base.png", filled(8, 8, 0xFF0000FF));
        world.images.put("top.png", filled(4, 4, 0xFFFF0000));
        BufferedImage mask = filled(4, 4, 0xFFFFFFFF);
        mask.setRGB(0, 0, 0xFF000000);
        world.images.put("mask.png", mask);
        run(world, "img_paste", Map.of("base_image", image("base.png"), "image", image("top.png"), "mask", image("mask.png"),
                "x", -2, "y", 0));
        assertEquals(10, world.saved.getWidth(), "grown to hold the pasted image left of the base");
        assertEquals(0xFFFF0000, world.saved.getRGB(0, 0), "black in the mask: the pasted pixel");
        assertEquals(0, world.saved.getRGB(1, 0) >>> 24, "white in the mask: the (empty) canvas");
        assertEquals(0xFF0000FF, world.saved.getRGB(2, 0), "the base, moved right");
        run(world, "img_paste", Map.of("base_image", image("base.png"), "image", image("top.png"), "x", 6, "y", 6, "crop", true));
        assertEquals(8, world.saved.getWidth(), "cropped to the base");
        assertEquals(0xFFFF0000, world.saved.getRGB(7, 7));
        assertEquals(0xFF0000FF, world.saved.getRGB(5, 5));
        World far = new World();
        far.images.putAll(world.images);
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> run(far, "img_paste",
                Map.of("base_image", image("base.png"), "image", image("top.png"), "x", 100_000, "y", 0)));
        assertEquals(null, far.saved, "an offset far from the base makes no giant canvas");
    }

    @Test
    void canvasPasteBackTakesTheTargetUnderBlackAndGrowsItWithMaskBlur() throws Exception {
        World world = new World();
        world.images.put("source.png", filled(32, 32, 0xFF0000FF));
        world.images.put("target.png", filled(32, 32, 0xFFFF0000));
        BufferedImage mask = filled(32, 32, 0xFFFFFFFF);
        for (int y = 12; y < 20; y++) {
            for (int x = 12; x < 20; x++) {
                mask.setRGB(x, y, 0xFF000000);
            }
        }
        world.images.put("mask.png", mask);
        run(world, "canvas_paste_back", Map.of("source_image", image("source.png"), "target_image", image("target.png"),
                "mask", image("mask.png")));
        assertEquals(0xFFFF0000, world.saved.getRGB(15, 15));
        assertEquals(0xFF0000FF, world.saved.getRGB(11, 15), "just outside the mask: the source");
        run(world, "canvas_paste_back", Map.of("source_image", image("source.png"), "target_image", image("target.png"),
                "mask", image("mask.png"), "mask_blur", 2));
        assertNotEquals(0xFF0000FF, world.saved.getRGB(11, 15), "the blurred, grown mask reaches past the edge");
        assertEquals(0xFF0000FF, world.saved.getRGB(0, 0), "far away: the source");
    }

    @Test
    void colorInfillFillsOnlyTransparentPixelsAndLeavesOpaqueImagesAlone() throws Exception {
        World world = new World();
        BufferedImage half = filled(4, 4, 0xFF00FF00);
        half.setRGB(3, 3, 0x00000000);
        world.images.put("half.png", half);
        run(world, "infill_rgba", Map.of("image", image("half.png"), "color", Map.of("r", 10, "g", 20, "b", 30, "a", 255)));
        assertEquals(0xFF0A141E, world.saved.getRGB(3, 3));
        assertEquals(0xFF00FF00, world.saved.getRGB(0, 0));
        World opaque = new World();
        BufferedImage rgb = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        opaque.images.put("rgb.png", rgb);
        Map<String, Object> out = run(opaque, "infill_rgba", Map.of("image", image("rgb.png")));
        assertEquals(Map.of("image_name", "rgb.png"), out.get("image"), "an image without alpha is its own infill");
        assertEquals(null, opaque.saved);
    }

    @Test
    void masksCombineByMultiplyingAndComeFromAlpha() throws Exception {
        World world = new World();
        world.images.put("a.png", filled(2, 2, 0xFFC8C8C8));
        world.images.put("b.png", filled(2, 2, 0xFF646464));
        run(world, "mask_combine", Map.of("mask1", image("a.png"), "mask2", image("b.png")));
        assertEquals(200 * 100 / 255, world.saved.getRGB(0, 0) & 0xff);
        world.images.put("alpha.png", filled(2, 2, 0x40FFFFFF));
        run(world, "tomask", Map.of("image", image("alpha.png"), "invert", true));
        assertEquals(255 - 0x40, world.saved.getRGB(1, 1) & 0xff);
        run(world, "apply_mask_to_image", Map.of("image", image("b.png"), "mask", image("a.png")));
        assertEquals(0xC8646464, world.saved.getRGB(0, 0), "the mask's grey becomes the alpha");
    }

    @Test
    void layerBlendMixesByOpacityAndKeepsTheBaseUnderWhite() throws Exception {
        World world = new World();
        world.images.put("base.png", filled(4, 4, 0xFF000000));
        world.images.put("top.png", filled(4, 4, 0xFFC8C8C8));
        BufferedImage mask = filled(4, 4, 0xFF000000);
        mask.setRGB(0, 0, 0xFFFFFFFF);
        world.images.put("mask.png", mask);
        run(world, "invokeai_img_blend", Map.of("layer_base", image("base.png"), "layer_upper", image("top.png"),
                "mask", image("mask.png"), "opacity", 0.5));
        assertEquals(0xFF000000, world.saved.getRGB(0, 0), "white in the mask keeps the base");
        assertEquals(0xFF646464, world.saved.getRGB(2, 2), "half the upper layer over black");
        DomainException refused = org.junit.jupiter.api.Assertions.assertThrows(DomainException.class, () -> Graph.parse(
                Map.of("id", "g", "nodes", Map.of("n", Map.of("id", "n", "type", "invokeai_img_blend", "blend_mode", "Screen",
                        "layer_base", image("base.png"), "layer_upper", image("top.png"))),
                        "edges", List.of()), Set.of()));
        assertTrue(refused.getMessage().contains("blend_mode"), refused.getMessage());
    }
}

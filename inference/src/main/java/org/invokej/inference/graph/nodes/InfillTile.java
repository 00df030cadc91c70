package org.invokej.inference.graph.nodes;

import org.invokej.inference.Paste;
import org.invokej.inference.Pixels;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ImageField;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * InvokeAI's {@code infill_tile}: the image cut into {@code tile_size} squares; each square with any
 * transparent pixel is replaced by a randomly chosen (by {@code seed}) square that has none, and the
 * original is laid back over by its alpha. An image without alpha is returned as it is. Squares cut
 * short by the image's edge are filled from a whole square's corner (InvokeAI refuses such sizes);
 * the choice of squares follows Java's random numbers, not numpy's.
 */
public final class InfillTile implements NodeType {

    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image").description("The image to process");
    static final Input<Long> TILE_SIZE = Input.integer("tile_size").defaultsTo(32L).rule(Rules.POSITIVE).title("Tile Size")
            .description("The tile size (px)");
    static final Input<Long> SEED = Input.integer("seed").defaultsTo(0L).rule(Rules.SEED).title("Seed")
            .description("The seed to use for tile generation (omit for random)");

    private static final NodeSpec SPEC = NodeSpec.of("infill_tile", "Tile Infill",
                    List.of(IMAGE, TILE_SIZE, SEED, ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Infills transparent areas of an image with tiles of the image", "inpaint", "1.2.3", "image", "inpaint");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        ImageField field = in.get(IMAGE);
        BufferedImage image = context.resources().loadImage(field.imageName());
        int width = image.getWidth();
        int height = image.getHeight();
        if (!Pixels.hasAlpha(image)) {
            return new Outputs.ImageOutput(field, width, height);
        }
        int[] original = Pixels.argb(image);
        int tile = (int) Math.min(in.get(TILE_SIZE), Math.max(width, height));
        List<int[]> whole = new ArrayList<>();
        List<int[]> holed = new ArrayList<>();
        for (int top = 0; top < height; top += tile) {
            for (int left = 0; left < width; left += tile) {
                boolean full = top + tile <= height && left + tile <= width;
                boolean opaque = true;
                for (int y = top; y < Math.min(height, top + tile) && opaque; y++) {
                    for (int x = left; x < Math.min(width, left + tile); x++) {
                        if (original[y * width + x] >>> 24 == 0) {
                            opaque = false;
                            break;
                        }
                    }
                }
                if (!opaque) {
                    holed.add(new int[] {left, top});
                } else if (full) {
                    whole.add(new int[] {left, top});
                }
            }
        }
        if (whole.isEmpty() || holed.isEmpty()) {
            return ImageSaving.save(in, context, Pixels.of(original, width, height, true));
        }
        int[] filled = original.clone();
        SplittableRandom random = new SplittableRandom(in.get(SEED));
        for (int[] target : holed) {
            int[] source = whole.get(random.nextInt(whole.size()));
            for (int dy = 0; dy < tile && target[1] + dy < height; dy++) {
                for (int dx = 0; dx < tile && target[0] + dx < width; dx++) {
                    filled[(target[1] + dy) * width + target[0] + dx] = original[(source[1] + dy) * width + source[0] + dx];
                }
            }
        }
        Paste.overOwnAlpha(filled, original, width, height);
        return ImageSaving.save(in, context, Pixels.of(filled, width, height, true));
    }
}

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
import java.util.List;
import java.util.Random;

/**
 * InvokeAI's {@code img_noise}, which its canvas inpaint graphs put before {@code i2l} when an inpaint mask
 * has a noise level: noise points of {@code size} pixels (Gaussian bytes, or salt and pepper with
 * probability {@code amount}), mixed in by {@code amount}, only where the mask is dark (black: all noise,
 * white: none); the alpha channel is kept. The noise is drawn from Java's generator seeded with
 * {@code seed}, not numpy's, so it differs from InvokeAI's for the same seed.
 */
public final class ImageNoise implements NodeType {

    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image").description("The image to add noise to");
    static final Input<ImageField> MASK = Input.image("mask").title("Mask")
            .description("Optional mask determining where to apply noise (black=noise, white=no noise)");
    static final Input<Long> SEED = Input.integer("seed").defaultsTo(0L).rule(Rules.SEED).title("Seed")
            .description("Seed for random number generation");
    static final Input<String> NOISE_TYPE = Input.choice("noise_type", "gaussian", List.of("gaussian", "salt_and_pepper"))
            .title("Noise Type").description("The type of noise to add");
    static final Input<Double> AMOUNT = Input.number("amount").defaultsTo(0.1).rule(Rules.FRACTION).title("Amount")
            .description("The amount of noise to add");
    static final Input<Boolean> NOISE_COLOR = Input.bool("noise_color").defaultsTo(true).title("Noise Color")
            .description("Whether to add colored noise");
    static final Input<Long> SIZE = Input.integer("size").defaultsTo(1L).rule(Rules.POSITIVE).title("Size")
            .description("The size of the noise points");

    private static final NodeSpec SPEC = NodeSpec.of("img_noise", "Add Image Noise",
                    List.of(IMAGE, MASK, SEED, NOISE_TYPE, AMOUNT, NOISE_COLOR, SIZE, ImageSaving.BOARD, ImageSaving.METADATA),
                    "image_output", Outputs.ImageOutput.class)
            .withDescription("Add noise to an image", "image", "1.1.0", "image", "noise");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage image = context.resources().loadImage(in.get(IMAGE).imageName());
        int width = image.getWidth();
        int height = image.getHeight();
        int[] pixels = Pixels.argb(image);
        int size = (int) Math.min(in.get(SIZE), Math.max(width, height));
        int pointsWide = Math.max(1, width / size);
        int pointsHigh = Math.max(1, height / size);
        double amount = in.get(AMOUNT);
        boolean gaussian = "gaussian".equals(in.get(NOISE_TYPE));
        boolean colour = in.get(NOISE_COLOR);
        Random random = new Random(in.get(SEED));
        int[] points = new int[pointsWide * pointsHigh];
        for (int i = 0; i < points.length; i++) {
            int r = sample(random, gaussian, amount);
            points[i] = colour ? r << 16 | sample(random, gaussian, amount) << 8 | sample(random, gaussian, amount) : r * 0x010101;
        }
        int[] mask = null;
        if (in.get(MASK) != null) {
            BufferedImage maskImage = context.resources().loadImage(in.get(MASK).imageName());
            if (maskImage.getWidth() != width || maskImage.getHeight() != height) {
                maskImage = Pixels.resized(maskImage, width, height);
            }
            mask = Pixels.luminance(maskImage);
            for (int i = 0; i < mask.length; i++) {
                mask[i] = 255 - mask[i];
            }
        }
        int blend = (int) Math.round(amount * 255);
        int[] out = new int[pixels.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                // nearest-neighbour resize of the noise points to the image
                int point = points[Math.min(pointsHigh - 1, (2 * y + 1) * pointsHigh / (2 * height)) * pointsWide
                        + Math.min(pointsWide - 1, (2 * x + 1) * pointsWide / (2 * width))];
                int noisy = Paste.blend(pixels[i] | 0xFF000000, point | 0xFF000000, blend);
                int mixed = mask == null ? noisy : Paste.blend(pixels[i] | 0xFF000000, noisy, mask[i]);
                out[i] = (pixels[i] & 0xFF000000) | (mixed & 0xFFFFFF);
            }
        }
        return ImageSaving.save(in, context, Pixels.of(out, width, height, true));
    }

    /** One noise byte: a standard normal times 255 wrapped to a byte (as numpy's cast does), or 255 with probability {@code amount}. */
    private static int sample(Random random, boolean gaussian, double amount) {
        if (gaussian) {
            return (int) ((long) (random.nextGaussian() * 255) & 0xff);
        }
        return random.nextDouble() < amount ? 255 : 0;
    }
}

package org.invokej.inference.graph.nodes;

import org.invokej.inference.MaskBlur;
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

/**
 * InvokeAI's {@code canvas_paste_back} (its earlier canvas graphs' paste back): the target (generated)
 * image pasted over the source where the mask is black, white keeping the source. With {@code mask_blur}
 * the black area is first grown (three erosions by a square of that size) and its edge blurred
 * (Gaussian, sigma {@code mask_blur}), so the seam fades.
 */
public final class CanvasPasteBack implements NodeType {

    static final Input<ImageField> SOURCE = Input.image("source_image").required().title("Source Image").description("The source image");
    static final Input<ImageField> TARGET = Input.image("target_image").required().title("Target Image").description("The target image");
    static final Input<ImageField> MASK = Input.image("mask").required().title("Mask").description("The mask to use when pasting");
    static final Input<Long> MASK_BLUR = Input.integer("mask_blur").defaultsTo(0L).rule(Rules.NOT_NEGATIVE).title("Mask Blur")
            .description("The amount to blur the mask by");

    private static final NodeSpec SPEC = NodeSpec.of("canvas_paste_back", "Canvas Paste Back",
                    List.of(SOURCE, TARGET, MASK, MASK_BLUR, ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Combines two images by using the mask provided. Intended for use on the Unified Canvas.", "image", "1.0.1",
                    "image", "combine");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage source = context.resources().loadImage(in.get(SOURCE).imageName());
        BufferedImage target = context.resources().loadImage(in.get(TARGET).imageName());
        BufferedImage maskImage = context.resources().loadImage(in.get(MASK).imageName());
        Sizes.requireSame("target_image", target, "mask", maskImage);
        int width = maskImage.getWidth();
        int height = maskImage.getHeight();
        int[] mask = Pixels.luminance(maskImage);
        int blur = Math.toIntExact(in.get(MASK_BLUR));
        if (blur > 0) {
            for (int pass = 0; pass < 3; pass++) {
                mask = erode(mask, width, height, blur);
            }
            mask = MaskBlur.gaussian(mask, width, height, blur);
        }
        for (int i = 0; i < mask.length; i++) {
            mask[i] = 255 - mask[i];
        }
        int[] out = Pixels.argb(source);
        Paste.paste(out, source.getWidth(), source.getHeight(), Pixels.argb(target), width, height, 0, 0, mask);
        return ImageSaving.save(in, context, Pixels.of(out, source.getWidth(), source.getHeight(), Pixels.hasAlpha(source)));
    }

    /** OpenCV's {@code erode} by a {@code size} x {@code size} square anchored at its centre; outside the image does not count. */
    private static int[] erode(int[] values, int width, int height, int size) {
        int before = size / 2;
        int after = size - 1 - before;
        int[] rows = new int[values.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int min = 255;
                for (int k = Math.max(0, x - before); k <= Math.min(width - 1, x + after); k++) {
                    min = Math.min(min, values[y * width + k]);
                }
                rows[y * width + x] = min;
            }
        }
        int[] out = new int[values.length];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int min = 255;
                for (int k = Math.max(0, y - before); k <= Math.min(height - 1, y + after); k++) {
                    min = Math.min(min, rows[k * width + x]);
                }
                out[y * width + x] = min;
            }
        }
        return out;
    }
}

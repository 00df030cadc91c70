package org.invokej.inference.graph.nodes;

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
 * InvokeAI's {@code mask_combine}: two masks multiplied (Pillow's {@code ImageChops.multiply} of their
 * grey values, {@code a * b / 255} rounded down), so a place is kept only where both keep it. The canvas
 * outpaint graph combines its inpaint mask with the composite's alpha this way.
 */
public final class MaskCombine implements NodeType {

    static final Input<ImageField> MASK1 = Input.image("mask1").required().title("Mask1").description("The first mask to combine");
    static final Input<ImageField> MASK2 = Input.image("mask2").required().title("Mask2").description("The second image to combine");

    private static final NodeSpec SPEC = NodeSpec.of("mask_combine", "Combine Masks",
                    List.of(MASK1, MASK2, ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Combine two masks together by multiplying them using `PIL.ImageChops.multiply()`.", "image", "1.2.2",
                    "image", "mask", "multiply");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage first = context.resources().loadImage(in.get(MASK1).imageName());
        BufferedImage second = context.resources().loadImage(in.get(MASK2).imageName());
        Sizes.requireSame("mask1", first, "mask2", second);
        int[] a = Pixels.luminance(first);
        int[] b = Pixels.luminance(second);
        int[] out = new int[a.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] * b[i] / 255;
        }
        return ImageSaving.save(in, context, Pixels.grey(out, first.getWidth(), first.getHeight()));
    }
}

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
 * InvokeAI's {@code apply_mask_to_image}, the end of its canvas inpaint and outpaint graphs when only
 * the masked regions are output (the canvas's default): the image with the mask's grey values as its
 * alpha channel ({@code invert_mask}: 255 minus them), so the canvas lays only the repainted part over
 * its layers.
 */
public final class ApplyMaskToImage implements NodeType {

    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image")
            .description("The image from which to extract the masked region");
    static final Input<ImageField> MASK = Input.image("mask").required().title("Mask")
            .description("The mask defining the region (black=keep, white=discard)");
    static final Input<Boolean> INVERT = Input.bool("invert_mask").defaultsTo(false).title("Invert Mask")
            .description("Whether to invert the mask before applying it");

    private static final NodeSpec SPEC = NodeSpec.of("apply_mask_to_image", "Apply Mask to Image",
                    List.of(IMAGE, MASK, INVERT, ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Extracts a region from a generated image using a mask and blends it seamlessly onto a source image."
                    + " The mask uses black to indicate areas to keep from the generated image and white for areas to discard.",
                    "image", "1.0.0", "image", "mask", "blend");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage image = context.resources().loadImage(in.get(IMAGE).imageName());
        BufferedImage mask = context.resources().loadImage(in.get(MASK).imageName());
        Sizes.requireSame("image", image, "mask", mask);
        int[] pixels = Pixels.argb(image);
        int[] grey = Pixels.luminance(mask);
        boolean invert = in.get(INVERT);
        for (int i = 0; i < pixels.length; i++) {
            int alpha = invert ? 255 - grey[i] : grey[i];
            pixels[i] = alpha << 24 | (pixels[i] & 0xFFFFFF);
        }
        return ImageSaving.save(in, context, Pixels.of(pixels, image.getWidth(), image.getHeight(), true));
    }
}

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

/**
 * InvokeAI's {@code img_paste}: the image pasted into the base at (x, y), through the mask if one is given
 * (inverted, as InvokeAI does: black in the mask takes the pasted image). The result grows to hold both
 * unless {@code crop} keeps the base's size; uncovered parts are transparent. The pasted image must touch the
 * base (this server's bound on how far the result may grow).
 */
public final class ImagePaste implements NodeType {

    static final Input<ImageField> BASE = Input.image("base_image").required().title("Base Image").description("The base image");
    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image").description("The image to paste");
    static final Input<ImageField> MASK = Input.image("mask").title("Mask").description("The mask to use when pasting");
    static final Input<Long> X = Input.integer("x").defaultsTo(0L).title("X").description("The left x coordinate at which to paste the image");
    static final Input<Long> Y = Input.integer("y").defaultsTo(0L).title("Y").description("The top y coordinate at which to paste the image");
    static final Input<Boolean> CROP = Input.bool("crop").defaultsTo(false).title("Crop").description("Crop to base image dimensions");

    private static final NodeSpec SPEC = NodeSpec.of("img_paste", "Paste Image",
                    List.of(BASE, IMAGE, MASK, X, Y, CROP, ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Pastes an image into another image.", "image", "1.2.2", "image", "paste");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage base = context.resources().loadImage(in.get(BASE).imageName());
        BufferedImage image = context.resources().loadImage(in.get(IMAGE).imageName());
        int[] mask = null;
        if (in.get(MASK) != null) {
            BufferedImage maskImage = context.resources().loadImage(in.get(MASK).imageName());
            Sizes.requireSame("image", image, "mask", maskImage);
            mask = Pixels.luminance(maskImage);
            for (int i = 0; i < mask.length; i++) {
                mask[i] = 255 - mask[i];
            }
        }
        long requestedX = in.get(X);
        long requestedY = in.get(Y);
        // the result grows to hold both: bounded by the two side by side, so no offset can ask for a huge canvas
        if (requestedX < -image.getWidth() || requestedX > base.getWidth() || requestedY < -image.getHeight()
                || requestedY > base.getHeight()) {
            throw new IllegalArgumentException("the pasted image must touch the base image: x must be within "
                    + -image.getWidth() + "…" + base.getWidth() + " and y within " + -image.getHeight() + "…" + base.getHeight());
        }
        int x = (int) requestedX;
        int y = (int) requestedY;
        int minX = Math.min(0, x);
        int minY = Math.min(0, y);
        int width = Math.max(base.getWidth(), image.getWidth() + x) - minX;
        int height = Math.max(base.getHeight(), image.getHeight() + y) - minY;
        int[] out = new int[width * height];
        Paste.paste(out, width, height, Pixels.argb(base), base.getWidth(), base.getHeight(), -minX, -minY, null);
        // Pillow pastes at (max(0, x), max(0, y)) of the grown canvas, as InvokeAI asks it to
        Paste.paste(out, width, height, Pixels.argb(image), image.getWidth(), image.getHeight(), Math.max(0, x), Math.max(0, y), mask);
        if (in.get(CROP)) {
            int[] cropped = new int[base.getWidth() * base.getHeight()];
            Paste.paste(cropped, base.getWidth(), base.getHeight(), out, width, height, minX, minY, null);
            return ImageSaving.save(in, context, Pixels.of(cropped, base.getWidth(), base.getHeight(), true));
        }
        return ImageSaving.save(in, context, Pixels.of(out, width, height, true));
    }
}

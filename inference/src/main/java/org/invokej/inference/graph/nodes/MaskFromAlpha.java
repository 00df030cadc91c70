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
 * InvokeAI's {@code tomask} ("Mask from Alpha"): the image's last channel as a grey mask, which for the
 * canvas composite its outpaint graphs pass is the alpha (opaque 255 keeps, transparent 0 is painted).
 * Like Pillow's {@code split()[-1]}, an image without alpha gives its blue channel.
 */
public final class MaskFromAlpha implements NodeType {

    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image")
            .description("The image to create the mask from");
    static final Input<Boolean> INVERT = Input.bool("invert").defaultsTo(false).title("Invert")
            .description("Whether or not to invert the mask");

    private static final NodeSpec SPEC = NodeSpec.of("tomask", "Mask from Alpha",
                    List.of(IMAGE, INVERT, ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Extracts the alpha channel of an image as a mask.", "image", "1.2.2", "image", "mask");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage image = context.resources().loadImage(in.get(IMAGE).imageName());
        int[] pixels = Pixels.argb(image);
        boolean alpha = Pixels.hasAlpha(image);
        boolean invert = in.get(INVERT);
        int[] grey = new int[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            int value = alpha ? pixels[i] >>> 24 : pixels[i] & 0xff;
            grey[i] = invert ? 255 - value : value;
        }
        return ImageSaving.save(in, context, Pixels.grey(grey, image.getWidth(), image.getHeight()));
    }
}

package org.invokej.inference.graph.nodes;

import org.invokej.inference.Paste;
import org.invokej.inference.Pixels;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ColorField;
import org.invokej.inference.graph.fields.ImageField;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * InvokeAI's {@code infill_rgba} ("Solid Color Infill"): the image laid over a solid {@code color} (alpha
 * compositing), then laid again by its own alpha, so transparent areas take the colour and opaque ones
 * stay. An image without alpha is returned as it is.
 */
public final class InfillColor implements NodeType {

    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image").description("The image to process");
    static final Input<ColorField> COLOR = Input.color("color").defaultsTo(new ColorField(127, 127, 127, 255)).title("Color")
            .description("The color to use to infill");

    private static final NodeSpec SPEC = NodeSpec.of("infill_rgba", "Solid Color Infill",
                    List.of(IMAGE, COLOR, ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Infills transparent areas of an image with a solid color", "inpaint", "1.2.2", "image", "inpaint");

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
        int background = in.get(COLOR).argb();
        int[] out = new int[original.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = over(original[i], background);
        }
        Paste.overOwnAlpha(out, original, width, height);
        return ImageSaving.save(in, context, Pixels.of(out, width, height, true));
    }

    /** Pillow's {@code alpha_composite(under, over)} of one pixel. */
    static int over(int top, int under) {
        double alphaTop = (top >>> 24) / 255.0;
        double alphaUnder = (under >>> 24) / 255.0;
        double alpha = alphaTop + alphaUnder * (1 - alphaTop);
        if (alpha == 0) {
            return 0;
        }
        int out = (int) Math.round(alpha * 255) << 24;
        for (int shift = 0; shift < 24; shift += 8) {
            double a = (top >> shift) & 0xff;
            double b = (under >> shift) & 0xff;
            out |= (int) Math.round((a * alphaTop + b * alphaUnder * (1 - alphaTop)) / alpha) << shift;
        }
        return out;
    }
}

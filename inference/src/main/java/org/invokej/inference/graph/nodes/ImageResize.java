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

/** InvokeAI's {@code img_resize}: resizes an image to a given size (keeping its alpha channel) and saves it. */
public final class ImageResize implements NodeType {

    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image").description("The image to resize");
    static final Input<Long> WIDTH = Input.integer("width").defaultsTo(512L).rule(Rules.POSITIVE)
            .limitedBy(Input.Limit.IMAGE_WIDTH).title("Width")
            .description("The width to resize to (px)");
    static final Input<Long> HEIGHT = Input.integer("height").defaultsTo(512L).rule(Rules.POSITIVE)
            .limitedBy(Input.Limit.IMAGE_HEIGHT).title("Height")
            .description("The height to resize to (px)");
    static final Input<String> RESAMPLE_MODE = Input.choice("resample_mode", "bicubic",
            List.of("nearest", "box", "bilinear", "hamming", "bicubic", "lanczos")).title("Resample Mode").description("The resampling mode");

    private static final NodeSpec SPEC = NodeSpec.of("img_resize", "Resize Image",
                    List.of(IMAGE, WIDTH, HEIGHT, RESAMPLE_MODE, ImageSaving.BOARD, ImageSaving.METADATA), "image_output",
                    Outputs.ImageOutput.class)
            .withDescription("Resizes an image to specific dimensions", "image", "1.2.2", "image", "resize");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage image = context.resources().loadImage(in.get(IMAGE).imageName());
        BufferedImage resized = Pixels.resized(image, Math.toIntExact(in.get(WIDTH)), Math.toIntExact(in.get(HEIGHT)));
        return ImageSaving.save(in, context, resized);
    }
}

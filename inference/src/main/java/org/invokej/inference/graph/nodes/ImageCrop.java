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

/** InvokeAI's {@code img_crop}: a box of the image, which may reach outside it (transparent there). */
public final class ImageCrop implements NodeType {

    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image").description("The image to crop");
    static final Input<Long> X = Input.integer("x").defaultsTo(0L).title("X").description("The left x coordinate of the crop rectangle");
    static final Input<Long> Y = Input.integer("y").defaultsTo(0L).title("Y").description("The top y coordinate of the crop rectangle");
    static final Input<Long> WIDTH = Input.integer("width").defaultsTo(512L).rule(Rules.POSITIVE).limitedBy(Input.Limit.IMAGE_WIDTH)
            .title("Width").description("The width of the crop rectangle");
    static final Input<Long> HEIGHT = Input.integer("height").defaultsTo(512L).rule(Rules.POSITIVE).limitedBy(Input.Limit.IMAGE_HEIGHT)
            .title("Height").description("The height of the crop rectangle");

    private static final NodeSpec SPEC = NodeSpec.of("img_crop", "Crop Image",
                    List.of(IMAGE, X, Y, WIDTH, HEIGHT, ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Crops an image to a specified box. The box can be outside of the image.", "image", "1.2.2", "image", "crop");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage image = context.resources().loadImage(in.get(IMAGE).imageName());
        int width = Math.toIntExact(in.get(WIDTH));
        int height = Math.toIntExact(in.get(HEIGHT));
        int[] out = new int[width * height];
        Paste.paste(out, width, height, Pixels.argb(image), image.getWidth(), image.getHeight(),
                Math.toIntExact(-in.get(X)), Math.toIntExact(-in.get(Y)), null);
        return ImageSaving.save(in, context, Pixels.of(out, width, height, true));
    }
}

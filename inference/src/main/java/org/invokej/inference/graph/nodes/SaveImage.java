package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ImageField;

import java.util.List;

/** InvokeAI's {@code save_image}: saves a copy of an image (to a board, with metadata). */
public final class SaveImage implements NodeType {

    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image").description("The image to process");

    private static final NodeSpec SPEC = NodeSpec.of("save_image", "Save Image", List.of(IMAGE, ImageSaving.BOARD, ImageSaving.METADATA),
                    "image_output", Outputs.ImageOutput.class)
            .withDescription("Saves an image. Unlike an image primitive, this invocation stores a copy of the image.", "image", "1.2.2",
                    "primitives", "image")
            .withoutCache();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        return ImageSaving.save(in, context, context.resources().loadImage(in.get(IMAGE).imageName()));
    }
}

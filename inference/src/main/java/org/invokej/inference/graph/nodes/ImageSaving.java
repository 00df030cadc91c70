package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.GraphResources;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.ImageField;
import org.invokej.inference.graph.fields.MetadataField;

import java.awt.image.BufferedImage;

/** The {@code board} and {@code metadata} inputs of nodes that save an image, and the saving. */
final class ImageSaving {

    static final Input<BoardField> BOARD = Input.board("board").directOnly().title("Board").description("The board to save the image to");
    static final Input<MetadataField> METADATA = Input.metadata("metadata").connectionOnly().title("Metadata")
            .description("Optional metadata to be saved with the image");

    private ImageSaving() {
    }

    static Outputs.ImageOutput save(Inputs in, NodeContext context, BufferedImage image) {
        context.progress("Saving image");
        GraphResources.StoredImage stored = context.resources().saveImage(image, in.get(BOARD), in.get(METADATA),
                in.isIntermediate(), context.preparedId());
        return new Outputs.ImageOutput(new ImageField(stored.imageName()), stored.width(), stored.height());
    }
}

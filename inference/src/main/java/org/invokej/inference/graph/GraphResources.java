package org.invokej.inference.graph;

import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;

import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * What a running graph needs from the rest of the server, bound to the user the graph runs for: the
 * folders of the models it may use, and the images it may read and write. Each method refuses (with a
 * {@link org.invokej.core.DomainException}) what that user may not do; the node then fails.
 */
public interface GraphResources {

    /** The folder of the model {@code model} names. */
    Path modelFolder(ModelIdentifier model);

    /** An image the user may read. */
    BufferedImage loadImage(String imageName);

    /**
     * Stores an image the graph made.
     *
     * @param board          the board to put it on (null: none)
     * @param metadata       the {@code core_metadata} connected to the node, or null
     * @param intermediate   the node's {@code is_intermediate}
     * @param preparedNodeId the id of the node that made it
     */
    StoredImage saveImage(BufferedImage image, BoardField board, MetadataField metadata, boolean intermediate, String preparedNodeId);

    /** What {@link #saveImage} stored. */
    record StoredImage(String imageName, int width, int height) {
    }
}

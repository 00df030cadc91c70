package org.invokej.inference.graph;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a running graph needs from the rest of the server, bound to the user the graph runs for: the
 * folders of the models it may use, and the images it may read and write. Each method refuses (with a
 * {@link org.invokej.core.DomainException}) what that user may not do; the node then fails.
 */
public interface GraphResources {

    /** The model folder of a model identifier ({@code {"key": …}}). */
    Path modelFolder(Map<String, Object> modelIdentifier);

    /** An image the user may read. */
    BufferedImage loadImage(String imageName);

    /**
     * Stores an image the graph made.
     *
     * @param boardId        the board to put it on (null: none)
     * @param metadata       the {@code core_metadata} connected to the node, or null
     * @param intermediate   the node's {@code is_intermediate}
     * @param preparedNodeId the id of the node that made it
     */
    StoredImage saveImage(BufferedImage image, String boardId, Map<String, Object> metadata, boolean intermediate,
                          String preparedNodeId);

    /** What {@link #saveImage} stored. */
    record StoredImage(String imageName, int width, int height) {
    }
}

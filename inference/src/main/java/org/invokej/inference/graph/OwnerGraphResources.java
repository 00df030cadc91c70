package org.invokej.inference.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.content.Image;
import org.invokej.core.content.ImageCategory;
import org.invokej.core.content.ImageFiles;
import org.invokej.core.content.ImageService;
import org.invokej.core.models.ModelService;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueOwners;
import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * What a queue item's graph may use, bound to the item's owner: the models the model manager lets
 * them generate with, the images they may read, and storage of what the graph makes, owned by them
 * and carrying the item's metadata, workflow and graph in the PNG.
 */
public final class OwnerGraphResources implements GraphResources {

    private final QueueItem item;
    private final Actor owner;
    private final ModelService models;
    private final ImageService images;
    private final ObjectMapper json;

    /** Binds {@code item}'s graph to its owner; a 403 if the owner may not run things ({@link QueueOwners}). */
    public OwnerGraphResources(QueueItem item, QueueOwners owners, ModelService models, ImageService images, ObjectMapper json) {
        this.item = item;
        this.owner = owners.requireRunAs(item.userId());
        this.models = models;
        this.images = images;
        this.json = json;
    }

    @Override
    public Path modelFolder(ModelIdentifier model) {
        if (model.key() == null) {
            throw DomainException.unprocessable("The model identifier has no key");
        }
        return models.requireUsable(owner, model.key()).folder();
    }

    @Override
    public BufferedImage loadImage(String imageName) {
        ImageFiles.StoredFile file = images.full(owner, imageName);
        try {
            BufferedImage image = ImageIO.read(file.path().toFile());
            if (image == null) {
                throw DomainException.unprocessable("Image " + imageName + " cannot be read");
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read image " + imageName, e);
        }
    }

    @Override
    public StoredImage saveImage(BufferedImage image, BoardField board, MetadataField metadata, boolean intermediate,
                                 String preparedNodeId) {
        Image stored = images.storeGenerated(new ImageService.Generated(item.userId(), image, text(metadata), text(item.workflow()),
                text(item.graph()), board == null ? null : board.boardId(), item.sessionId(), preparedNodeId, ImageCategory.GENERAL,
                intermediate));
        return new StoredImage(stored.imageName(), stored.width(), stored.height());
    }

    private String text(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for an image", e);
        }
    }
}

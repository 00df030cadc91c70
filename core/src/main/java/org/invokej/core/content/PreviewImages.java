package org.invokej.core.content;

import java.nio.file.Path;
import java.util.Optional;

/** Small preview images kept by id, one PNG each: style preset images, workflow thumbnails. */
public interface PreviewImages {

    void save(String id, byte[] png);

    /** Removes the image; nothing when there is none. */
    void delete(String id);

    Optional<Path> find(String id);
}

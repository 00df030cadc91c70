package org.invokej.core.content;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where image files live: the full-size PNG and its thumbnail. New files are written under temporary
 * names first ({@link #stage}), and moved into place only after the database row is committed, so a
 * failure at any step leaves neither a row without a file nor a file without a row.
 */
public interface ImageFiles {

    /** Files written under temporary names, waiting for their row. */
    interface Staged {
        /** Moves the files into place (atomically each). */
        void commit();

        /** Removes the temporary files; safe to call after a failed commit. */
        void discard();
    }

    /** A stored file and its media type. */
    record StoredFile(Path path, String contentType) {
    }

    /** Writes the PNG and its thumbnail for {@code imageName} under temporary names. */
    Staged stage(String imageName, byte[] png, byte[] thumbnail);

    Optional<StoredFile> full(Image image);

    Optional<StoredFile> thumbnail(Image image);

    /** Removes the files of an image; false if one could not be removed (a missing file is fine). */
    boolean delete(Image image);
}

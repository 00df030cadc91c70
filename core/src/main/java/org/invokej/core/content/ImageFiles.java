package org.invokej.core.content;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Where image files live: the full-size PNG and its thumbnail. New files are written under temporary
 * names first ({@link #stage}), and moved into place only after the database row is committed, so a
 * failure at any step leaves neither a row without a file nor a file without a row. A process killed
 * between the two leaves staged files behind; at the next start {@link #leftovers} names their images
 * and {@link #settle} finishes or removes them, according to whether the row was committed.
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

    /** The images whose staged files a process that is no longer running left behind. */
    default Set<String> leftovers() {
        return Set.of();
    }

    /**
     * Settles what a dead process staged for {@code imageName}: moved into place when its row was committed
     * ({@code keep}; a file already in place is not replaced), else removed.
     */
    default void settle(String imageName, boolean keep) {
    }
}

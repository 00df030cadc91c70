package org.invokej.http.fakes;

import org.invokej.core.content.Image;
import org.invokej.core.content.ImageFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Image files in a temporary folder. The port hands out paths (the routes stream files from them), so
 * the fake keeps real files, but none of the real store's staging and atomic moves: staging keeps the
 * bytes in memory until commit.
 */
public final class TempDirImageFiles implements ImageFiles {

    private final Path folder;

    public TempDirImageFiles(Path folder) {
        this.folder = folder;
    }

    @Override
    public Staged stage(String imageName, byte[] png, byte[] thumbnail) {
        return new Staged() {
            @Override
            public void commit() {
                write(folder.resolve(imageName), png);
                write(thumbnailOf(imageName), thumbnail);
            }

            @Override
            public void discard() {
            }
        };
    }

    @Override
    public Optional<StoredFile> full(Image image) {
        Path path = folder.resolve(image.imageName());
        return Files.isRegularFile(path) ? Optional.of(new StoredFile(path, "image/png")) : Optional.empty();
    }

    @Override
    public Optional<StoredFile> thumbnail(Image image) {
        Path path = thumbnailOf(image.imageName());
        return Files.isRegularFile(path) ? Optional.of(new StoredFile(path, "image/png")) : Optional.empty();
    }

    @Override
    public boolean delete(Image image) {
        try {
            Files.deleteIfExists(folder.resolve(image.imageName()));
            Files.deleteIfExists(thumbnailOf(image.imageName()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Path thumbnailOf(String imageName) {
        return folder.resolve("thumbnail-" + imageName);
    }

    private static void write(Path path, byte[] bytes) {
        try {
            Files.write(path, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

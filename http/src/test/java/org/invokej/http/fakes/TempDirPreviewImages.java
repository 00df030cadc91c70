package org.invokej.http.fakes;

import org.invokej.core.content.PreviewImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Preview images as files in a test's folder. */
public final class TempDirPreviewImages implements PreviewImages {

    private final Path folder;

    public TempDirPreviewImages(Path folder) {
        this.folder = folder;
    }

    @Override
    public void save(String id, byte[] png) {
        try {
            Files.createDirectories(folder);
            Files.write(folder.resolve(id + ".png"), png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String id) {
        try {
            Files.deleteIfExists(folder.resolve(id + ".png"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<Path> find(String id) {
        Path file = folder.resolve(id + ".png");
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }
}

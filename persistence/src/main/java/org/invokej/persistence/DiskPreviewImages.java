package org.invokej.persistence;

import org.invokej.core.content.PreviewImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/** Preview images as {@code <folder>/<id>.png}, each written whole then moved into place. */
public final class DiskPreviewImages implements PreviewImages {

    /** Ids are UUIDs (InvokeAI's too); anything else never names a file. */
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private final Path folder;

    public DiskPreviewImages(Path folder) {
        this.folder = folder;
    }

    @Override
    public void save(String id, byte[] png) {
        Path target = file(id).orElseThrow(() -> new IllegalArgumentException("Not an id: " + id));
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".preview-", ".tmp");
            try {
                Files.write(temporary, png);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the preview of " + id, e);
        }
    }

    @Override
    public void delete(String id) {
        file(id).ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot remove the preview of " + id, e);
            }
        });
    }

    @Override
    public Optional<Path> find(String id) {
        return file(id).filter(Files::isRegularFile);
    }

    private Optional<Path> file(String id) {
        return ID.matcher(id).matches() ? Optional.of(folder.resolve(id + ".png")) : Optional.empty();
    }
}

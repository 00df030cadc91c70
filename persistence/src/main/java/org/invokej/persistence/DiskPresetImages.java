package org.invokej.persistence;

import org.invokej.core.prompts.PresetImages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/** Style preset previews as {@code <folder>/<preset id>.png}, each written whole then moved into place. */
public final class DiskPresetImages implements PresetImages {

    /** Preset ids are UUIDs (InvokeAI's too); anything else never names a file. */
    private static final Pattern ID = Pattern.compile("[0-9A-Za-z-]{1,64}");

    private final Path folder;

    public DiskPresetImages(Path folder) {
        this.folder = folder;
    }

    @Override
    public void save(String presetId, byte[] png) {
        Path target = file(presetId).orElseThrow(() -> new IllegalArgumentException("Not a preset id: " + presetId));
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, ".preset-", ".tmp");
            try {
                Files.write(temporary, png);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the preview of style preset " + presetId, e);
        }
    }

    @Override
    public void delete(String presetId) {
        file(presetId).ifPresent(path -> {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot remove the preview of style preset " + presetId, e);
            }
        });
    }

    @Override
    public Optional<Path> find(String presetId) {
        return file(presetId).filter(Files::isRegularFile);
    }

    private Optional<Path> file(String presetId) {
        return ID.matcher(presetId).matches() ? Optional.of(folder.resolve(presetId + ".png")) : Optional.empty();
    }
}

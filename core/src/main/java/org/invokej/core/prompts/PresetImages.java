package org.invokej.core.prompts;

import java.nio.file.Path;
import java.util.Optional;

/** The preview images of style presets, one PNG per preset. */
public interface PresetImages {

    void save(String presetId, byte[] png);

    /** Removes the image; nothing when there is none. */
    void delete(String presetId);

    Optional<Path> find(String presetId);
}

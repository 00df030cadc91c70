package org.invokej.core.prompts;

import org.invokej.core.store.Tx;

import java.util.List;
import java.util.Optional;

/** The {@code style_presets} table. */
public interface StylePresetRepository {

    Optional<StylePreset> find(Tx tx, String id);

    /**
     * Presets by name (case-folded); with {@code viewer}, only the default ones, the public ones and the
     * viewer's own; with {@code type}, only that type.
     */
    List<StylePreset> list(Tx tx, Optional<String> viewer, String type);

    void insert(Tx tx, StylePreset preset);

    /** Writes name, prompts, type and visibility. */
    void update(Tx tx, StylePreset preset);

    void delete(Tx tx, String id);
}

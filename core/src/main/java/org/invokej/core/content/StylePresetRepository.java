package org.invokej.core.content;

import org.invokej.core.store.Tx;

import java.util.List;
import java.util.Optional;

/** The {@code style_presets} table (read side; InvokeAI roots bring their presets along). */
public interface StylePresetRepository {

    Optional<StylePreset> find(Tx tx, String id);

    /**
     * The presets a listing shows, by name: for {@code owner} (a non-administrator) the default ones, their
     * own and public ones, as InvokeAI's multi-user rules have it; without an owner (an administrator,
     * or single-user mode) all of them.
     */
    List<StylePreset> list(Tx tx, Optional<String> owner);
}

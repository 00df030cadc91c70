package org.invokej.core.prompts;

import org.invokej.core.store.Tx;

import java.util.List;
import java.util.Optional;

/** The {@code system_prompts} table. */
public interface SystemPromptRepository {

    Optional<SystemPrompt> find(Tx tx, String id);

    /** Prompts by name (case-folded); with {@code viewer}, only the public ones and the viewer's own. */
    List<SystemPrompt> list(Tx tx, Optional<String> viewer);

    void insert(Tx tx, String id, String name, String content, String ownerId, boolean isPublic);

    /** Writes name, content and visibility. */
    void update(Tx tx, String id, String name, String content, boolean isPublic);

    void delete(Tx tx, String id);
}

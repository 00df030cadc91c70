package org.invokej.core.prompts;

import java.time.Instant;
import java.util.Objects;

/** A system prompt for prompt expansion with a language model, private to its owner unless public. */
public record SystemPrompt(String id, String name, String content, String ownerId, boolean isPublic,
                           Instant createdAt, Instant updatedAt) {

    public SystemPrompt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ownerId, "ownerId");
    }
}

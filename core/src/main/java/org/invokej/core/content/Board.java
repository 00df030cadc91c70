package org.invokej.core.content;

import java.time.Instant;
import java.util.Objects;

/** A row of {@code boards}. */
public record Board(String boardId, String name, String ownerId, Instant createdAt, Instant updatedAt,
                    boolean archived, BoardVisibility visibility) {

    /** The longest board name InvokeAI accepts. */
    public static final int MAX_NAME = 300;

    public Board {
        Objects.requireNonNull(boardId, "boardId");
        Objects.requireNonNull(ownerId, "ownerId");
        Objects.requireNonNull(visibility, "visibility");
    }
}

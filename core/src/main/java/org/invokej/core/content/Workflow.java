package org.invokej.core.content;

import java.time.Instant;
import java.util.Objects;

/**
 * A row of {@code workflow_library}: the workflow document (JSON text) and what is derived from it
 * (name, description, category, tags), its owner and whether other users may read it.
 */
public record Workflow(String workflowId, String document, String name, String description, String category,
                       String tags, String ownerId, boolean isPublic, Instant createdAt, Instant updatedAt,
                       Instant openedAt) {

    /** The category of the workflows shipped with the application; nobody edits those. */
    public static final String DEFAULT_CATEGORY = "default";
    public static final String USER_CATEGORY = "user";

    public Workflow {
        Objects.requireNonNull(workflowId, "workflowId");
        Objects.requireNonNull(ownerId, "ownerId");
    }

    public boolean isDefault() {
        return DEFAULT_CATEGORY.equals(category);
    }
}

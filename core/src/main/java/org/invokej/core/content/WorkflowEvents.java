package org.invokej.core.content;

import org.invokej.core.events.EventPayload;

/** The payloads of InvokeAI's multi-user {@code workflow_*} events. */
public final class WorkflowEvents {

    private WorkflowEvents() {
    }

    /** {@code workflow_created} and {@code workflow_deleted}. */
    public record Changed(String workflowId, String userId, boolean isPublic) implements EventPayload {
    }

    /** {@code workflow_updated}: whether it was public before the change, and whether it is now. */
    public record Updated(String workflowId, String userId, boolean oldIsPublic, boolean newIsPublic) implements EventPayload {
    }

    /** {@code workflow_access_revoked}: a workflow stopped being public. */
    public record AccessRevoked(String workflowId, String userId) implements EventPayload {
    }
}

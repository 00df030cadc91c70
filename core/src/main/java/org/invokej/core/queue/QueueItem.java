package org.invokej.core.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A row of {@code session_queue}: one session (a graph with its batch values filled in) waiting, running
 * or done, with the owner's display name and email joined from {@code users}. JSON parts (field values,
 * session, workflow) are plain maps and lists.
 */
public record QueueItem(
        long itemId,
        String queueId,
        String batchId,
        String sessionId,
        QueueStatus status,
        int statusSequence,
        int priority,
        String userId,
        String userDisplayName,
        String userEmail,
        String origin,
        String destination,
        List<Map<String, Object>> fieldValues,
        Map<String, Object> session,
        Map<String, Object> workflow,
        String errorType,
        String errorMessage,
        String errorTraceback,
        Long retriedFromItemId,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant completedAt) {

    /** The submitted graph of this item's session. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> graph() {
        return (Map<String, Object>) session.get("graph");
    }
}

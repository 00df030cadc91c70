package org.invokej.core.queue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The queue's event payloads as records, in InvokeAI's field order (api-shapes §8), with the redacted
 * copy other users get built from the same record. {@link #json} turns one into the map an
 * {@link org.invokej.core.events.ServerEvent} carries: snake_case names, nulls kept, order kept.
 */
final class QueueEventPayloads {

    /** Configured once, then only read. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    private QueueEventPayloads() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(Record payload) {
        return new LinkedHashMap<>(JSON.convertValue(payload, Map.class));
    }

    /** {@code BatchStatus}. */
    record BatchStatus(String queueId, String batchId, String origin, String destination, int pending, int inProgress, int waiting,
                       int completed, int failed, int canceled, int total) {

        static BatchStatus of(QueueService.BatchStatus status) {
            StatusCounts counts = status.counts();
            return new BatchStatus(status.queueId(), status.batchId(), status.origin(), status.destination(), counts.pending(),
                    counts.inProgress(), counts.waiting(), counts.completed(), counts.failed(), counts.canceled(), counts.total());
        }

        BatchStatus redacted() {
            return new BatchStatus(queueId, QueueVisibility.REDACTED, null, null, pending, inProgress, waiting, completed, failed,
                    canceled, total);
        }
    }

    /** {@code SessionQueueStatus}. */
    record QueueStatus(String queueId, Long itemId, String batchId, String sessionId, int pending, int inProgress, int waiting,
                       int completed, int failed, int canceled, int total, Integer userPending, Integer userInProgress) {

        static QueueStatus of(QueueService.Status status) {
            StatusCounts counts = status.counts();
            return new QueueStatus(status.queueId(), status.itemId(), status.batchId(), status.sessionId(), counts.pending(),
                    counts.inProgress(), counts.waiting(), counts.completed(), counts.failed(), counts.canceled(), counts.total(),
                    status.userPending(), status.userInProgress());
        }

        /** Global counts only: nothing of the running item or of the owner's own counts. */
        QueueStatus redacted() {
            return new QueueStatus(queueId, null, null, null, pending, inProgress, waiting, completed, failed, canceled, total, null, null);
        }
    }

    /** {@code queue_item_status_changed}. */
    record StatusChanged(String queueId, long itemId, String batchId, String origin, String destination, String userId, String status,
                         int statusSequence, String errorType, String errorMessage, String errorTraceback, String createdAt,
                         String updatedAt, String startedAt, String completedAt, String sessionId, BatchStatus batchStatus,
                         QueueStatus queueStatus) {

        /** What other users following the queue see: no ids, tags or errors. */
        StatusChanged redacted() {
            return new StatusChanged(queueId, itemId, QueueVisibility.REDACTED, null, null, QueueVisibility.REDACTED, status,
                    statusSequence, null, null, null, createdAt, updatedAt, startedAt, completedAt, QueueVisibility.REDACTED,
                    batchStatus.redacted(), queueStatus.redacted());
        }
    }

    /** {@code batch_enqueued}. */
    record BatchEnqueued(String queueId, String batchId, int enqueued, long requested, int priority, String origin, String userId) {

        BatchEnqueued redacted() {
            return new BatchEnqueued(queueId, QueueVisibility.REDACTED, enqueued, requested, priority, null, QueueVisibility.REDACTED);
        }
    }
}

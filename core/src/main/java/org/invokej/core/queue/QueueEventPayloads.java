package org.invokej.core.queue;

import org.invokej.core.events.EventPayload;

import java.util.List;
import java.util.Map;

/**
 * The queue's event payloads as records, in InvokeAI's field order (api-shapes §8), with the redacted
 * copy other users get built from the same record. They are written as JSON where they leave the
 * server (snake_case names, nulls kept, order kept).
 */
public final class QueueEventPayloads {

    private QueueEventPayloads() {
    }

    /** {@code BatchStatus}. */
    public record BatchStatus(String queueId, String batchId, String origin, String destination, int pending, int inProgress, int waiting,
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
    public record QueueStatus(String queueId, Long itemId, String batchId, String sessionId, int pending, int inProgress, int waiting,
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
    public record StatusChanged(String queueId, long itemId, String batchId, String origin, String destination, String userId,
                                String status, int statusSequence, String errorType, String errorMessage, String errorTraceback,
                                String createdAt, String updatedAt, String startedAt, String completedAt, String sessionId,
                                BatchStatus batchStatus, QueueStatus queueStatus) implements EventPayload {

        /** What other users following the queue see: no ids, tags or errors. */
        StatusChanged redacted() {
            return new StatusChanged(queueId, itemId, QueueVisibility.REDACTED, null, null, QueueVisibility.REDACTED, status,
                    statusSequence, null, null, null, createdAt, updatedAt, startedAt, completedAt, QueueVisibility.REDACTED,
                    batchStatus.redacted(), queueStatus.redacted());
        }
    }

    /** {@code batch_enqueued}. */
    public record BatchEnqueued(String queueId, String batchId, int enqueued, long requested, int priority, String origin,
                                String userId) implements EventPayload {

        BatchEnqueued redacted() {
            return new BatchEnqueued(queueId, QueueVisibility.REDACTED, enqueued, requested, priority, null, QueueVisibility.REDACTED);
        }
    }

    /** {@code queue_items_canceled}: the ids, which users they belong to, and each user's ids. */
    public record ItemsCanceled(String queueId, List<Long> canceledItemIds, List<String> userIds,
                                Map<String, List<Long>> canceledItemIdsByUser) implements EventPayload {
    }

    /** {@code queue_items_retried}: the new items' ids, which users they belong to, and each user's ids. */
    public record ItemsRetried(String queueId, List<Long> retriedItemIds, List<String> userIds,
                               Map<String, List<Long>> retriedItemIdsByUser) implements EventPayload {
    }

    /** {@code queue_cleared}; {@code userId} null when every user's items were cleared. */
    public record QueueCleared(String queueId, String userId) implements EventPayload {
    }

    /** {@code invocation_started}. */
    public record InvocationStarted(String queueId, long itemId, String batchId, String origin, String destination, String userId,
                                    String sessionId, SessionRunner.Node invocation, String invocationSourceId)
            implements EventPayload {

        static InvocationStarted of(QueueItem item, SessionRunner.Node invocation) {
            return new InvocationStarted(item.queueId(), item.itemId(), item.batchId(), item.origin(), item.destination(),
                    item.userId(), item.sessionId(), invocation, invocation.sourceId());
        }
    }

    /** {@code invocation_progress}. */
    public record InvocationProgress(String queueId, long itemId, String batchId, String origin, String destination, String userId,
                                     String sessionId, SessionRunner.Node invocation, String invocationSourceId, String message,
                                     Double percentage, SessionRunner.ProgressImage image, String device) implements EventPayload {

        static InvocationProgress of(QueueItem item, SessionRunner.Node invocation, String message, Double percentage,
                                     SessionRunner.ProgressImage image) {
            return new InvocationProgress(item.queueId(), item.itemId(), item.batchId(), item.origin(), item.destination(),
                    item.userId(), item.sessionId(), invocation, invocation.sourceId(), message, percentage, image, null);
        }
    }

    /** {@code invocation_complete}. */
    public record InvocationComplete(String queueId, long itemId, String batchId, String origin, String destination, String userId,
                                     String sessionId, SessionRunner.Node invocation, String invocationSourceId,
                                     SessionRunner.Result result) implements EventPayload {

        static InvocationComplete of(QueueItem item, SessionRunner.Node invocation, SessionRunner.Result result) {
            return new InvocationComplete(item.queueId(), item.itemId(), item.batchId(), item.origin(), item.destination(),
                    item.userId(), item.sessionId(), invocation, invocation.sourceId(), result);
        }
    }

    /** {@code invocation_error}. */
    public record InvocationError(String queueId, long itemId, String batchId, String origin, String destination, String userId,
                                  String sessionId, SessionRunner.Node invocation, String invocationSourceId, String errorType,
                                  String errorMessage, String errorTraceback) implements EventPayload {

        static InvocationError of(QueueItem item, SessionRunner.Node invocation, String errorType, String errorMessage,
                                  String errorTraceback) {
            return new InvocationError(item.queueId(), item.itemId(), item.batchId(), item.origin(), item.destination(),
                    item.userId(), item.sessionId(), invocation, invocation.sourceId(), errorType, errorMessage, errorTraceback);
        }
    }

    /** {@code model_load_started} and {@code model_load_complete}. */
    public record ModelLoad(SessionRunner.LoadedModel config, String submodelType, String userId) implements EventPayload {
    }
}

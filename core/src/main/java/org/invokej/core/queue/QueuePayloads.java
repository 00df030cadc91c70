package org.invokej.core.queue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue's JSON shapes (api-shapes §4.2–4.3, §8), shared by the REST answers and the events: items,
 * summaries and status blocks, with times in SQLite's text form.
 */
public final class QueuePayloads {

    private static final DateTimeFormatter SQLITE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private QueuePayloads() {
    }

    /** {@code 2026-03-09 16:10:47.095}, or null. */
    public static String time(Instant instant) {
        return instant == null ? null : SQLITE.format(instant);
    }

    /** {@code SessionQueueItem}, nulls included. */
    public static Map<String, Object> item(QueueItem item) {
        Map<String, Object> json = summary(item);
        json.put("status_sequence", item.statusSequence());
        json.put("priority", item.priority());
        json.put("session_id", item.sessionId());
        json.put("error_type", item.errorType());
        json.put("error_message", item.errorMessage());
        json.put("error_traceback", item.errorTraceback());
        json.put("updated_at", time(item.updatedAt()));
        json.put("queue_id", item.queueId());
        json.put("retried_from_item_id", item.retriedFromItemId());
        json.put("workflow_call_id", null);
        json.put("parent_session_id", null);
        json.put("root_item_id", null);
        json.put("workflow_call_depth", null);
        json.put("session", item.session());
        json.put("workflow", item.workflow());
        return json;
    }

    /** {@code SessionQueueItemSummary}. */
    public static Map<String, Object> summary(QueueItem item) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("item_id", item.itemId());
        json.put("created_at", time(item.createdAt()));
        json.put("status", item.status().wireName());
        json.put("device", null);
        json.put("started_at", time(item.startedAt()));
        json.put("completed_at", time(item.completedAt()));
        json.put("origin", item.origin());
        json.put("destination", item.destination());
        json.put("batch_id", item.batchId());
        json.put("user_id", item.userId());
        json.put("user_display_name", item.userDisplayName());
        json.put("user_email", item.userEmail());
        json.put("field_values", item.fieldValues());
        json.put("parent_item_id", null);
        return json;
    }

    /** {@code SessionQueueStatus}. */
    public static Map<String, Object> status(QueueService.Status status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("queue_id", status.queueId());
        json.put("item_id", status.itemId());
        json.put("batch_id", status.batchId());
        json.put("session_id", status.sessionId());
        counts(json, status.counts());
        json.put("user_pending", status.userPending());
        json.put("user_in_progress", status.userInProgress());
        return json;
    }

    /** {@code BatchStatus}. */
    public static Map<String, Object> batchStatus(QueueService.BatchStatus status) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("queue_id", status.queueId());
        json.put("batch_id", status.batchId());
        json.put("origin", status.origin());
        json.put("destination", status.destination());
        counts(json, status.counts());
        return json;
    }

    public static Map<String, Object> processor(QueueService.ProcessorState state) {
        return Map.of("is_started", state.started(), "is_processing", state.processing());
    }

    public static void counts(Map<String, Object> json, StatusCounts counts) {
        json.put("pending", counts.pending());
        json.put("in_progress", counts.inProgress());
        json.put("waiting", counts.waiting());
        json.put("completed", counts.completed());
        json.put("failed", counts.failed());
        json.put("canceled", counts.canceled());
        json.put("total", counts.total());
    }

    /** The value with null map entries left out, all the way down (InvokeAI's {@code GET i/{id}}). */
    @SuppressWarnings("unchecked")
    public static Object withoutNulls(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            ((Map<String, Object>) map).forEach((key, item) -> {
                if (item != null) {
                    copy.put(key, withoutNulls(item));
                }
            });
            return copy;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(QueuePayloads::withoutNulls).toList();
        }
        return value;
    }
}

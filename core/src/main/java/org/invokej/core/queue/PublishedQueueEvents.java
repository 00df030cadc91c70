package org.invokej.core.queue;

import org.invokej.core.events.Audience;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;
import org.invokej.core.store.Transactions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queue's events with InvokeAI's payloads (api-shapes §8), routed as invokeai-multiuser §8.4 says:
 * the owner and administrators get the full payload; other users watching the queue get a copy with
 * {@link QueueVisibility#REDACTED} ids and no tags or errors; progress goes to the owner alone.
 */
public final class PublishedQueueEvents implements QueueEvents {

    private final Transactions transactions;
    private final QueueRepository queue;
    private final EventSink sink;

    public PublishedQueueEvents(Transactions transactions, QueueRepository queue, EventSink sink) {
        this.transactions = transactions;
        this.queue = queue;
        this.sink = sink;
    }

    @Override
    public void statusChanged(QueueItem item) {
        QueueEventPayloads.StatusChanged full = new QueueEventPayloads.StatusChanged(item.queueId(), item.itemId(), item.batchId(),
                item.origin(), item.destination(), item.userId(), item.status().wireName(), item.statusSequence(), item.errorType(),
                item.errorMessage(), item.errorTraceback(), QueuePayloads.time(item.createdAt()), QueuePayloads.time(item.updatedAt()),
                QueuePayloads.time(item.startedAt()), QueuePayloads.time(item.completedAt()), item.sessionId(), batchStatus(item),
                queueStatus(item));
        sink.publish(new ServerEvent("queue_item_status_changed", QueueEventPayloads.json(full),
                new Audience.QueueItem(item.queueId(), item.userId(), QueueEventPayloads.json(full.redacted()))));
    }

    @Override
    public void batchEnqueued(QueueItem first, int enqueued, long requested, int priority) {
        QueueEventPayloads.BatchEnqueued full = new QueueEventPayloads.BatchEnqueued(first.queueId(), first.batchId(), enqueued,
                requested, priority, first.origin(), first.userId());
        sink.publish(new ServerEvent("batch_enqueued", QueueEventPayloads.json(full),
                new Audience.QueueItem(first.queueId(), first.userId(), QueueEventPayloads.json(full.redacted()))));
    }

    @Override
    public void itemsCanceled(String queueId, List<QueueItem> canceled) {
        publishByOwner("queue_items_canceled", "canceled_item_ids", queueId, canceled);
    }

    @Override
    public void itemsRetried(String queueId, List<QueueItem> retried) {
        publishByOwner("queue_items_retried", "retried_item_ids", queueId, retried);
    }

    private void publishByOwner(String event, String idsField, String queueId, List<QueueItem> items) {
        Map<String, List<Long>> byUser = new LinkedHashMap<>();
        items.forEach(item -> byUser.computeIfAbsent(item.userId(), k -> new ArrayList<>()).add(item.itemId()));
        Map<String, Map<String, Object>> owners = new LinkedHashMap<>();
        byUser.forEach((userId, ids) -> owners.put(userId, byOwnerPayload(idsField, queueId, Map.of(userId, ids))));
        sink.publish(new ServerEvent(event, byOwnerPayload(idsField, queueId, byUser),
                new Audience.QueueByOwner(queueId, owners, byOwnerPayload(idsField, queueId, Map.of()))));
    }

    private static Map<String, Object> byOwnerPayload(String idsField, String queueId, Map<String, List<Long>> byUser) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("queue_id", queueId);
        payload.put(idsField, byUser.values().stream().flatMap(List::stream).toList());
        payload.put("user_ids", List.copyOf(byUser.keySet()));
        payload.put(idsField + "_by_user", new LinkedHashMap<>(byUser));
        return payload;
    }

    @Override
    public void cleared(String queueId, String userId) {
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("queue_id", queueId);
        full.put("user_id", userId);
        if (userId == null) {
            sink.publish(new ServerEvent("queue_cleared", full, new Audience.QueueRoom(queueId)));
            return;
        }
        Map<String, Object> others = new LinkedHashMap<>(full);
        others.put("user_id", QueueVisibility.REDACTED);
        sink.publish(new ServerEvent("queue_cleared", full, new Audience.QueueItem(queueId, userId, others)));
    }

    @Override
    public void invocationStarted(QueueItem item, Map<String, Object> invocation, String sourceId) {
        sink.publish(new ServerEvent("invocation_started", invocationBlock(item, invocation, sourceId),
                new Audience.UserAndAdmins(item.userId())));
    }

    @Override
    public void invocationProgress(QueueItem item, Map<String, Object> invocation, String sourceId, String message,
                                   Double percentage, Map<String, Object> image) {
        Map<String, Object> payload = invocationBlock(item, invocation, sourceId);
        payload.put("message", message);
        payload.put("percentage", percentage);
        payload.put("image", image);
        payload.put("device", null);
        sink.publish(new ServerEvent("invocation_progress", payload, new Audience.User(item.userId())));
    }

    @Override
    public void invocationComplete(QueueItem item, Map<String, Object> invocation, String sourceId, Map<String, Object> result) {
        Map<String, Object> payload = invocationBlock(item, invocation, sourceId);
        payload.put("result", result);
        sink.publish(new ServerEvent("invocation_complete", payload, new Audience.UserAndAdmins(item.userId())));
    }

    @Override
    public void invocationError(QueueItem item, Map<String, Object> invocation, String sourceId, String errorType,
                                String errorMessage, String errorTraceback) {
        Map<String, Object> payload = invocationBlock(item, invocation, sourceId);
        payload.put("error_type", errorType);
        payload.put("error_message", errorMessage);
        payload.put("error_traceback", errorTraceback);
        sink.publish(new ServerEvent("invocation_error", payload, new Audience.UserAndAdmins(item.userId())));
    }

    @Override
    public void modelLoad(QueueItem item, Map<String, Object> config, String submodel, boolean complete) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("config", config);
        payload.put("submodel_type", submodel);
        payload.put("user_id", item.userId());
        sink.publish(new ServerEvent(complete ? "model_load_complete" : "model_load_started", payload, new Audience.User(item.userId())));
    }

    private static Map<String, Object> itemBlock(QueueItem item) {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("queue_id", item.queueId());
        block.put("item_id", item.itemId());
        block.put("batch_id", item.batchId());
        block.put("origin", item.origin());
        block.put("destination", item.destination());
        block.put("user_id", item.userId());
        return block;
    }

    private static Map<String, Object> invocationBlock(QueueItem item, Map<String, Object> invocation, String sourceId) {
        Map<String, Object> block = itemBlock(item);
        block.put("session_id", item.sessionId());
        block.put("invocation", invocation);
        block.put("invocation_source_id", sourceId);
        return block;
    }

    private QueueEventPayloads.BatchStatus batchStatus(QueueItem item) {
        StatusCounts counts = transactions.read(tx -> queue.counts(tx, QueueFilter.of(item.queueId(), null)
                .withBatches(List.of(item.batchId()))));
        return QueueEventPayloads.BatchStatus.of(new QueueService.BatchStatus(item.queueId(), item.batchId(), item.origin(),
                item.destination(), counts));
    }

    /** Global counts, the owner's own counts, and the running item's ids only if it is the owner's. */
    private QueueEventPayloads.QueueStatus queueStatus(QueueItem item) {
        return transactions.read(tx -> {
            StatusCounts all = queue.counts(tx, QueueFilter.of(item.queueId(), null));
            StatusCounts own = queue.counts(tx, QueueFilter.of(item.queueId(), item.userId()));
            Optional<QueueItem> running = queue.current(tx, item.queueId()).filter(current -> current.userId().equals(item.userId()));
            return QueueEventPayloads.QueueStatus.of(new QueueService.Status(item.queueId(), running.map(QueueItem::itemId).orElse(null),
                    running.map(QueueItem::batchId).orElse(null), running.map(QueueItem::sessionId).orElse(null), all,
                    own.pending(), own.inProgress()));
        });
    }
}

package org.invokej.core.queue;

import org.invokej.core.events.Audience;
import org.invokej.core.events.EventPayload;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;
import org.invokej.core.store.Transactions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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
        sink.publish(new ServerEvent("queue_item_status_changed", full, new Audience.QueueItem(item.queueId(), item.userId(),
                full.redacted())));
    }

    @Override
    public void batchEnqueued(QueueItem first, int enqueued, long requested, int priority) {
        QueueEventPayloads.BatchEnqueued full = new QueueEventPayloads.BatchEnqueued(first.queueId(), first.batchId(), enqueued,
                requested, priority, first.origin(), first.userId());
        sink.publish(new ServerEvent("batch_enqueued", full, new Audience.QueueItem(first.queueId(), first.userId(), full.redacted())));
    }

    @Override
    public void itemsCanceled(String queueId, List<QueueItem> canceled) {
        publishByOwner("queue_items_canceled", queueId, canceled,
                byUser -> new QueueEventPayloads.ItemsCanceled(queueId, ids(byUser), List.copyOf(byUser.keySet()), byUser));
    }

    @Override
    public void itemsRetried(String queueId, List<QueueItem> retried) {
        publishByOwner("queue_items_retried", queueId, retried,
                byUser -> new QueueEventPayloads.ItemsRetried(queueId, ids(byUser), List.copyOf(byUser.keySet()), byUser));
    }

    /** Administrators get every owner's ids, each owner their own, the rest of the queue room none. */
    private void publishByOwner(String event, String queueId, List<QueueItem> items,
                                Function<Map<String, List<Long>>, EventPayload> payload) {
        Map<String, List<Long>> byUser = new LinkedHashMap<>();
        items.forEach(item -> byUser.computeIfAbsent(item.userId(), k -> new ArrayList<>()).add(item.itemId()));
        Map<String, EventPayload> owners = new LinkedHashMap<>();
        byUser.forEach((userId, ids) -> owners.put(userId, payload.apply(Map.of(userId, List.copyOf(ids)))));
        sink.publish(new ServerEvent(event, payload.apply(byUser), new Audience.QueueByOwner(queueId, owners, payload.apply(Map.of()))));
    }

    private static List<Long> ids(Map<String, List<Long>> byUser) {
        return byUser.values().stream().flatMap(List::stream).toList();
    }

    @Override
    public void cleared(String queueId, String userId) {
        QueueEventPayloads.QueueCleared full = new QueueEventPayloads.QueueCleared(queueId, userId);
        if (userId == null) {
            sink.publish(new ServerEvent("queue_cleared", full, new Audience.QueueRoom(queueId)));
            return;
        }
        sink.publish(new ServerEvent("queue_cleared", full, new Audience.QueueItem(queueId, userId,
                new QueueEventPayloads.QueueCleared(queueId, QueueVisibility.REDACTED))));
    }

    @Override
    public void invocationStarted(QueueItem item, SessionRunner.Node invocation) {
        sink.publish(new ServerEvent("invocation_started", QueueEventPayloads.InvocationStarted.of(item, invocation),
                new Audience.UserAndAdmins(item.userId())));
    }

    @Override
    public void invocationProgress(QueueItem item, SessionRunner.Node invocation, String message, Double percentage,
                                   SessionRunner.ProgressImage image) {
        sink.publish(new ServerEvent("invocation_progress", QueueEventPayloads.InvocationProgress.of(item, invocation, message,
                percentage, image), new Audience.User(item.userId())));
    }

    @Override
    public void invocationComplete(QueueItem item, SessionRunner.Node invocation, SessionRunner.Result result) {
        sink.publish(new ServerEvent("invocation_complete", QueueEventPayloads.InvocationComplete.of(item, invocation, result),
                new Audience.UserAndAdmins(item.userId())));
    }

    @Override
    public void invocationError(QueueItem item, SessionRunner.Node invocation, String errorType, String errorMessage,
                                String errorTraceback) {
        sink.publish(new ServerEvent("invocation_error", QueueEventPayloads.InvocationError.of(item, invocation, errorType,
                errorMessage, errorTraceback), new Audience.UserAndAdmins(item.userId())));
    }

    @Override
    public void modelLoad(QueueItem item, SessionRunner.LoadedModel model, boolean complete) {
        sink.publish(new ServerEvent(complete ? "model_load_complete" : "model_load_started",
                new QueueEventPayloads.ModelLoad(model, model.submodelType(), item.userId()), new Audience.User(item.userId())));
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

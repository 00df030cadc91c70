package org.invokej.core.queue;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Transactions;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The shared generation queue with InvokeAI's multi-user rules (invokeai-multiuser §7): everyone
 * enqueues and sees every item (other users' redacted), owners cancel, delete and retry their own,
 * administrators everything. Beyond InvokeAI, a full queue or a user over their pending-item limit is
 * refused with a 409 instead of silently dropping sessions.
 */
public final class QueueService {

    /**
     * Limits: the queue's size, one user's waiting items (0: no limit), and how many sessions one batch
     * may expand to.
     */
    public record Settings(int maxQueueSize, int maxPendingPerUser, int maxBatchItems) {
    }

    /** What {@code enqueue_batch} answers. */
    public record EnqueueResult(String queueId, int enqueued, long requested, Batch batch, int priority, List<Long> itemIds) {
    }

    /**
     * The queue's counts, with the caller's own pending/in-progress counts and the running item's ids
     * (only for administrators and that item's owner).
     */
    public record Status(String queueId, Long itemId, String batchId, String sessionId, StatusCounts counts,
                         int userPending, int userInProgress) {
    }

    /** A batch's counts, with its tags. */
    public record BatchStatus(String queueId, String batchId, String origin, String destination, StatusCounts counts) {
    }

    /** The processor's state. */
    public record ProcessorState(boolean started, boolean processing) {
    }

    /** Most ids one request may name (InvokeAI's limit). */
    public static final int MAX_IDS = 1000;

    private static final Set<QueueStatus> OPEN = EnumSet.of(QueueStatus.PENDING, QueueStatus.IN_PROGRESS, QueueStatus.WAITING);
    private static final Set<QueueStatus> WAITING = EnumSet.of(QueueStatus.PENDING, QueueStatus.WAITING);
    private static final Set<QueueStatus> TERMINAL = EnumSet.of(QueueStatus.COMPLETED, QueueStatus.FAILED, QueueStatus.CANCELED);

    private final Transactions transactions;
    private final QueueRepository queue;
    private final GraphChecker graphs;
    private final ModelUsage models;
    private final QueueEvents events;
    private final QueueDispatcher dispatcher;
    private final Settings settings;

    public QueueService(Transactions transactions, QueueRepository queue, GraphChecker graphs, ModelUsage models,
                        QueueEvents events, QueueDispatcher dispatcher, Settings settings) {
        this.transactions = transactions;
        this.queue = queue;
        this.graphs = graphs;
        this.models = models;
        this.events = events;
        this.dispatcher = dispatcher;
        this.settings = settings;
    }

    /** Checks the batch and its graph, then enqueues all its sessions or none. */
    public EnqueueResult enqueue(Actor actor, String queueId, Batch batch, boolean prepend) {
        long requested = BatchExpansion.requested(batch);
        if (requested > settings.maxBatchItems()) {
            // before the graph is checked once per batch value, and long before anything is expanded
            throw DomainException.unprocessable("Invalid batch: it asks for " + (requested == Long.MAX_VALUE ? "more than "
                    + Long.MAX_VALUE : requested) + " sessions (runs x data); a batch may have at most " + settings.maxBatchItems()
                    + " (max_batch_items)");
        }
        ModelUsage.requireLorasFit(BatchExpansion.check(batch, graphs).modelKeys().stream()
                .map(key -> models.requireUsable(actor, key)).toList());
        if (requested > settings.maxQueueSize()) {
            throw DomainException.conflict("This batch asks for " + requested + " sessions; the queue holds at most "
                    + settings.maxQueueSize() + ". Make the batch smaller.");
        }
        List<BatchExpansion.Session> sessions = BatchExpansion.expand(batch);
        String batchId = batch.batchId() != null ? batch.batchId() : UUID.randomUUID().toString();
        Batch echoed = new Batch(batchId, batch.origin(), batch.destination(), batch.data(), batch.graph(), batch.workflow(), batch.runs());
        EnqueueResult result = transactions.write(tx -> {
            int size = queue.count(tx, queueId);
            if (size + sessions.size() > settings.maxQueueSize()) {
                throw DomainException.conflict("The queue is full: it holds " + size + " of at most " + settings.maxQueueSize()
                        + " items, and this batch adds " + sessions.size() + ". Wait for items to finish, or prune finished ones.");
            }
            int pending = queue.counts(tx, QueueFilter.of(queueId, actor.userId()).withStatuses(WAITING)).total();
            if (settings.maxPendingPerUser() > 0 && pending + sessions.size() > settings.maxPendingPerUser()) {
                throw DomainException.conflict("You have " + pending + " items waiting and may have at most "
                        + settings.maxPendingPerUser() + "; this batch adds " + sessions.size()
                        + ". Wait for some to finish or cancel them.");
            }
            int priority = prepend ? queue.maxPriority(tx, queueId) + 1 : 0;
            List<NewQueueItem> items = new ArrayList<>();
            for (BatchExpansion.Session session : sessions) {
                String sessionId = UUID.randomUUID().toString();
                items.add(new NewQueueItem(queueId, batchId, sessionId, priority, actor.userId(), batch.origin(), batch.destination(),
                        session.fieldValues(), newSession(sessionId, session.graph()), batch.workflow(), null));
            }
            queue.insert(tx, items);
            return new EnqueueResult(queueId, items.size(), requested, echoed, priority, queue.batchItemIds(tx, queueId, batchId));
        });
        if (!result.itemIds().isEmpty()) {
            transactions.read(tx -> queue.find(tx, result.itemIds().getLast())).ifPresent(first ->
                    events.batchEnqueued(first, result.enqueued(), result.requested(), result.priority()));
        }
        dispatcher.wake();
        return result;
    }

    static Map<String, Object> newSession(String sessionId, Map<String, Object> graph) {
        Map<String, Object> session = new LinkedHashMap<>(QueueVisibility.emptySession());
        session.put("id", sessionId);
        session.put("graph", graph);
        session.put("execution_graph", Map.of("id", sessionId + ":execution", "nodes", Map.of(), "edges", List.of()));
        return session;
    }

    // --- reads ---

    public List<QueueItem> listAll(Actor actor, String queueId, String destination) {
        return visible(actor, transactions.read(tx -> queue.list(tx, queueId, destination)));
    }

    public List<Long> itemIds(String queueId, boolean descending) {
        return transactions.read(tx -> queue.itemIds(tx, queueId, descending));
    }

    public List<QueueItem> itemsByIds(Actor actor, String queueId, List<Long> itemIds) {
        if (itemIds.size() > MAX_IDS) {
            throw DomainException.unprocessable("item_ids may hold at most " + MAX_IDS + " ids, not " + itemIds.size());
        }
        return visible(actor, transactions.read(tx -> queue.findAll(tx, queueId, itemIds)));
    }

    public QueueItem get(Actor actor, String queueId, long itemId) {
        return QueueVisibility.forViewer(actor, find(queueId, itemId));
    }

    public Optional<QueueItem> current(Actor actor, String queueId) {
        return transactions.read(tx -> queue.current(tx, queueId)).map(item -> QueueVisibility.forViewer(actor, item));
    }

    public Optional<QueueItem> next(Actor actor, String queueId) {
        return dispatcher.next().flatMap(id -> transactions.read(tx -> queue.find(tx, id)))
                .filter(item -> item.queueId().equals(queueId))
                .map(item -> QueueVisibility.forViewer(actor, item));
    }

    public Status status(Actor actor, String queueId) {
        return transactions.read(tx -> {
            StatusCounts all = queue.counts(tx, QueueFilter.of(queueId, null));
            StatusCounts own = queue.counts(tx, QueueFilter.of(queueId, actor.userId()));
            Optional<QueueItem> running = queue.current(tx, queueId).filter(item -> QueueVisibility.seesInFull(actor, item));
            return new Status(queueId, running.map(QueueItem::itemId).orElse(null), running.map(QueueItem::batchId).orElse(null),
                    running.map(QueueItem::sessionId).orElse(null), all, own.pending(), own.inProgress());
        });
    }

    /** Counts of a batch: a user's own items, everyone's for administrators. */
    public BatchStatus batchStatus(Actor actor, String queueId, String batchId) {
        QueueFilter filter = QueueFilter.of(queueId, scope(actor)).withBatches(List.of(batchId));
        return transactions.read(tx -> {
            Optional<QueueItem> any = queue.select(tx, filter).stream().findFirst();
            return new BatchStatus(queueId, batchId, any.map(QueueItem::origin).orElse(null),
                    any.map(QueueItem::destination).orElse(null), queue.counts(tx, filter));
        });
    }

    public StatusCounts countsByDestination(Actor actor, String queueId, String destination) {
        return transactions.read(tx -> queue.counts(tx, QueueFilter.of(queueId, scope(actor)).withDestination(destination)));
    }

    public ProcessorState processor() {
        return new ProcessorState(dispatcher.isStarted(), dispatcher.isProcessing());
    }

    // --- changes ---

    /** Cancels one item (and stops it if it runs); a terminal item stays as it is. */
    public QueueItem cancel(Actor actor, String queueId, long itemId) {
        QueueItem item = find(queueId, itemId);
        if (!QueueVisibility.seesInFull(actor, item)) {
            throw DomainException.forbidden("You do not have permission to cancel this queue item");
        }
        cancelItems(List.of(item));
        return find(queueId, itemId);
    }

    /** Deletes one item, canceling it first if it is not finished. */
    public void delete(Actor actor, String queueId, long itemId) {
        QueueItem item = find(queueId, itemId);
        if (!QueueVisibility.seesInFull(actor, item)) {
            throw DomainException.forbidden("You do not have permission to delete this queue item");
        }
        cancelItems(List.of(item));
        transactions.write(tx -> queue.delete(tx, List.of(itemId)));
    }

    public int cancelByBatchIds(Actor actor, String queueId, Collection<String> batchIds) {
        return cancelAll(QueueFilter.of(queueId, scope(actor)).withBatches(batchIds).withStatuses(OPEN));
    }

    public int cancelByDestination(Actor actor, String queueId, String destination) {
        return cancelAll(QueueFilter.of(queueId, scope(actor)).withDestination(destination).withStatuses(OPEN));
    }

    /** Cancels waiting items (the caller's, or everyone's for administrators), never the one running. */
    public int cancelAllExceptCurrent(Actor actor, String queueId) {
        return cancelAll(QueueFilter.of(queueId, scope(actor)).withStatuses(WAITING));
    }

    public int deleteAllExceptCurrent(Actor actor, String queueId) {
        // Every worker's running item stays, not only this process's.
        Set<Long> running = Set.copyOf(dispatcher.runningItemIds());
        List<QueueItem> items = transactions.read(tx -> queue.select(tx, QueueFilter.of(queueId, scope(actor)))).stream()
                .filter(item -> !running.contains(item.itemId())).toList();
        cancelItems(items);
        return transactions.write(tx -> queue.delete(tx, items.stream().map(QueueItem::itemId).toList()));
    }

    public int deleteByDestination(Actor actor, String queueId, String destination) {
        return deleteAll(QueueFilter.of(queueId, scope(actor)).withDestination(destination));
    }

    /** Deletes every item in the caller's scope, stopping running ones first. */
    public int clear(Actor actor, String queueId) {
        String userId = scope(actor);
        int deleted = deleteAll(QueueFilter.of(queueId, userId));
        events.cleared(queueId, userId);
        return deleted;
    }

    /** Removes finished items in the caller's scope. */
    public int prune(Actor actor, String queueId) {
        List<QueueItem> finished = transactions.read(tx -> queue.select(tx, QueueFilter.of(queueId, scope(actor)).withStatuses(TERMINAL)));
        return transactions.write(tx -> queue.delete(tx, finished.stream().map(QueueItem::itemId).toList()));
    }

    /** Enqueues new copies of finished items; each must be the caller's (or any, for administrators). */
    public List<Long> retry(Actor actor, String queueId, List<Long> itemIds) {
        if (itemIds.size() > MAX_IDS) {
            throw DomainException.unprocessable("At most " + MAX_IDS + " ids may be retried at once");
        }
        List<QueueItem> originals = new ArrayList<>();
        for (long itemId : itemIds) {
            Optional<QueueItem> item = transactions.read(tx -> queue.find(tx, itemId));
            if (item.isEmpty()) {
                continue;
            }
            if (!item.get().queueId().equals(queueId)) {
                throw DomainException.notFound("Queue item with id " + itemId + " not found in queue " + queueId);
            }
            if (!QueueVisibility.seesInFull(actor, item.get())) {
                throw DomainException.forbidden("You do not have permission to retry queue item " + itemId);
            }
            if (item.get().status() == QueueStatus.FAILED || item.get().status() == QueueStatus.CANCELED) {
                originals.add(item.get());
            }
        }
        List<Long> ids = transactions.write(tx -> queue.insert(tx, originals.stream().map(original -> {
            String sessionId = UUID.randomUUID().toString();
            return new NewQueueItem(queueId, original.batchId(), sessionId, original.priority(), original.userId(), original.origin(),
                    original.destination(), original.fieldValues(), newSession(sessionId, original.graph()), original.workflow(),
                    original.itemId());
        }).toList()));
        if (!ids.isEmpty()) {
            events.itemsRetried(queueId, transactions.read(tx -> queue.findAll(tx, queueId, ids)));
            dispatcher.wake();
        }
        return ids;
    }

    public ProcessorState pause() {
        dispatcher.pause();
        return processor();
    }

    public ProcessorState resume() {
        dispatcher.resume();
        return processor();
    }

    /** Cancels everything a user has waiting or running (they were deactivated or deleted). */
    public void cancelAllOf(String userId) {
        List<QueueItem> open = transactions.read(tx -> queue.select(tx,
                new QueueFilter(null, userId, OPEN, null, null, null)));
        cancelItems(open);
    }

    private int cancelAll(QueueFilter filter) {
        return cancelItems(transactions.read(tx -> queue.select(tx, filter)));
    }

    private int deleteAll(QueueFilter filter) {
        List<QueueItem> items = transactions.read(tx -> queue.select(tx, filter));
        cancelItems(items);
        return transactions.write(tx -> queue.delete(tx, items.stream().map(QueueItem::itemId).toList()));
    }

    /**
     * Cancels the items that are not finished: one running in this process is stopped by its worker
     * (which records it), the others are marked canceled here in one transaction (a worker in another
     * process running one of them sees that at its next step and stops). A single item also gets its
     * {@code queue_item_status_changed}; every call that changed something one {@code queue_items_canceled}
     * (bulk cancels of thousands of items send that one event, as InvokeAI does).
     */
    private int cancelItems(List<QueueItem> items) {
        List<QueueItem> canceled = new ArrayList<>();
        List<QueueItem> waiting = new ArrayList<>();
        for (QueueItem item : items) {
            if (item.status().terminal()) {
                continue;
            }
            if (dispatcher.cancelIfRunning(item.itemId())) {
                canceled.add(item);
            } else {
                waiting.add(item);
            }
        }
        List<QueueItem> marked = transactions.write(tx -> {
            List<QueueItem> done = new ArrayList<>();
            for (QueueItem item : waiting) {
                if (queue.transition(tx, item.itemId(), QueueStatus.CANCELED, null, null, null)) {
                    queue.find(tx, item.itemId()).ifPresent(done::add);
                }
            }
            return done;
        });
        canceled.addAll(marked);
        if (items.size() == 1) {
            marked.forEach(events::statusChanged);
        }
        if (!canceled.isEmpty()) {
            events.itemsCanceled(canceled.get(0).queueId(), canceled);
        }
        return canceled.size();
    }

    private QueueItem find(String queueId, long itemId) {
        return transactions.read(tx -> queue.find(tx, itemId))
                .filter(item -> item.queueId().equals(queueId))
                .orElseThrow(() -> DomainException.notFound("Queue item with id " + itemId + " not found in queue " + queueId));
    }

    private static String scope(Actor actor) {
        return actor.admin() ? null : actor.userId();
    }

    private static List<QueueItem> visible(Actor actor, List<QueueItem> items) {
        return items.stream().map(item -> QueueVisibility.forViewer(actor, item)).toList();
    }
}

package org.invokej.http.fakes;

import org.invokej.core.queue.NewQueueItem;
import org.invokej.core.queue.QueueFilter;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueRepository;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueStatus;
import org.invokej.core.queue.StatusCounts;
import org.invokej.core.store.Tx;
import org.invokej.core.users.User;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code session_queue} in memory, with the owner's name and email joined from {@link MemoryUsers} when read. */
public final class MemoryQueue implements QueueRepository {

    private static final Comparator<QueueItem> LISTING = Comparator.comparingInt(QueueItem::priority).reversed()
            .thenComparingLong(QueueItem::itemId);

    private final MemoryStore.Table<Long, QueueItem> items;
    private final MemoryUsers users;
    private final Clock clock;

    public MemoryQueue(MemoryStore store, MemoryUsers users, Clock clock) {
        this.items = store.table();
        this.users = users;
        this.clock = clock;
    }

    @Override
    public List<Long> insert(Tx tx, List<NewQueueItem> newItems) {
        List<Long> ids = new ArrayList<>();
        for (NewQueueItem item : newItems) {
            long id = items.rows().keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
            Instant now = clock.instant();
            items.rows().put(id, new QueueItem(id, item.queueId(), item.batchId(), item.sessionId(), QueueStatus.PENDING, 0,
                    item.priority(), item.userId(), null, null, item.origin(), item.destination(), item.fieldValues(), item.session(),
                    item.workflow(), null, null, null, item.retriedFromItemId(), now, now, null, null));
            ids.add(id);
        }
        return ids;
    }

    @Override
    public Optional<QueueItem> find(Tx tx, long itemId) {
        return Optional.ofNullable(items.rows().get(itemId)).map(item -> joined(tx, item));
    }

    @Override
    public List<QueueItem> findAll(Tx tx, String queueId, List<Long> itemIds) {
        return itemIds.stream().distinct().map(id -> find(tx, id)).flatMap(Optional::stream)
                .filter(item -> item.queueId().equals(queueId)).toList();
    }

    @Override
    public List<QueueItem> list(Tx tx, String queueId, String destination) {
        return all(tx).filter(item -> item.queueId().equals(queueId))
                .filter(item -> destination == null || destination.equals(item.destination())).sorted(LISTING).toList();
    }

    @Override
    public List<Long> itemIds(Tx tx, String queueId, boolean descending) {
        Comparator<QueueItem> order = Comparator.comparing(QueueItem::createdAt).thenComparingLong(QueueItem::itemId);
        return all(tx).filter(item -> item.queueId().equals(queueId)).sorted(descending ? order.reversed() : order)
                .map(QueueItem::itemId).toList();
    }

    @Override
    public List<Long> batchItemIds(Tx tx, String queueId, String batchId) {
        return all(tx).filter(item -> item.queueId().equals(queueId) && item.batchId().equals(batchId))
                .map(QueueItem::itemId).sorted(Comparator.reverseOrder()).toList();
    }

    @Override
    public int count(Tx tx, String queueId) {
        return (int) all(tx).filter(item -> item.queueId().equals(queueId)).count();
    }

    @Override
    public int maxPriority(Tx tx, String queueId) {
        return all(tx).filter(item -> item.queueId().equals(queueId)).mapToInt(QueueItem::priority).max().orElse(0);
    }

    @Override
    public StatusCounts counts(Tx tx, QueueFilter filter) {
        List<QueueItem> selected = select(tx, filter);
        return new StatusCounts(count(selected, QueueStatus.PENDING), count(selected, QueueStatus.IN_PROGRESS),
                count(selected, QueueStatus.WAITING), count(selected, QueueStatus.COMPLETED), count(selected, QueueStatus.FAILED),
                count(selected, QueueStatus.CANCELED));
    }

    private static int count(List<QueueItem> items, QueueStatus status) {
        return (int) items.stream().filter(item -> item.status() == status).count();
    }

    @Override
    public Optional<QueueItem> current(Tx tx, String queueId) {
        return all(tx).filter(item -> item.queueId().equals(queueId) && item.status() == QueueStatus.IN_PROGRESS)
                .max(Comparator.comparing(QueueItem::startedAt));
    }

    @Override
    public List<QueueScheduler.Candidate> pendingHeads(Tx tx, String queueId) {
        List<QueueItem> pending = all(tx).filter(item -> item.status() == QueueStatus.PENDING)
                .filter(item -> queueId == null || item.queueId().equals(queueId)).sorted(LISTING).toList();
        List<QueueScheduler.Candidate> heads = new ArrayList<>();
        pending.stream().map(QueueItem::userId).distinct().forEach(userId -> {
            QueueItem head = pending.stream().filter(item -> item.userId().equals(userId)).findFirst().orElseThrow();
            Instant lastStarted = all(tx).filter(item -> item.userId().equals(userId)).map(QueueItem::startedAt)
                    .filter(Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
            heads.add(new QueueScheduler.Candidate(head.itemId(), userId, head.priority(), lastStarted));
        });
        return heads;
    }

    @Override
    public boolean transition(Tx tx, long itemId, QueueStatus status, String errorType, String errorMessage, String errorTraceback) {
        QueueItem old = items.rows().get(itemId);
        if (old == null || old.status().terminal() || (status == QueueStatus.IN_PROGRESS && old.status() != QueueStatus.PENDING)) {
            return false;
        }
        Instant now = clock.instant();
        items.rows().put(itemId, new QueueItem(old.itemId(), old.queueId(), old.batchId(), old.sessionId(), status,
                old.statusSequence() + 1, old.priority(), old.userId(), null, null, old.origin(), old.destination(), old.fieldValues(),
                old.session(), old.workflow(), errorType, errorMessage, errorTraceback, old.retriedFromItemId(), old.createdAt(), now,
                status == QueueStatus.IN_PROGRESS ? now : old.startedAt(), status.terminal() ? now : old.completedAt()));
        return true;
    }

    @Override
    public void updateSession(Tx tx, long itemId, Map<String, Object> session) {
        QueueItem old = items.rows().get(itemId);
        if (old != null) {
            items.rows().put(itemId, new QueueItem(old.itemId(), old.queueId(), old.batchId(), old.sessionId(), old.status(),
                    old.statusSequence(), old.priority(), old.userId(), null, null, old.origin(), old.destination(), old.fieldValues(),
                    session, old.workflow(), old.errorType(), old.errorMessage(), old.errorTraceback(), old.retriedFromItemId(),
                    old.createdAt(), clock.instant(), old.startedAt(), old.completedAt()));
        }
    }

    @Override
    public List<QueueItem> select(Tx tx, QueueFilter filter) {
        return all(tx)
                .filter(item -> filter.queueId() == null || item.queueId().equals(filter.queueId()))
                .filter(item -> filter.userId() == null || item.userId().equals(filter.userId()))
                .filter(item -> filter.statuses().isEmpty() || filter.statuses().contains(item.status()))
                .filter(item -> filter.batchIds() == null || filter.batchIds().contains(item.batchId()))
                .filter(item -> filter.destination() == null || filter.destination().equals(item.destination()))
                .filter(item -> filter.exceptItemId() == null || item.itemId() != filter.exceptItemId())
                .sorted(Comparator.comparingLong(QueueItem::itemId))
                .toList();
    }

    @Override
    public int delete(Tx tx, Collection<Long> itemIds) {
        return (int) itemIds.stream().distinct().filter(id -> items.rows().remove(id) != null).count();
    }

    @Override
    public List<Long> unfinished(Tx tx) {
        return all(tx).filter(item -> item.status() == QueueStatus.IN_PROGRESS || item.status() == QueueStatus.WAITING)
                .map(QueueItem::itemId).sorted().toList();
    }

    private Stream<QueueItem> all(Tx tx) {
        return items.rows().values().stream().map(item -> joined(tx, item));
    }

    private QueueItem joined(Tx tx, QueueItem item) {
        Optional<User> owner = users.find(tx, item.userId());
        return new QueueItem(item.itemId(), item.queueId(), item.batchId(), item.sessionId(), item.status(), item.statusSequence(),
                item.priority(), item.userId(), owner.map(User::displayName).orElse(null), owner.map(User::email).orElse(null),
                item.origin(), item.destination(), item.fieldValues(), item.session(), item.workflow(), item.errorType(),
                item.errorMessage(), item.errorTraceback(), item.retriedFromItemId(), item.createdAt(), item.updatedAt(),
                item.startedAt(), item.completedAt());
    }
}

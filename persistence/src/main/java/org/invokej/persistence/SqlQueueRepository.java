package org.invokej.persistence;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import org.invokej.core.queue.NewQueueItem;
import org.invokej.core.queue.QueueFilter;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueRepository;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueStatus;
import org.invokej.core.queue.StatusCounts;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code session_queue} , with the owner's name and email joined from {@code users}. */
public final class SqlQueueRepository implements QueueRepository {

    private static final String SELECT = "SELECT q.*, u.display_name AS user_display_name, u.email AS user_email "
            + "FROM session_queue q LEFT JOIN users u ON u.user_id = q.user_id ";
    private static final int CHUNK = 500;

    @Override
    public List<Long> insert(Tx tx, List<NewQueueItem> items) {
        DbExecute exec = SqlTx.of(tx);
        List<Long> ids = new ArrayList<>();
        for (NewQueueItem item : items) {
            ids.add(exec.get("INSERT INTO session_queue (queue_id, batch_id, session_id, priority, user_id, origin, destination, "
                            + "field_values, session, workflow, retried_from_item_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            + "RETURNING item_id",
                    item.queueId(), item.batchId(), item.sessionId(), item.priority(), item.userId(), item.origin(), item.destination(),
                    JsonText.write(item.fieldValues()), JsonText.write(item.session()), JsonText.write(item.workflow()),
                    item.retriedFromItemId()).map(row -> Columns.longOf(row, "item_id")).orElseThrow());
        }
        return ids;
    }

    @Override
    public Optional<QueueItem> find(Tx tx, long itemId) {
        return SqlTx.of(tx).get(SELECT + "WHERE q.item_id = ?", itemId).map(SqlQueueRepository::item);
    }

    @Override
    public List<QueueItem> findAll(Tx tx, String queueId, List<Long> itemIds) {
        Map<Long, QueueItem> found = new HashMap<>();
        List<Long> distinct = itemIds.stream().distinct().toList();
        for (int start = 0; start < distinct.size(); start += CHUNK) {
            List<Long> chunk = distinct.subList(start, Math.min(distinct.size(), start + CHUNK));
            List<Object> params = new ArrayList<>(chunk);
            params.add(queueId);
            query(tx, SELECT + "WHERE q.item_id IN (" + marks(chunk.size()) + ") AND q.queue_id = ?", params)
                    .forEach(item -> found.put(item.itemId(), item));
        }
        return itemIds.stream().map(found::get).filter(java.util.Objects::nonNull).toList();
    }

    @Override
    public List<QueueItem> list(Tx tx, String queueId, String destination) {
        return destination == null
                ? query(tx, SELECT + "WHERE q.queue_id = ? ORDER BY q.priority DESC, q.item_id ASC", List.of(queueId))
                : query(tx, SELECT + "WHERE q.queue_id = ? AND q.destination = ? ORDER BY q.priority DESC, q.item_id ASC",
                List.of(queueId, destination));
    }

    @Override
    public List<Long> itemIds(Tx tx, String queueId, boolean descending) {
        return ids(tx, "SELECT item_id FROM session_queue WHERE queue_id = ? ORDER BY created_at "
                + (descending ? "DESC, item_id DESC" : "ASC, item_id ASC"), queueId);
    }

    @Override
    public List<Long> batchItemIds(Tx tx, String queueId, String batchId) {
        return ids(tx, "SELECT item_id FROM session_queue WHERE queue_id = ? AND batch_id = ? ORDER BY item_id DESC", queueId, batchId);
    }

    @Override
    public int count(Tx tx, String queueId) {
        return SqlTx.of(tx).get("SELECT COUNT(*) AS n FROM session_queue WHERE queue_id = ?", queueId)
                .map(row -> Columns.intOf(row, "n")).orElse(0);
    }

    @Override
    public int maxPriority(Tx tx, String queueId) {
        return SqlTx.of(tx).get("SELECT COALESCE(MAX(priority), 0) AS p FROM session_queue WHERE queue_id = ?", queueId)
                .map(row -> Columns.intOf(row, "p")).orElse(0);
    }

    @Override
    public StatusCounts counts(Tx tx, QueueFilter filter) {
        Where where = where(filter);
        Map<String, Integer> byStatus = new HashMap<>();
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT status, COUNT(*) AS n FROM session_queue q" + where.sql + " GROUP BY status",
                where.params.toArray())) {
            rows.forEach(row -> byStatus.put(Columns.textOf(row, "status"), Columns.intOf(row, "n")));
        }
        return new StatusCounts(byStatus.getOrDefault("pending", 0), byStatus.getOrDefault("in_progress", 0),
                byStatus.getOrDefault("waiting", 0), byStatus.getOrDefault("completed", 0),
                byStatus.getOrDefault("failed", 0), byStatus.getOrDefault("canceled", 0));
    }

    @Override
    public Optional<QueueItem> current(Tx tx, String queueId) {
        return SqlTx.of(tx).get(SELECT + "WHERE q.queue_id = ? AND q.status = 'in_progress' ORDER BY q.started_at DESC LIMIT 1", queueId)
                .map(SqlQueueRepository::item);
    }

    @Override
    public List<QueueScheduler.Candidate> pendingHeads(Tx tx, String queueId) {
        String sql = "SELECT h.item_id, h.user_id, h.priority, "
                + "(SELECT MAX(s.started_at) FROM session_queue s WHERE s.user_id = h.user_id) AS last_started "
                + "FROM (SELECT item_id, user_id, priority, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY priority DESC, item_id ASC) AS rn "
                + "FROM session_queue WHERE status = 'pending'" + (queueId == null ? "" : " AND queue_id = ?") + ") h WHERE h.rn = 1";
        try (Stream<DbRow> rows = queueId == null ? SqlTx.of(tx).query(sql) : SqlTx.of(tx).query(sql, queueId)) {
            return rows.map(row -> new QueueScheduler.Candidate(Columns.longOf(row, "item_id"), Columns.textOf(row, "user_id"),
                    Columns.intOf(row, "priority"), Timestamps.parse(Columns.textOf(row, "last_started")))).toList();
        }
    }

    @Override
    public boolean transition(Tx tx, long itemId, QueueStatus status, String errorType, String errorMessage, String errorTraceback) {
        String guard = status == QueueStatus.IN_PROGRESS ? "status = 'pending'" : "status NOT IN ('completed', 'failed', 'canceled')";
        return SqlTx.of(tx).update("UPDATE session_queue SET status = ?, status_sequence = COALESCE(status_sequence, 0) + 1, "
                        + "error_type = ?, error_message = ?, error_traceback = ? WHERE item_id = ? AND " + guard,
                status.wireName(), errorType, errorMessage, errorTraceback, itemId) > 0;
    }

    @Override
    public void updateSession(Tx tx, long itemId, Map<String, Object> session) {
        SqlTx.of(tx).update("UPDATE session_queue SET session = ? WHERE item_id = ?", JsonText.write(session), itemId);
    }

    @Override
    public List<QueueItem> select(Tx tx, QueueFilter filter) {
        Where where = where(filter);
        return query(tx, SELECT + where.sql + " ORDER BY q.item_id", where.params);
    }

    @Override
    public int delete(Tx tx, Collection<Long> itemIds) {
        List<Long> ids = List.copyOf(itemIds);
        int deleted = 0;
        for (int start = 0; start < ids.size(); start += CHUNK) {
            List<Long> chunk = ids.subList(start, Math.min(ids.size(), start + CHUNK));
            deleted += (int) SqlTx.of(tx).delete("DELETE FROM session_queue WHERE item_id IN (" + marks(chunk.size()) + ")", chunk.toArray());
        }
        return deleted;
    }

    @Override
    public List<Long> unfinished(Tx tx) {
        return ids(tx, "SELECT item_id FROM session_queue WHERE status IN ('in_progress', 'waiting') ORDER BY item_id");
    }

    private record Where(String sql, List<Object> params) {
    }

    private static Where where(QueueFilter filter) {
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (filter.queueId() != null) {
            conditions.add("q.queue_id = ?");
            params.add(filter.queueId());
        }
        if (filter.userId() != null) {
            conditions.add("q.user_id = ?");
            params.add(filter.userId());
        }
        if (!filter.statuses().isEmpty()) {
            conditions.add("q.status IN (" + marks(filter.statuses().size()) + ")");
            filter.statuses().forEach(status -> params.add(status.wireName()));
        }
        if (filter.batchIds() != null) {
            if (filter.batchIds().isEmpty()) {
                conditions.add("1 = 0");
            } else {
                conditions.add("q.batch_id IN (" + marks(filter.batchIds().size()) + ")");
                params.addAll(filter.batchIds());
            }
        }
        if (filter.destination() != null) {
            conditions.add("q.destination = ?");
            params.add(filter.destination());
        }
        if (filter.exceptItemId() != null) {
            conditions.add("q.item_id != ?");
            params.add(filter.exceptItemId());
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), params);
    }

    private static List<QueueItem> query(Tx tx, String sql, List<?> params) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query(sql, params.toArray())) {
            return rows.map(SqlQueueRepository::item).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static List<Long> ids(Tx tx, String sql, Object... params) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query(sql, params)) {
            return rows.map(row -> Columns.longOf(row, "item_id")).toList();
        }
    }

    private static String marks(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static QueueItem item(DbRow row) {
        return new QueueItem(
                Columns.longOf(row, "item_id"),
                Columns.textOf(row, "queue_id"),
                Columns.textOf(row, "batch_id"),
                Columns.textOf(row, "session_id"),
                QueueStatus.fromWire(Columns.textOf(row, "status")),
                Optional.ofNullable(Columns.longOrNull(row, "status_sequence")).map(Long::intValue).orElse(0),
                Columns.intOf(row, "priority"),
                Columns.textOf(row, "user_id"),
                Columns.textOf(row, "user_display_name"),
                Columns.textOf(row, "user_email"),
                Columns.textOf(row, "origin"),
                Columns.textOf(row, "destination"),
                JsonText.list(Columns.textOf(row, "field_values")),
                JsonText.map(Columns.textOf(row, "session")),
                JsonText.map(Columns.textOf(row, "workflow")),
                Columns.textOf(row, "error_type"),
                Columns.textOf(row, "error_message"),
                Columns.textOf(row, "error_traceback"),
                Columns.longOrNull(row, "retried_from_item_id"),
                Timestamps.parse(Columns.textOf(row, "created_at")),
                Timestamps.parse(Columns.textOf(row, "updated_at")),
                Timestamps.parse(Columns.textOf(row, "started_at")),
                Timestamps.parse(Columns.textOf(row, "completed_at")));
    }
}

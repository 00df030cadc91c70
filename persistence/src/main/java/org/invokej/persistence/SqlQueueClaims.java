package org.invokej.persistence;

import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import org.invokej.core.queue.QueueClaims;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueStatus;
import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Claims and leases of queue items, the workers and the shared pause switch. In SQLite a claim is made
 * in a write transaction, which SQLite runs one at a time: within a process under the write lock,
 * across processes on one host through the database file's lock and {@code busy_timeout}. Workers on
 * several hosts need PostgreSQL, where claims and renewals run beside other writes
 * ({@link Database#writeWithRowLocks}) and a claim locks the item it takes with
 * {@code SELECT … FOR UPDATE SKIP LOCKED}, skipping items other claimers hold.
 *
 * <p>Everything here that changes both locks a claim before its worker's row, so that a renewal running
 * beside a release or a recovery cannot deadlock with it. Times are Unix milliseconds.
 */
public final class SqlQueueClaims implements QueueClaims {

    @Override
    public void register(Tx tx, Worker worker, Instant now) {
        SqlTx.of(tx).insert("INSERT INTO queue_workers (worker_id, device, host, pid, started_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?) "
                        + "ON CONFLICT (worker_id) DO UPDATE SET device = excluded.device, host = excluded.host, pid = excluded.pid, "
                        + "started_at = excluded.started_at, last_seen_at = excluded.last_seen_at, stopped_at = NULL, current_item_id = NULL",
                worker.workerId(), worker.device(), worker.host(), worker.pid(), now.toEpochMilli(), now.toEpochMilli());
    }

    @Override
    public Optional<WorkerState> worker(Tx tx, String workerId) {
        return SqlTx.of(tx).get("SELECT * FROM queue_workers WHERE worker_id = ?", workerId).map(SqlQueueClaims::state);
    }

    @Override
    public void seen(Tx tx, String workerId, Instant now) {
        SqlTx.of(tx).update("UPDATE queue_workers SET last_seen_at = ? WHERE worker_id = ?", now.toEpochMilli(), workerId);
    }

    @Override
    public void stopped(Tx tx, String workerId, Instant now) {
        SqlTx.of(tx).update("UPDATE queue_workers SET last_seen_at = ?, stopped_at = ?, current_item_id = NULL WHERE worker_id = ?",
                now.toEpochMilli(), now.toEpochMilli(), workerId);
    }

    @Override
    public List<QueueScheduler.Candidate> claimable(Tx tx, int perUser) {
        String sql = "SELECT h.item_id, h.user_id, h.priority, "
                + "(SELECT MAX(s.started_at) FROM session_queue s WHERE s.user_id = h.user_id) AS last_started "
                + "FROM (SELECT item_id, user_id, priority, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY priority DESC, item_id ASC) AS rn "
                + "FROM session_queue WHERE status = 'pending') h WHERE h.rn <= ?";
        try (Stream<DbRow> rows = SqlTx.of(tx).query(sql, perUser)) {
            return rows.map(row -> new QueueScheduler.Candidate(Columns.longOf(row, "item_id"), Columns.textOf(row, "user_id"),
                    Columns.intOf(row, "priority"), Timestamps.parse(Columns.textOf(row, "last_started")))).toList();
        }
    }

    @Override
    public boolean lockPending(Tx tx, long itemId) {
        // PostgreSQL re-reads a row changed since this statement began before locking it, so an item
        // another claimer took just now is no longer pending here; one it is taking is skipped.
        return SqlTx.of(tx).get("SELECT item_id FROM session_queue WHERE item_id = ? AND status = 'pending'"
                + SqlTx.dialectOf(tx).lockSkippingLocked(), itemId).isPresent();
    }

    @Override
    public void claim(Tx tx, long itemId, String workerId, Instant now, Instant leaseUntil) {
        DbExecute exec = SqlTx.of(tx);
        exec.insert("INSERT INTO queue_claims (item_id, worker_id, claimed_at, lease_until) VALUES (?, ?, ?, ?)",
                itemId, workerId, now.toEpochMilli(), leaseUntil.toEpochMilli());
        exec.update("UPDATE queue_workers SET current_item_id = ?, last_seen_at = ? WHERE worker_id = ?", itemId, now.toEpochMilli(), workerId);
    }

    @Override
    public boolean renew(Tx tx, long itemId, String workerId, Instant now, Instant leaseUntil) {
        DbExecute exec = SqlTx.of(tx);
        // The claim first, then the worker: the order a release and a recovery lock them in.
        boolean held = exec.update("UPDATE queue_claims SET lease_until = ? WHERE item_id = ? AND worker_id = ? "
                        + "AND EXISTS (SELECT 1 FROM session_queue q WHERE q.item_id = queue_claims.item_id AND q.status = 'in_progress')",
                leaseUntil.toEpochMilli(), itemId, workerId) > 0;
        exec.update("UPDATE queue_workers SET last_seen_at = ? WHERE worker_id = ?", now.toEpochMilli(), workerId);
        return held;
    }

    @Override
    public boolean holds(Tx tx, long itemId, String workerId) {
        return SqlTx.of(tx).get("SELECT 1 AS held FROM queue_claims c JOIN session_queue q ON q.item_id = c.item_id "
                + "WHERE c.item_id = ? AND c.worker_id = ? AND q.status = 'in_progress'", itemId, workerId).isPresent();
    }

    @Override
    public void release(Tx tx, long itemId, String workerId, QueueStatus outcome, Instant now) {
        DbExecute exec = SqlTx.of(tx);
        exec.delete("DELETE FROM queue_claims WHERE item_id = ? AND worker_id = ?", itemId, workerId);
        String counter = switch (outcome) {
            case COMPLETED -> "items_completed";
            case FAILED -> "items_failed";
            default -> "items_canceled";
        };
        exec.update("UPDATE queue_workers SET current_item_id = NULL, last_seen_at = ?, " + counter + " = " + counter + " + 1 "
                + "WHERE worker_id = ?", now.toEpochMilli(), workerId);
    }

    @Override
    public List<Claim> takeExpired(Tx tx, Instant now) {
        // One statement that re-checks the lease of a row a renewal is changing at this moment (PostgreSQL
        // waits for the renewal and reads its lease): a claim renewed in time is never taken.
        List<Claim> expired = select(tx, "DELETE FROM queue_claims WHERE lease_until < ? RETURNING *", now.toEpochMilli()).stream()
                .sorted(java.util.Comparator.comparingLong(Claim::itemId)).toList();
        DbExecute exec = SqlTx.of(tx);
        for (Claim claim : expired) {
            exec.update("UPDATE queue_workers SET current_item_id = NULL WHERE worker_id = ? AND current_item_id = ?",
                    claim.workerId(), claim.itemId());
        }
        return expired;
    }

    @Override
    public List<Claim> takeHeldBy(Tx tx, String workerId) {
        List<Claim> held = select(tx, "SELECT * FROM queue_claims WHERE worker_id = ? ORDER BY item_id", workerId);
        take(tx, held);
        return held;
    }

    private static void take(Tx tx, List<Claim> claims) {
        DbExecute exec = SqlTx.of(tx);
        for (Claim claim : claims) {
            exec.delete("DELETE FROM queue_claims WHERE item_id = ?", claim.itemId());
            exec.update("UPDATE queue_workers SET current_item_id = NULL WHERE worker_id = ? AND current_item_id = ?",
                    claim.workerId(), claim.itemId());
        }
    }

    @Override
    public List<Claim> claims(Tx tx) {
        return select(tx, "SELECT * FROM queue_claims ORDER BY item_id");
    }

    @Override
    public List<Long> unclaimedInProgress(Tx tx) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT q.item_id FROM session_queue q LEFT JOIN queue_claims c ON c.item_id = q.item_id "
                + "WHERE q.status IN ('in_progress', 'waiting') AND c.item_id IS NULL ORDER BY q.item_id")) {
            return rows.map(row -> Columns.longOf(row, "item_id")).toList();
        }
    }

    @Override
    public boolean paused(Tx tx) {
        return SqlTx.of(tx).get("SELECT paused FROM queue_control WHERE id = 1").map(row -> Columns.boolOf(row, "paused")).orElse(false);
    }

    @Override
    public void setPaused(Tx tx, boolean paused) {
        SqlTx.of(tx).update("UPDATE queue_control SET paused = ? WHERE id = 1", paused ? 1 : 0);
    }

    @Override
    public List<WorkerState> workers(Tx tx) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT * FROM queue_workers ORDER BY last_seen_at DESC, worker_id")) {
            return rows.map(SqlQueueClaims::state).toList();
        }
    }

    private static List<Claim> select(Tx tx, String sql, Object... params) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query(sql, params)) {
            return rows.map(row -> new Claim(Columns.longOf(row, "item_id"), Columns.textOf(row, "worker_id"),
                    millis(row, "claimed_at"), millis(row, "lease_until"))).toList();
        }
    }

    private static WorkerState state(DbRow row) {
        return new WorkerState(Columns.textOf(row, "worker_id"), Columns.textOf(row, "device"), Columns.textOf(row, "host"),
                Columns.longOf(row, "pid"), millis(row, "started_at"), millis(row, "last_seen_at"), millis(row, "stopped_at"),
                Columns.longOrNull(row, "current_item_id"), Columns.longOf(row, "items_completed"), Columns.longOf(row, "items_failed"),
                Columns.longOf(row, "items_canceled"));
    }

    private static Instant millis(DbRow row, String column) {
        Long value = Columns.longOrNull(row, column);
        return value == null ? null : Instant.ofEpochMilli(value);
    }
}

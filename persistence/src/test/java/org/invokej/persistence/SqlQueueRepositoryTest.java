package org.invokej.persistence;

import org.invokej.core.queue.NewQueueItem;
import org.invokej.core.queue.QueueFilter;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlQueueRepositoryTest {

    @TempDir
    Path root;

    private Database database;
    private SqlTransactions tx;
    private final SqlQueueRepository queue = new SqlQueueRepository();

    private void open(SqlDialect dialect) {
        database = TestDatabases.open(dialect, root);
        tx = new SqlTransactions(database);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private long add(String user, int priority) {
        String session = java.util.UUID.randomUUID().toString();
        return tx.write(t -> queue.insert(t, List.of(new NewQueueItem("default", "batch-" + user, session, priority, user,
                "generate", "gallery", null, Map.of("id", session, "graph", Map.of("nodes", Map.of())), null, null)))).get(0);
    }

    private boolean move(long id, QueueStatus status, String type, String message, String trace) {
        return tx.write(t -> queue.transition(t, id, status, type, message, trace));
    }

    /** Runs the queue dry the way the dispatcher does: pick, start, finish. */
    private List<Long> drain(QueueScheduler.Mode mode) throws InterruptedException {
        List<Long> order = new ArrayList<>();
        while (true) {
            var next = QueueScheduler.pick(mode, tx.read(t -> queue.pendingHeads(t, "default")));
            if (next.isEmpty()) {
                return order;
            }
            long id = next.get();
            assertTrue(move(id, QueueStatus.IN_PROGRESS, null, null, null));
            Thread.sleep(2); // started_at has millisecond resolution
            tx.write(t -> queue.transition(t, id, QueueStatus.COMPLETED, null, null, null));
            order.add(id);
        }
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void roundRobinInterleavesUsersAsInvokeAiDoes(SqlDialect dialect) throws InterruptedException {
        open(dialect);
        long a1 = add("a", 0);
        long a2 = add("a", 0);
        long b1 = add("b", 0);
        long c1 = add("c", 0);
        long c2 = add("c", 0);
        long a3 = add("a", 0);
        assertEquals(List.of(a1, b1, c1, a2, c2, a3), drain(QueueScheduler.Mode.ROUND_ROBIN));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void fifoKeepsInsertionOrderWithinPriority(SqlDialect dialect) throws InterruptedException {
        open(dialect);
        long a1 = add("a", 0);
        long b1 = add("b", 0);
        long a2 = add("a", 1);
        long b2 = add("b", 0);
        assertEquals(List.of(a2, a1, b1, b2), drain(QueueScheduler.Mode.FIFO));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void priorityOnlyOrdersAUsersOwnItemsInRoundRobin(SqlDialect dialect) throws InterruptedException {
        open(dialect);
        long a1 = add("a", 0);
        long b1 = add("b", 0);
        long b2 = add("b", 9);
        assertEquals(List.of(a1, b2, b1), drain(QueueScheduler.Mode.ROUND_ROBIN));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void statusTransitionsKeepTerminalStatesAndStampTimes(SqlDialect dialect) {
        open(dialect);
        long other = add("a", 0);
        assertTrue(move(other, QueueStatus.IN_PROGRESS, null, null, null));
        assertFalse(move(other, QueueStatus.IN_PROGRESS, null, null, null), "only a pending item can start");
        QueueItem running = tx.read(t -> queue.find(t, other)).orElseThrow();
        assertNotNull(running.startedAt());
        assertNull(running.completedAt());
        assertEquals(1, running.statusSequence());
        assertTrue(move(other, QueueStatus.FAILED, "ValueError", "bad", "trace"));
        assertFalse(move(other, QueueStatus.CANCELED, null, null, null), "terminal is final");
        QueueItem failed = tx.read(t -> queue.find(t, other)).orElseThrow();
        assertEquals(QueueStatus.FAILED, failed.status());
        assertEquals("bad", failed.errorMessage());
        assertNotNull(failed.completedAt());
        assertEquals(2, failed.statusSequence());
        assertEquals(List.of(), tx.read(queue::unfinished));
    }

    @ParameterizedTest
    @EnumSource(SqlDialect.class)
    void filtersCountsAndOwnerLabels(SqlDialect dialect) {
        open(dialect);
        add("a", 0);
        add("a", 0);
        long b = add("system", 0);
        var counts = tx.read(t -> queue.counts(t, QueueFilter.of("default", "a")));
        assertEquals(2, counts.pending());
        assertEquals(3, tx.read(t -> queue.counts(t, QueueFilter.of("default", null))).total());
        assertEquals(1, tx.read(t -> queue.select(t, QueueFilter.of("default", null).withBatches(List.of("batch-system")))).size());
        assertEquals(0, tx.read(t -> queue.select(t, QueueFilter.of("default", null).withBatches(List.of()))).size());
        QueueItem system = tx.read(t -> queue.find(t, b)).orElseThrow();
        assertEquals("System", system.userDisplayName());
        assertEquals("system@system.invokeai", system.userEmail());
        assertEquals(2, tx.read(t -> queue.select(t, QueueFilter.of("default", "a").withStatuses(Set.of(QueueStatus.PENDING)))).size());
        assertEquals(List.of(b), tx.read(t -> queue.findAll(t, "default", List.of(b, 999L))).stream().map(QueueItem::itemId).toList());
        assertEquals(List.of(), tx.read(t -> queue.findAll(t, "other-queue", List.of(b))));
    }
}

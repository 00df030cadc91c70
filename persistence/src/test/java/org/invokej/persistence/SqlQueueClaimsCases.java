package org.invokej.persistence;

import org.invokej.core.events.ServerEvent;
import org.invokej.core.queue.ItemClaimer;
import org.invokej.core.queue.LostItems;
import org.invokej.core.queue.NewQueueItem;
import org.invokej.core.queue.PublishedQueueEvents;
import org.invokej.core.queue.QueueClaims;
import org.invokej.core.queue.QueueEventPayloads;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Claims and leases, run on a real SQLite file ({@link SqlQueueClaimsTest}) and a real PostgreSQL
 * database ({@link PostgresQueueClaimsTest}): the order workers take items in, exclusive claims across
 * connection pools (as across processes), lease expiry.
 */
abstract class SqlQueueClaimsCases {

    /** The database these cases run on (JUnit 5.12 has no parameterized classes). */
    abstract SqlDialect dialect();

    private static final Duration LEASE = Duration.ofSeconds(30);

    @TempDir
    Path root;

    Database database;
    SqlTransactions tx;
    final SqlQueueRepository queue = new SqlQueueRepository();
    final SqlQueueClaims claims = new SqlQueueClaims();
    private final List<ServerEvent> events = new CopyOnWriteArrayList<>();
    final MovableClock clock = new MovableClock(Instant.parse("2026-12-05T12:00:00Z"));

    /** A clock the test moves forward, so that a lease runs out without waiting for it. */
    static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void open() {
        database = TestDatabases.open(dialect(), root);
        tx = new SqlTransactions(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    long add(String user) {
        String session = java.util.UUID.randomUUID().toString();
        return tx.write(t -> queue.insert(t, List.of(new NewQueueItem("default", "batch-" + user, session, 0, user,
                "generate", "gallery", null, Map.of("id", session, "graph", Map.of("nodes", Map.of())), null, null)))).get(0);
    }

    ItemClaimer claimer(SqlTransactions transactions, QueueScheduler.Mode mode) {
        return new ItemClaimer(transactions, queue, claims, mode, LEASE, clock);
    }

    private LostItems lost(boolean requeue) {
        return new LostItems(tx, queue, claims, new PublishedQueueEvents(tx, queue, events::add), clock, requeue);
    }

    void register(String workerId) {
        tx.write(t -> {
            claims.register(t, new QueueClaims.Worker(workerId, "cpu", "host", 1), clock.instant());
            return null;
        });
    }

    void finish(long itemId, String workerId) {
        tx.write(t -> {
            claims.release(t, itemId, workerId, QueueStatus.COMPLETED, clock.instant());
            return queue.transition(t, itemId, QueueStatus.COMPLETED, null, null, null);
        });
    }

    boolean holds(long itemId, String workerId) {
        return tx.read(t -> claims.holds(t, itemId, workerId));
    }

    boolean renew(long itemId, String workerId) {
        return tx.writeWithRowLocks(t -> claims.renew(t, itemId, workerId, clock.instant(), clock.instant().plus(LEASE)));
    }

    QueueItem item(long itemId) {
        return tx.read(t -> queue.find(t, itemId)).orElseThrow();
    }

    @Test
    void twoWorkersTakeTurnsInRoundRobinOrderAndEachItemOnce() throws InterruptedException {
        register("w1");
        register("w2");
        long a1 = add("a");
        long a2 = add("a");
        long b1 = add("b");
        long c1 = add("c");
        long c2 = add("c");
        ItemClaimer claimer = claimer(tx, QueueScheduler.Mode.ROUND_ROBIN);
        List<Long> order = new ArrayList<>();
        String[] workers = {"w1", "w2"};
        for (int turn = 0; ; turn++) {
            String worker = workers[turn % 2];
            Optional<QueueItem> claimed = claimer.claim(worker);
            if (claimed.isEmpty()) {
                break;
            }
            assertEquals(QueueStatus.IN_PROGRESS, claimed.get().status());
            assertTrue(holds(claimed.get().itemId(), worker));
            assertFalse(holds(claimed.get().itemId(), workers[(turn + 1) % 2]));
            order.add(claimed.get().itemId());
            Thread.sleep(2); // started_at has millisecond resolution
            finish(claimed.get().itemId(), worker);
        }
        assertEquals(List.of(a1, b1, c1, a2, c2), order);
        Map<String, Long> completed = new java.util.HashMap<>();
        tx.read(claims::workers).forEach(state -> completed.put(state.workerId(), state.itemsCompleted()));
        assertEquals(Map.of("w1", 3L, "w2", 2L), completed);
    }

    @Test
    void fifoModeTakesItemsInArrivalOrder() {
        long a1 = add("a");
        long a2 = add("a");
        long b1 = add("b");
        ItemClaimer claimer = claimer(tx, QueueScheduler.Mode.FIFO);
        List<Long> order = new ArrayList<>();
        for (Optional<QueueItem> next = claimer.claim("w"); next.isPresent(); next = claimer.claim("w")) {
            order.add(next.get().itemId());
        }
        assertEquals(List.of(a1, a2, b1), order);
        assertEquals(3, tx.read(claims::claims).size());
    }

    /**
     * Claimers on separate connection pools with separate write locks, as two worker processes are:
     * SQLite's own lock is all that keeps them apart; on PostgreSQL, the row locks of each claim.
     */
    @Test
    void claimersOnSeparateConnectionsNeverTakeTheSameItem() throws Exception {
        int items = 60;
        for (int i = 0; i < items; i++) {
            add("user" + (i % 3));
        }
        List<Database> others = List.of(Database.open(database.location(), Clock.systemUTC()),
                Database.open(database.location(), Clock.systemUTC()));
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int w = 0; w < 4; w++) {
                SqlTransactions own = new SqlTransactions(others.get(w % 2));
                String worker = "w" + w;
                Thread thread = new Thread(() -> {
                    try {
                        go.await();
                        ItemClaimer claimer = claimer(own, QueueScheduler.Mode.ROUND_ROBIN);
                        for (Optional<QueueItem> next = claimer.claim(worker); next.isPresent(); next = claimer.claim(worker)) {
                            claimed.add(next.get().itemId());
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                });
                thread.start();
                threads.add(thread);
            }
            go.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        } finally {
            others.forEach(Database::close);
        }
        assertEquals(List.of(), failures);
        assertEquals(items, claimed.size());
        assertEquals(items, new HashSet<>(claimed).size());
        assertEquals(items, tx.read(claims::claims).size());
    }

    @Test
    void aRenewedLeaseHoldsAndAnExpiredOneIsFailed() {
        long renewed = add("a");
        long abandoned = add("b");
        ItemClaimer claimer = claimer(tx, QueueScheduler.Mode.FIFO);
        assertEquals(renewed, claimer.claim("alive").orElseThrow().itemId());
        assertEquals(abandoned, claimer.claim("killed").orElseThrow().itemId());

        clock.advance(LEASE.minusSeconds(5));
        assertTrue(renew(renewed, "alive"));
        assertEquals(0, lost(false).recoverExpired());

        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, lost(false).recoverExpired());
        QueueItem failed = item(abandoned);
        assertEquals(QueueStatus.FAILED, failed.status());
        assertEquals("WorkerLost", failed.errorType());
        assertTrue(failed.errorMessage().contains("killed"), failed.errorMessage());
        assertEquals(QueueStatus.IN_PROGRESS, item(renewed).status());
        assertFalse(renew(abandoned, "killed"));
        assertTrue(events.stream().anyMatch(event -> event.payload() instanceof QueueEventPayloads.StatusChanged changed
                && changed.itemId() == abandoned && changed.status().equals("failed")));
        // Recovered once: a second sweeper finds nothing.
        assertEquals(0, lost(false).recoverExpired());
    }

    @Test
    void anExpiredLeaseRequeuesWhenConfiguredAndTheItemRunsAgain() {
        long itemId = add("a");
        ItemClaimer claimer = claimer(tx, QueueScheduler.Mode.FIFO);
        claimer.claim("killed").orElseThrow();
        clock.advance(LEASE.plusSeconds(1));
        assertEquals(1, lost(true).recoverExpired());
        assertEquals(QueueStatus.PENDING, item(itemId).status());
        assertEquals(itemId, claimer.claim("other").orElseThrow().itemId());
        assertTrue(holds(itemId, "other"));
    }

    @Test
    void aCanceledItemIsNoLongerHeldAndAPausedQueueGivesNothing() {
        long running = add("a");
        add("a");
        ItemClaimer claimer = claimer(tx, QueueScheduler.Mode.FIFO);
        claimer.claim("w").orElseThrow();
        tx.write(t -> queue.transition(t, running, QueueStatus.CANCELED, null, null, null));
        assertFalse(holds(running, "w"));
        assertFalse(renew(running, "w"));

        tx.write(t -> {
            claims.setPaused(t, true);
            return null;
        });
        assertEquals(Optional.empty(), claimer.claim("w"));
        tx.write(t -> {
            claims.setPaused(t, false);
            return null;
        });
        assertTrue(claimer.claim("w").isPresent());
    }

    /**
     * A worker whose item runs for several leases keeps it by renewing, while another process's
     * sweeper (on its own connection pool) keeps looking for expired leases. The session runner is the
     * engine's boundary: here it only waits.
     */
    @Test
    void aWorkerRenewsItsLeaseWhileALongItemRuns() throws Exception {
        long itemId = add("a");
        Duration lease = Duration.ofMillis(900);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        org.invokej.core.queue.SessionRunner slow = (item, listener) -> new org.invokej.core.queue.SessionRunner.Running() {
            @Override
            public org.invokej.core.queue.SessionRunner.Outcome await() throws InterruptedException {
                release.await();
                return org.invokej.core.queue.SessionRunner.Outcome.completed(item.session());
            }

            @Override
            public void cancel() {
                release.countDown();
            }
        };
        org.invokej.core.queue.QueueEvents queueEvents = new PublishedQueueEvents(tx, queue, events::add);
        org.invokej.core.queue.QueueOwners owners = new org.invokej.core.queue.QueueOwners(tx, new SqlUserRepository(), false);
        Clock system = Clock.systemUTC();
        org.invokej.core.queue.QueueWorker worker = new org.invokej.core.queue.QueueWorker(tx, queue, claims, owners, slow, queueEvents,
                new LostItems(tx, queue, claims, queueEvents, system, false),
                new org.invokej.core.queue.QueueWorker.Settings(QueueScheduler.Mode.FIFO, false, lease, Duration.ofMillis(50)),
                new QueueClaims.Worker("w", "cpu", "host", 1), system).start();
        Database other = Database.open(database.location(), Clock.systemUTC());
        try {
            SqlTransactions otherTx = new SqlTransactions(other);
            LostItems sweeper = new LostItems(otherTx, queue, claims, new PublishedQueueEvents(otherTx, queue, events::add), system, false);
            while (worker.currentItemId().isEmpty()) {
                Thread.sleep(10);
            }
            // Four leases long: without renewals the sweeper would take it.
            for (int i = 0; i < 36; i++) {
                Thread.sleep(100);
                assertEquals(0, sweeper.recoverExpired());
            }
            assertTrue(holds(itemId, "w"));
            release.countDown();
            while (item(itemId).status() == QueueStatus.IN_PROGRESS) {
                Thread.sleep(10);
            }
            assertEquals(QueueStatus.COMPLETED, item(itemId).status());
        } finally {
            worker.close();
            other.close();
        }
    }

    @Test
    void aRestartedServerRecoversItsOwnWorkersItemsAndUnclaimedOnes() {
        long own = add("a");
        long other = add("b");
        long unclaimed = add("c");
        ItemClaimer claimer = claimer(tx, QueueScheduler.Mode.FIFO);
        claimer.claim("host/web");
        claimer.claim("host/cuda:0/42");
        tx.write(t -> queue.transition(t, unclaimed, QueueStatus.IN_PROGRESS, null, null, null));

        assertEquals(2, lost(false).recoverUnclaimed("host/web"));
        assertEquals(QueueStatus.FAILED, item(own).status());
        assertEquals(QueueStatus.FAILED, item(unclaimed).status());
        assertEquals("ServerRestarted", item(unclaimed).errorType());
        assertEquals(QueueStatus.IN_PROGRESS, item(other).status());
        assertTrue(holds(other, "host/cuda:0/42"));
        Set<Long> held = new HashSet<>();
        tx.read(claims::claims).forEach(claim -> held.add(claim.itemId()));
        assertEquals(Set.of(other), held);
    }
}

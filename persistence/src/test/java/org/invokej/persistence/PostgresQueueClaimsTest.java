package org.invokej.persistence;

import org.invokej.core.queue.ItemClaimer;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueScheduler;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The claim and lease cases on a real PostgreSQL database, and what only a server database does: a claim
 * neither waits for the other writes (the advisory write-order lock) nor for another claimer, whose item
 * it skips, taking the next one in the queue's order instead.
 */
class PostgresQueueClaimsTest extends SqlQueueClaimsCases {

    /** Threads of their own: the common pool has a single thread on two cores, which a held transaction would take. */
    private static final java.util.concurrent.Executor THREADS = runnable -> Thread.ofVirtual().start(runnable);

    @Override
    SqlDialect dialect() {
        return SqlDialect.POSTGRESQL;
    }

    /**
     * Runs {@code work} on another thread while this one holds a transaction open; a claim that waited for
     * that transaction would never return, so a generous bound turns that hang into a failure.
     */
    private static <T> T whileHeld(Supplier<T> work) throws InterruptedException, ExecutionException {
        try {
            return CompletableFuture.supplyAsync(work, THREADS).get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return fail("it waited for the open transaction instead of going past it");
        }
    }

    @Test
    void aClaimSkipsTheItemAnotherClaimerIsTakingAndTakesTheNextInTurn() throws Exception {
        long a1 = add("a");
        long a2 = add("a");
        long b1 = add("b");
        Database other = Database.open(database.location(), Clock.systemUTC());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            // Another worker's claim transaction, stopped right after it locked a's first item.
            SqlTransactions otherTx = new SqlTransactions(other);
            CompletableFuture<Boolean> taking = CompletableFuture.supplyAsync(() -> otherTx.writeWithRowLocks(t -> {
                boolean locked = claims.lockPending(t, a1);
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return locked;
            }), THREADS);
            held.await();
            ItemClaimer claimer = claimer(tx, QueueScheduler.Mode.ROUND_ROBIN);
            // b's turn comes next (a is being served), then a's second item; a1 itself is not waited for.
            assertEquals(b1, whileHeld(() -> claimer.claim("w2").orElseThrow().itemId()));
            assertEquals(a2, whileHeld(() -> claimer.claim("w3").orElseThrow().itemId()));
            assertEquals(Optional.empty(), whileHeld(() -> claimer.claim("w4")));
            release.countDown();
            assertTrue(taking.get());
            // The other transaction ended without claiming it: a1 is free again.
            assertEquals(a1, claimer.claim("w4").orElseThrow().itemId());
        } finally {
            release.countDown();
            other.close();
        }
    }

    @Test
    void claimsAndRenewalsGoPastAWriteHoldingTheWriteOrderLock() throws Exception {
        long first = add("a");
        long second = add("b");
        ItemClaimer claimer = claimer(tx, QueueScheduler.Mode.FIFO);
        assertEquals(first, claimer.claim("w1").orElseThrow().itemId());
        Database other = Database.open(database.location(), Clock.systemUTC());
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            // An ordinary write of another process (an enqueue, a cancel of something else) still open.
            SqlTransactions otherTx = new SqlTransactions(other);
            CompletableFuture<Object> writing = CompletableFuture.supplyAsync(() -> otherTx.write(t -> {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }), THREADS);
            held.await();
            assertTrue(whileHeld(() -> renew(first, "w1")));
            assertEquals(second, whileHeld(() -> claimer.claim("w2").orElseThrow().itemId()));
            release.countDown();
            writing.get();
        } finally {
            release.countDown();
            other.close();
        }
    }

    /** Eight claimers on four connection pools drain a queue of three users: every item once, nothing left. */
    @Test
    void manyClaimersAtOnceTakeDisjointItems() throws Exception {
        int items = 120;
        for (int i = 0; i < items; i++) {
            add("user" + (i % 3));
        }
        List<Database> pools = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pools.add(Database.open(database.location(), Clock.systemUTC()));
        }
        List<Long> claimed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> claimers = new ArrayList<>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < 8; w++) {
                ItemClaimer claimer = claimer(new SqlTransactions(pools.get(w % 4)), QueueScheduler.Mode.ROUND_ROBIN);
                String worker = "w" + w;
                claimers.add(CompletableFuture.runAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    // A claimer can find every candidate taken by others for a moment: it stops only when nothing is pending.
                    while (tx.read(t -> !queue.pendingHeads(t, null).isEmpty())) {
                        claimer.claim(worker).map(QueueItem::itemId).ifPresent(claimed::add);
                    }
                }, threads));
            }
            go.countDown();
            CompletableFuture.allOf(claimers.toArray(CompletableFuture[]::new)).get();
        } finally {
            pools.forEach(Database::close);
        }
        assertEquals(items, claimed.size());
        assertEquals(items, new HashSet<>(claimed).size());
        assertEquals(items, tx.read(claims::claims).size());
    }
}

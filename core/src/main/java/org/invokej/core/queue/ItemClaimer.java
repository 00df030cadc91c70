package org.invokej.core.queue;

import org.invokej.core.store.Transactions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Claims the next item for a worker: in the queue's order (FIFO, or round-robin per user in
 * multi-user mode), in one write transaction with the item's move to in progress, under a lease. A
 * paused queue gives nothing.
 */
public final class ItemClaimer {

    private final Transactions transactions;
    private final QueueRepository queue;
    private final QueueClaims claims;
    private final QueueScheduler.Mode mode;
    private final Duration lease;
    private final Clock clock;

    public ItemClaimer(Transactions transactions, QueueRepository queue, QueueClaims claims, QueueScheduler.Mode mode, Duration lease,
                       Clock clock) {
        this.transactions = transactions;
        this.queue = queue;
        this.claims = claims;
        this.mode = mode;
        this.lease = lease;
        this.clock = clock;
    }

    /** The claimed item, now in progress and held by {@code workerId}; empty when paused or nothing waits. */
    public Optional<QueueItem> claim(String workerId) {
        // A read first keeps an idle worker from taking the write lock at every poll.
        boolean work = transactions.read(tx -> !claims.paused(tx) && !queue.pendingHeads(tx, null).isEmpty());
        if (!work) {
            return Optional.empty();
        }
        return transactions.write(tx -> {
            if (claims.paused(tx)) {
                return Optional.empty();
            }
            Optional<Long> next = QueueScheduler.pick(mode, claims.claimableHeads(tx));
            if (next.isEmpty() || !queue.transition(tx, next.get(), QueueStatus.IN_PROGRESS, null, null, null)) {
                return Optional.empty();
            }
            Instant now = clock.instant();
            claims.claim(tx, next.get(), workerId, now, now.plus(lease));
            return queue.find(tx, next.get());
        });
    }
}

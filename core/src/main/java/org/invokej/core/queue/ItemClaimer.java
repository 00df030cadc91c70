package org.invokej.core.queue;

import org.invokej.core.store.Transactions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Claims the next item for a worker: in the queue's order (FIFO, or round-robin per user in
 * multi-user mode), in one transaction with the item's move to in progress, under a lease. A paused
 * queue gives nothing.
 *
 * <p>The transaction is {@link Transactions#writeWithRowLocks}: workers on several hosts claim side by
 * side. Each tries the candidates in the queue's order and takes the first it can lock; an item
 * another worker is claiming at that moment is skipped, not waited for, so concurrent claimers take
 * disjoint items and the next ones in turn.
 */
public final class ItemClaimer {

    /**
     * How many of each user's items a claim considers: as many workers as that can claim one user's
     * items at the same moment (one user alone, or FIFO) without one of them finding nothing.
     */
    static final int CANDIDATES_PER_USER = 8;

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
        return transactions.writeWithRowLocks(tx -> {
            if (claims.paused(tx)) {
                return Optional.empty();
            }
            for (long itemId : QueueScheduler.order(mode, claims.claimable(tx, CANDIDATES_PER_USER))) {
                if (claims.lockPending(tx, itemId) && queue.transition(tx, itemId, QueueStatus.IN_PROGRESS, null, null, null)) {
                    Instant now = clock.instant();
                    claims.claim(tx, itemId, workerId, now, now.plus(lease));
                    return queue.find(tx, itemId);
                }
            }
            return Optional.empty();
        });
    }
}

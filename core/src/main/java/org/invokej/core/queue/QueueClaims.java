package org.invokej.core.queue;

import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which worker runs which queue item, under a lease it renews (the {@code queue_claims},
 * {@code queue_workers} and {@code queue_control} tables). The order stays the queue's
 * ({@link QueueScheduler} over {@link #claimable}); a claim is made inside one write transaction
 * together with the item's move to {@code in_progress}, so two workers never claim the same item: on
 * SQLite because write transactions run one at a time (across processes too, through the database's
 * lock), on a server database because {@link #lockPending} locks the item's row and skips rows other
 * claimers hold ({@code FOR UPDATE SKIP LOCKED}). Claims and renewals run as
 * {@link org.invokej.core.store.Transactions#writeWithRowLocks}: they rely on those row locks, not on
 * the one-at-a-time order of other writes.
 */
public interface QueueClaims {

    /** A worker as it introduces itself. */
    record Worker(String workerId, String device, String host, long pid) {
    }

    /** A held claim. */
    record Claim(long itemId, String workerId, Instant claimedAt, Instant leaseUntil) {
    }

    /** A worker as health shows it: what it runs now and how many items it finished, by outcome. */
    record WorkerState(String workerId, String device, String host, long pid, Instant startedAt, Instant lastSeenAt,
                       Instant stoppedAt, Long currentItemId, long itemsCompleted, long itemsFailed, long itemsCanceled) {

        public boolean running() {
            return stoppedAt == null;
        }
    }

    /** Records a starting worker (again, for a worker id seen before). */
    void register(Tx tx, Worker worker, Instant now);

    /** The worker with this id, if it ever started. */
    Optional<WorkerState> worker(Tx tx, String workerId);

    /** An idle worker's heartbeat. */
    void seen(Tx tx, String workerId, Instant now);

    /** A worker stopped cleanly. */
    void stopped(Tx tx, String workerId, Instant now);

    /**
     * Up to {@code perUser} best pending items of each user (priority, then oldest), each with when its
     * user was last served, as {@link QueueRepository#pendingHeads} gives the first: what a claimer
     * chooses from ({@link QueueScheduler#order}). A plain read: another claimer may be taking some.
     */
    List<QueueScheduler.Candidate> claimable(Tx tx, int perUser);

    /**
     * Takes the pending item for this transaction's claim: true when it is still pending and now locked
     * by this transaction until it ends; false when it is no longer pending or another claimer's
     * transaction holds it, without waiting for that one (the claimer tries its next candidate). On a
     * database whose writes run one at a time (SQLite) nobody else can hold it.
     */
    boolean lockPending(Tx tx, long itemId);

    /** Records that {@code workerId} runs {@code itemId} (already moved to {@code in_progress}) until {@code leaseUntil}. */
    void claim(Tx tx, long itemId, String workerId, Instant now, Instant leaseUntil);

    /** Extends the lease; false when the worker no longer holds the item (canceled, deleted or recovered). */
    boolean renew(Tx tx, long itemId, String workerId, Instant now, Instant leaseUntil);

    /** Whether {@code workerId} still holds {@code itemId} and the item is still in progress. */
    boolean holds(Tx tx, long itemId, String workerId);

    /** Ends the worker's claim on the item (if it still has it) and counts how the item ended. */
    void release(Tx tx, long itemId, String workerId, QueueStatus outcome, Instant now);

    /** Removes claims whose lease ended before {@code now}, returning them (each once, whoever asks). */
    List<Claim> takeExpired(Tx tx, Instant now);

    /** Removes the claims a worker holds (its previous run is over), returning them. */
    List<Claim> takeHeldBy(Tx tx, String workerId);

    /** Every held claim. */
    List<Claim> claims(Tx tx);

    /** Ids of items in progress that no worker claims (left by a server that stopped before workers existed, or crashed). */
    List<Long> unclaimedInProgress(Tx tx);

    boolean paused(Tx tx);

    void setPaused(Tx tx, boolean paused);

    /** Every worker that ever started, most recently seen first. */
    List<WorkerState> workers(Tx tx);
}

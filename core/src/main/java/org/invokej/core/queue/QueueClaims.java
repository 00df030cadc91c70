package org.invokej.core.queue;

import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Which worker runs which queue item, under a lease it renews (the {@code queue_claims},
 * {@code queue_workers} and {@code queue_control} tables). The order stays the queue's
 * ({@link QueueScheduler} over {@link #claimableHeads}); a claim is made inside one write transaction
 * together with the item's move to {@code in_progress}, so two workers never claim the same item: on
 * SQLite because write transactions run one at a time (across processes too, through the database's
 * lock), on a server database because {@link #claimableHeads} locks the rows it returns and skips rows
 * other transactions hold ({@code FOR UPDATE SKIP LOCKED}).
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
     * Each user's best pending item and when that user was last served, as
     * {@link QueueRepository#pendingHeads}, for a worker about to claim one. A server database locks
     * the rows and skips those another worker's transaction holds.
     */
    List<QueueScheduler.Candidate> claimableHeads(Tx tx);

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

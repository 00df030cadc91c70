package org.invokej.core.queue;

import org.invokej.core.store.Transactions;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * Items whose worker is gone: its lease ran out (the process was killed, the host lost), or it was this
 * server's own worker before a restart. Each is failed with a message, or queued again when
 * {@code requeue} is set ({@code requeue_interrupted_items}). Failing is the default because an item
 * that kills its worker (a model too large for the memory, a driver crash) would, queued again, kill
 * the next worker too, and the one after; an administrator who knows the workers die for other reasons
 * turns requeueing on.
 */
public final class LostItems {

    private static final Logger LOG = Logger.getLogger(LostItems.class.getName());

    private final Transactions transactions;
    private final QueueRepository queue;
    private final QueueClaims claims;
    private final QueueEvents events;
    private final Clock clock;
    private final boolean requeue;

    public LostItems(Transactions transactions, QueueRepository queue, QueueClaims claims, QueueEvents events, Clock clock,
                     boolean requeue) {
        this.transactions = transactions;
        this.queue = queue;
        this.claims = claims;
        this.events = events;
        this.clock = clock;
        this.requeue = requeue;
    }

    /** Recovers the items whose lease has run out; returns how many. */
    public int recoverExpired() {
        // Every idle worker asks a few times a second: a read keeps them from taking the write order for nothing.
        boolean anyExpired = transactions.read(tx -> claims.claims(tx).stream().anyMatch(claim -> claim.leaseUntil().isBefore(clock.instant())));
        if (!anyExpired) {
            return 0;
        }
        List<QueueItem> recovered = transactions.write(tx -> {
            List<QueueItem> changed = new ArrayList<>();
            for (QueueClaims.Claim claim : claims.takeExpired(tx, clock.instant())) {
                recover(tx, claim.itemId(), "WorkerLost", "The worker " + claim.workerId()
                        + " running this item stopped answering (its lease ran out), so the item did not finish.")
                        .ifPresent(changed::add);
            }
            return changed;
        });
        report(recovered, "their worker stopped answering");
        return recovered.size();
    }

    /**
     * Items in progress that no worker claims (a server that stopped while running them, a worker that
     * gave its item back), and, at a web server's start, those its own worker held before the restart.
     */
    public int recoverUnclaimed(String ownWorkerId) {
        List<QueueItem> recovered = transactions.write(tx -> {
            List<Long> ids = new ArrayList<>(claims.unclaimedInProgress(tx));
            if (ownWorkerId != null) {
                claims.takeHeldBy(tx, ownWorkerId).forEach(claim -> ids.add(claim.itemId()));
            }
            List<QueueItem> changed = new ArrayList<>();
            for (long itemId : ids) {
                recover(tx, itemId, "ServerRestarted",
                        "The server stopped while this item was running, so it did not finish.").ifPresent(changed::add);
            }
            return changed;
        });
        report(recovered, "they were running when the server last stopped");
        return recovered.size();
    }

    private Optional<QueueItem> recover(org.invokej.core.store.Tx tx, long itemId, String errorType, String message) {
        boolean changed = requeue
                ? queue.transition(tx, itemId, QueueStatus.PENDING, null, null, null)
                : queue.transition(tx, itemId, QueueStatus.FAILED, errorType, message + " Retry it to run it again.", null);
        return changed ? queue.find(tx, itemId) : Optional.empty();
    }

    private void report(List<QueueItem> recovered, String why) {
        if (recovered.isEmpty()) {
            return;
        }
        LOG.warning(recovered.size() + " queue item(s) were " + (requeue ? "queued again" : "marked failed") + ": " + why);
        recovered.forEach(events::statusChanged);
    }
}

package org.invokej.core.queue;

import org.invokej.core.store.Transactions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A generation worker: one thread that claims the next item (FIFO or round-robin, as the queue's order
 * says) under a lease, runs it with the {@link SessionRunner}, renews the lease while it runs, and
 * records how it ended. The same class runs inside the web server and as {@code invokej worker} in a
 * process of its own; several share one queue through {@link QueueClaims}.
 *
 * <p>Between items it also recovers items whose lease ran out (their worker died). A paused queue
 * holds it before its next claim. An item canceled by someone else (its row is no longer in progress,
 * or its claim is gone) is stopped at its next step: the worker checks its claim at each step's report.
 */
public final class QueueWorker implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QueueWorker.class.getName());

    /**
     * How the worker runs.
     *
     * @param lease        how long a claim holds without renewal; renewed every third of it
     * @param pollInterval how often an idle worker looks for work when nobody wakes it
     */
    public record Settings(QueueScheduler.Mode mode, boolean multiuser, Duration lease, Duration pollInterval) {
    }

    private final Transactions transactions;
    private final QueueRepository queue;
    private final QueueClaims claims;
    private final QueueOwners owners;
    private final SessionRunner runner;
    private final QueueEvents events;
    private final LostItems lost;
    private final Settings settings;
    private final QueueClaims.Worker identity;
    private final Clock clock;
    private final ItemClaimer claimer;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private final ScheduledExecutorService renewals;
    private volatile boolean running = true;
    private volatile boolean draining;
    private volatile Current current;

    private record Current(long itemId, SessionRunner.Running session) {
    }

    public QueueWorker(Transactions transactions, QueueRepository queue, QueueClaims claims, QueueOwners owners, SessionRunner runner,
                       QueueEvents events, LostItems lost, Settings settings, QueueClaims.Worker identity, Clock clock) {
        this.transactions = transactions;
        this.queue = queue;
        this.claims = claims;
        this.owners = owners;
        this.runner = runner;
        this.events = events;
        this.lost = lost;
        this.settings = settings;
        this.identity = identity;
        this.clock = clock;
        this.claimer = new ItemClaimer(transactions, queue, claims, mode(), settings.lease(), clock);
        this.thread = new Thread(this::loop, "queue-worker-" + identity.workerId());
        this.thread.setDaemon(true);
        this.renewals = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread renewer = new Thread(runnable, "queue-lease-" + identity.workerId());
            renewer.setDaemon(true);
            return renewer;
        });
    }

    public QueueClaims.Worker identity() {
        return identity;
    }

    /** Records the worker and starts taking items. */
    public QueueWorker start() {
        transactions.write(tx -> {
            claims.register(tx, identity, clock.instant());
            return null;
        });
        thread.start();
        return this;
    }

    /** Looks for work now (after an enqueue, a resume). */
    public void wake() {
        wake.release();
    }

    /** Whether an item is running here now. */
    public boolean isProcessing() {
        return current != null;
    }

    /** The id of the item running here, if any. */
    public Optional<Long> currentItemId() {
        Current now = current;
        return now == null ? Optional.empty() : Optional.of(now.itemId());
    }

    /** Stops the item running here if it is {@code itemId}; true if it was. */
    public boolean cancelIfRunning(long itemId) {
        Current now = current;
        if (now != null && now.itemId() == itemId) {
            now.session().cancel();
            return true;
        }
        return false;
    }

    private QueueScheduler.Mode mode() {
        return settings.multiuser() ? settings.mode() : QueueScheduler.Mode.FIFO;
    }

    private void loop() {
        Instant lastSeen = clock.instant();
        while (running && !draining) {
            try {
                wake.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                lost.recoverExpired();
                while (running && !draining) {
                    Optional<QueueItem> claimed = claimer.claim(identity.workerId());
                    if (claimed.isEmpty()) {
                        break;
                    }
                    runOne(claimed.get());
                    lastSeen = clock.instant();
                }
                if (Duration.between(lastSeen, clock.instant()).compareTo(settings.lease().dividedBy(3)) >= 0) {
                    lastSeen = clock.instant();
                    Instant seen = lastSeen;
                    transactions.write(tx -> {
                        claims.seen(tx, identity.workerId(), seen);
                        return null;
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "The queue worker " + identity.workerId() + " hit an error; it carries on", e);
            }
        }
    }

    private void runOne(QueueItem item) throws InterruptedException {
        events.statusChanged(item);
        if (!owners.mayRun(item.userId())) {
            finish(item, SessionRunner.Outcome.canceled(null));
            return;
        }
        SessionRunner.Running session = runner.start(item, listener(item));
        current = new Current(item.itemId(), session);
        long period = Math.max(1, settings.lease().toMillis() / 3);
        var renewal = renewals.scheduleAtFixedRate(() -> renew(item.itemId()), period, period, TimeUnit.MILLISECONDS);
        SessionRunner.Outcome outcome;
        try {
            outcome = session.await();
        } finally {
            renewal.cancel(false);
            current = null;
        }
        if (!running && !draining) {
            // Closed without draining (the server stops): the claim is released and the item recovered as interrupted.
            release(item, outcome);
            return;
        }
        finish(item, outcome);
    }

    private void renew(long itemId) {
        try {
            Instant now = clock.instant();
            // Beside other writes, not behind them: a renewal that queued behind a busy database's writes
            // could arrive after its lease ran out.
            boolean held = transactions.writeWithRowLocks(tx -> claims.renew(tx, itemId, identity.workerId(), now, now.plus(settings.lease())));
            if (!held) {
                stopIfCurrent(itemId);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not renew the lease of item " + itemId + "; trying again", e);
        }
    }

    /** Stops the item if someone else ended it: canceled, deleted or recovered as lost. */
    private void checkStillHeld(long itemId) {
        if (!transactions.read(tx -> claims.holds(tx, itemId, identity.workerId()))) {
            stopIfCurrent(itemId);
        }
    }

    private void stopIfCurrent(long itemId) {
        Current now = current;
        if (now != null && now.itemId() == itemId) {
            now.session().cancel();
        }
    }

    private void finish(QueueItem item, SessionRunner.Outcome outcome) {
        Optional<QueueItem> done = transactions.write(tx -> {
            boolean held = claims.holds(tx, item.itemId(), identity.workerId());
            claims.release(tx, item.itemId(), identity.workerId(), outcome.status(), clock.instant());
            if (!held) {
                // Someone else ended it (a cancel from the web node, a recovery): their status stands.
                return Optional.<QueueItem>empty();
            }
            if (outcome.session() != null) {
                queue.updateSession(tx, item.itemId(), outcome.session());
            }
            queue.transition(tx, item.itemId(), outcome.status(), outcome.errorType(), outcome.errorMessage(), outcome.errorTraceback());
            return queue.find(tx, item.itemId());
        });
        done.ifPresent(events::statusChanged);
        if (done.isPresent() && outcome.status() == QueueStatus.FAILED && outcome.failedInvocation() != null) {
            events.invocationError(done.get(), outcome.failedInvocation(), outcome.errorType(), outcome.errorMessage(),
                    outcome.errorTraceback());
        }
    }

    /** Gives the item back as interrupted, now rather than when the lease runs out. */
    private void release(QueueItem item, SessionRunner.Outcome outcome) {
        transactions.write(tx -> {
            claims.release(tx, item.itemId(), identity.workerId(), QueueStatus.CANCELED, clock.instant());
            return null;
        });
        lost.recoverUnclaimed(null);
    }

    private SessionRunner.SessionListener listener(QueueItem item) {
        return new SessionRunner.SessionListener() {
            @Override
            public void started(SessionRunner.Node invocation) {
                // The owner is checked again before every node, as InvokeAI does: a deactivation or
                // deletion from another process stops the item at its next node at the latest.
                if (!owners.mayRun(item.userId())) {
                    stopIfCurrent(item.itemId());
                }
                checkStillHeld(item.itemId());
                events.invocationStarted(item, invocation);
            }

            @Override
            public void progress(SessionRunner.Node invocation, String message, Double percentage, SessionRunner.ProgressImage image) {
                checkStillHeld(item.itemId());
                events.invocationProgress(item, invocation, message, percentage, image);
            }

            @Override
            public void completed(SessionRunner.Node invocation, SessionRunner.Result result) {
                events.invocationComplete(item, invocation, result);
            }

            @Override
            public void modelLoad(SessionRunner.LoadedModel model, boolean complete) {
                events.modelLoad(item, model, complete);
            }
        };
    }

    /**
     * Stops claiming and lets the running item finish (SIGTERM to a worker process), waiting up to
     * {@code grace}; an item still running then is stopped and given back.
     */
    public void drain(Duration grace) {
        draining = true;
        wake();
        try {
            thread.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Stops taking items, stops the running one (given back: failed or queued again as interrupted) and waits for the thread. */
    @Override
    public void close() {
        draining = false;
        running = false;
        Current now = current;
        if (now != null) {
            now.session().cancel();
        }
        wake();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        renewals.shutdownNow();
        transactions.write(tx -> {
            claims.stopped(tx, identity.workerId(), clock.instant());
            return null;
        });
    }
}

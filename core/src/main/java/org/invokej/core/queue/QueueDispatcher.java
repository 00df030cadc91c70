package org.invokej.core.queue;

import org.invokej.core.store.Transactions;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one thread that runs the queue: it takes the next pending item (FIFO or round-robin), marks it in
 * progress, checks that its owner may still run things, runs its session and records how it ended,
 * reporting every step as events. Items of an owner who was deactivated or deleted are canceled rather
 * than run.
 */
public final class QueueDispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QueueDispatcher.class.getName());

    /** How the dispatcher runs. */
    public record Settings(QueueScheduler.Mode mode, boolean multiuser, boolean requeueInterrupted) {
    }

    private final Transactions transactions;
    private final QueueRepository queue;
    private final QueueOwners owners;
    private final SessionRunner runner;
    private final QueueEvents events;
    private final Settings settings;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean paused;
    private volatile Current current;

    private record Current(long itemId, SessionRunner.Running session) {
    }

    public QueueDispatcher(Transactions transactions, QueueRepository queue, QueueOwners owners, SessionRunner runner,
                           QueueEvents events, Settings settings) {
        this.transactions = transactions;
        this.queue = queue;
        this.owners = owners;
        this.runner = runner;
        this.events = events;
        this.settings = settings;
        this.thread = new Thread(this::loop, "queue-dispatcher");
        this.thread.setDaemon(true);
    }

    /**
     * Deals with items the last run of the server left in progress (failed with a message, or back to
     * pending if so configured), then starts taking items.
     */
    public QueueDispatcher start() {
        List<Long> interrupted = transactions.read(queue::unfinished);
        for (long itemId : interrupted) {
            transactions.write(tx -> {
                if (settings.requeueInterrupted()) {
                    return requeue(tx, itemId);
                }
                return queue.transition(tx, itemId, QueueStatus.FAILED, "ServerRestarted",
                        "The server stopped while this item was running, so it did not finish. Retry it to run it again.", null);
            });
        }
        if (!interrupted.isEmpty()) {
            LOG.warning(interrupted.size() + " queue item(s) were running when the server last stopped; they were "
                    + (settings.requeueInterrupted() ? "queued again" : "marked failed"));
        }
        thread.start();
        return this;
    }

    private boolean requeue(org.invokej.core.store.Tx tx, long itemId) {
        return queue.transition(tx, itemId, QueueStatus.PENDING, null, null, null);
    }

    /** Looks for work now (after an enqueue, a resume, a cancel). */
    public void wake() {
        wake.release();
    }

    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
        wake();
    }

    /** Whether the dispatcher takes items (not paused). */
    public boolean isStarted() {
        return !paused;
    }

    /** Whether an item is running now. */
    public boolean isProcessing() {
        return current != null;
    }

    /** The id of the running item, if any. */
    public Optional<Long> currentItemId() {
        Current now = current;
        return now == null ? Optional.empty() : Optional.of(now.itemId());
    }

    /** Stops the running item if it is {@code itemId}; true if it was running. */
    public boolean cancelIfRunning(long itemId) {
        Current now = current;
        if (now != null && now.itemId() == itemId) {
            now.session().cancel();
            return true;
        }
        return false;
    }

    /** The item that would run next. */
    public Optional<Long> next() {
        return QueueScheduler.pick(mode(), transactions.read(tx -> queue.pendingHeads(tx, null)));
    }

    private QueueScheduler.Mode mode() {
        return settings.multiuser() ? settings.mode() : QueueScheduler.Mode.FIFO;
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(1, TimeUnit.SECONDS);
                wake.drainPermits();
                while (running && !paused) {
                    Optional<Long> next = next();
                    if (next.isEmpty()) {
                        break;
                    }
                    runOne(next.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "The queue dispatcher hit an error; it carries on", e);
            }
        }
    }

    private void runOne(long itemId) throws InterruptedException {
        Optional<QueueItem> claimed = transactions.write(tx -> queue.transition(tx, itemId, QueueStatus.IN_PROGRESS, null, null, null)
                ? queue.find(tx, itemId) : Optional.empty());
        if (claimed.isEmpty()) {
            return;
        }
        QueueItem item = claimed.get();
        events.statusChanged(item);
        if (!ownerMayRun(item)) {
            finish(item, SessionRunner.Outcome.canceled(null));
            return;
        }
        SessionRunner.Running session = runner.start(item, listener(item));
        current = new Current(itemId, session);
        SessionRunner.Outcome outcome;
        try {
            outcome = session.await();
        } finally {
            current = null;
        }
        if (!running) {
            // Shutting down: the item stays in progress, and the next start deals with it as interrupted.
            return;
        }
        finish(item, outcome);
    }

    private void finish(QueueItem item, SessionRunner.Outcome outcome) {
        Optional<QueueItem> done = transactions.write(tx -> {
            if (outcome.session() != null) {
                queue.updateSession(tx, item.itemId(), outcome.session());
            }
            queue.transition(tx, item.itemId(), outcome.status(), outcome.errorType(), outcome.errorMessage(), outcome.errorTraceback());
            return queue.find(tx, item.itemId());
        });
        done.ifPresent(events::statusChanged);
        if (outcome.status() == QueueStatus.FAILED && outcome.failedInvocation() != null) {
            events.invocationError(done.orElse(item), outcome.failedInvocation(), outcome.errorType(), outcome.errorMessage(),
                    outcome.errorTraceback());
        }
    }

    private boolean ownerMayRun(QueueItem item) {
        return owners.mayRun(item.userId());
    }

    private SessionRunner.SessionListener listener(QueueItem item) {
        return new SessionRunner.SessionListener() {
            @Override
            public void started(SessionRunner.Node invocation) {
                // The owner is checked again before every node, as InvokeAI does: a deactivation or
                // deletion from another process stops the item at its next node at the latest.
                if (!ownerMayRun(item)) {
                    Current now = current;
                    if (now != null && now.itemId() == item.itemId()) {
                        now.session().cancel();
                    }
                }
                events.invocationStarted(item, invocation);
            }

            @Override
            public void progress(SessionRunner.Node invocation, String message, Double percentage, SessionRunner.ProgressImage image) {
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

    /** Stops taking items, cancels the running one and waits for the thread to end. */
    @Override
    public void close() {
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
    }
}

package org.invokej.core.queue;

import org.invokej.core.store.Transactions;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The queue's processor as a web server sees it: the shared pause switch (it holds every worker), the
 * generation worker of this process if it runs one ({@code workers_in_process}), the recovery of items
 * whose worker is gone, and the workers' states for health. The work itself is the workers'
 * ({@link QueueWorker}): this process's, and those of {@code invokej worker} processes.
 */
public final class QueueDispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(QueueDispatcher.class.getName());

    /**
     * How the web server treats the queue.
     *
     * @param sweepInterval how often expired leases are looked for, also when this server runs no worker
     */
    public record Settings(QueueScheduler.Mode mode, boolean multiuser, Duration sweepInterval) {
    }

    private final Transactions transactions;
    private final QueueRepository queue;
    private final QueueClaims claims;
    private final LostItems lost;
    private final Optional<QueueWorker> worker;
    private final Settings settings;
    private final Semaphore stop = new Semaphore(0);
    private final Thread sweeper;
    private volatile boolean running = true;

    public QueueDispatcher(Transactions transactions, QueueRepository queue, QueueClaims claims, LostItems lost,
                           Optional<QueueWorker> worker, Settings settings) {
        this.transactions = transactions;
        this.queue = queue;
        this.claims = claims;
        this.lost = lost;
        this.worker = worker;
        this.settings = settings;
        this.sweeper = new Thread(this::sweep, "queue-lease-sweeper");
        this.sweeper.setDaemon(true);
    }

    /**
     * Deals with items the last run of this server left in progress (failed with a message, or back to
     * pending if so configured), then starts its worker, if any, and the lease sweeper.
     */
    public QueueDispatcher start() {
        lost.recoverUnclaimed(worker.map(w -> w.identity().workerId()).orElse(null));
        worker.ifPresent(QueueWorker::start);
        sweeper.start();
        return this;
    }

    private void sweep() {
        while (running) {
            try {
                if (stop.tryAcquire(settings.sweepInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
                lost.recoverExpired();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Looking for items of lost workers failed; trying again", e);
            }
        }
    }

    /** Tells this process's worker to look for work now (after an enqueue, a resume, a retry). */
    public void wake() {
        worker.ifPresent(QueueWorker::wake);
    }

    /** Holds every worker before its next item (the running ones finish). */
    public void pause() {
        transactions.write(tx -> {
            claims.setPaused(tx, true);
            return null;
        });
    }

    public void resume() {
        transactions.write(tx -> {
            claims.setPaused(tx, false);
            return null;
        });
        wake();
    }

    /** Whether workers take items (not paused). */
    public boolean isStarted() {
        return !transactions.read(claims::paused);
    }

    /** Whether any worker runs an item now. */
    public boolean isProcessing() {
        return worker.map(QueueWorker::isProcessing).orElse(false) || !transactions.read(claims::claims).isEmpty();
    }

    /** The ids of the items workers run now. */
    public List<Long> runningItemIds() {
        return transactions.read(claims::claims).stream().map(QueueClaims.Claim::itemId).toList();
    }

    /**
     * Stops the running item if it is {@code itemId} and runs in this process; true if so. An item a
     * worker in another process runs is canceled in its row, and that worker stops it at its next step.
     */
    public boolean cancelIfRunning(long itemId) {
        return worker.map(w -> w.cancelIfRunning(itemId)).orElse(false);
    }

    /** The item that would run next. */
    public Optional<Long> next() {
        QueueScheduler.Mode mode = settings.multiuser() ? settings.mode() : QueueScheduler.Mode.FIFO;
        return QueueScheduler.pick(mode, transactions.read(tx -> queue.pendingHeads(tx, null)));
    }

    /** Every worker that ever started on this database, with what it runs now. */
    public List<QueueClaims.WorkerState> workers() {
        return transactions.read(claims::workers);
    }

    /** Stops the sweeper and this process's worker (its running item is given back as interrupted). */
    @Override
    public void close() {
        running = false;
        stop.release();
        worker.ifPresent(QueueWorker::close);
        try {
            sweeper.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.invokej.launcher;

import org.invokej.core.events.EventSink;
import org.invokej.core.models.ModelService;
import org.invokej.core.queue.LostItems;
import org.invokej.core.queue.PublishedQueueEvents;
import org.invokej.core.queue.QueueClaims;
import org.invokej.core.queue.QueueDispatcher;
import org.invokej.core.queue.QueueEvents;
import org.invokej.core.queue.QueueOwners;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueService;
import org.invokej.core.queue.QueueWorker;
import org.invokej.core.queue.SessionRunner;
import org.invokej.core.users.UserAccessListeners;
import org.invokej.inference.graph.GraphRules;
import org.invokej.inference.graph.nodes.NodeTypes;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The one shared generation queue: its service (enqueue, cancel, lists), the processor that holds the
 * shared pause switch and recovers lost items, and this process's generation worker unless
 * {@code workers_in_process} is 0.
 */
record QueueParts(QueueService service, QueueDispatcher dispatcher) implements AutoCloseable {

    /** How often an idle worker in another process looks for work (nobody can wake it across processes on SQLite). */
    static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    /** Joins {@code accessListeners}: a deactivated or deleted user's waiting and running items are canceled at once. */
    static QueueParts assemble(InvokeConfig config, NodeTypes types, Repositories repositories, QueueOwners owners, ModelService models, SessionRunner runner,
                               EventSink events, UserAccessListeners accessListeners, Clock clock) {
        QueueEvents queueEvents = new PublishedQueueEvents(repositories.transactions(), repositories.queue(), events);
        LostItems lost = lostItems(config, repositories, queueEvents, clock);
        Optional<QueueWorker> worker = config.workersInProcess() > 0
                ? Optional.of(worker(config, repositories, owners, runner, queueEvents, lost,
                new QueueClaims.Worker(hostName() + "/web", config.device(), hostName(), ProcessHandle.current().pid()), clock))
                : Optional.empty();
        QueueDispatcher dispatcher = new QueueDispatcher(repositories.transactions(), repositories.queue(), repositories.claims(), lost,
                worker, new QueueDispatcher.Settings(mode(config), config.multiuser(), sweepInterval(config)));
        QueueService service = new QueueService(repositories.transactions(), repositories.queue(), new GraphRules(types),
                models::usage, queueEvents, dispatcher,
                new QueueService.Settings(config.maxQueueSize(), config.maxPendingPerUser(), config.maxBatchItems()));
        accessListeners.add(userId -> {
            if (!owners.mayRun(userId)) {
                service.cancelAllOf(userId);
            }
        });
        return new QueueParts(service, dispatcher);
    }

    static LostItems lostItems(InvokeConfig config, Repositories repositories, QueueEvents events, Clock clock) {
        return new LostItems(repositories.transactions(), repositories.queue(), repositories.claims(), events, clock,
                config.requeueInterruptedItems());
    }

    /** A generation worker on this database: the web server's own, or an {@code invokej worker} process. */
    static QueueWorker worker(InvokeConfig config, Repositories repositories, QueueOwners owners, SessionRunner runner,
                              QueueEvents events, LostItems lost, QueueClaims.Worker identity, Clock clock) {
        return new QueueWorker(repositories.transactions(), repositories.queue(), repositories.claims(), owners, runner, events, lost,
                new QueueWorker.Settings(mode(config), config.multiuser(), Duration.ofSeconds(config.workerLeaseSeconds()), POLL_INTERVAL),
                identity, clock);
    }

    private static QueueScheduler.Mode mode(InvokeConfig config) {
        return config.sessionQueueMode().equals("FIFO") ? QueueScheduler.Mode.FIFO : QueueScheduler.Mode.ROUND_ROBIN;
    }

    /** Half a lease, within 0.2 to 5 seconds: a lost item is recovered at most that long after its lease ran out. */
    private static Duration sweepInterval(InvokeConfig config) {
        long half = config.workerLeaseSeconds() * 500L;
        return Duration.ofMillis(Math.max(200, Math.min(5_000, half)));
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Recovers items a previous run left in progress, then starts this process's worker and the lease sweeper. */
    void start() {
        dispatcher.start();
    }

    /** This process's running item is given back as interrupted (failed, or queued again). */
    @Override
    public void close() {
        dispatcher.close();
    }
}

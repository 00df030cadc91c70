package org.invokej.launcher;

import org.invokej.core.events.EventSink;
import org.invokej.core.models.ModelService;
import org.invokej.core.queue.PublishedQueueEvents;
import org.invokej.core.queue.QueueDispatcher;
import org.invokej.core.queue.QueueEvents;
import org.invokej.core.queue.QueueOwners;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueService;
import org.invokej.core.queue.SessionRunner;
import org.invokej.core.users.UserAccessListeners;
import org.invokej.inference.graph.GraphRules;
import org.invokej.inference.graph.nodes.NodeTypes;

/** The one shared generation queue: its service (enqueue, cancel, lists) and the thread that runs it. */
record QueueParts(QueueService service, QueueDispatcher dispatcher) implements AutoCloseable {

    /** Joins {@code accessListeners}: a deactivated or deleted user's waiting and running items are canceled at once. */
    static QueueParts assemble(InvokeConfig config, NodeTypes types, Repositories repositories, QueueOwners owners, ModelService models, SessionRunner runner,
                               EventSink events, UserAccessListeners accessListeners) {
        QueueEvents queueEvents = new PublishedQueueEvents(repositories.transactions(), repositories.queue(), events);
        QueueDispatcher dispatcher = new QueueDispatcher(repositories.transactions(), repositories.queue(), owners,
                runner, queueEvents, new QueueDispatcher.Settings(config.sessionQueueMode().equals("FIFO") ? QueueScheduler.Mode.FIFO
                        : QueueScheduler.Mode.ROUND_ROBIN, config.multiuser(), config.requeueInterruptedItems()));
        QueueService service = new QueueService(repositories.transactions(), repositories.queue(), new GraphRules(types),
                models::requireUsable, queueEvents, dispatcher,
                new QueueService.Settings(config.maxQueueSize(), config.maxPendingPerUser(), config.maxBatchItems()));
        accessListeners.add(userId -> {
            if (!owners.mayRun(userId)) {
                service.cancelAllOf(userId);
            }
        });
        return new QueueParts(service, dispatcher);
    }

    /** Deals with items a previous run left in progress, then starts taking items. */
    void start() {
        dispatcher.start();
    }

    /** A running item is left in progress: the next start handles it as interrupted. */
    @Override
    public void close() {
        dispatcher.close();
    }
}

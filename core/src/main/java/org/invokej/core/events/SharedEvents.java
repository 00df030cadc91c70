package org.invokej.core.events;

import org.invokej.core.store.Transactions;
import org.invokej.core.users.UserAccessListener;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A web node's events when several web nodes share the database: each goes to this node's own sockets
 * at once ({@code local}), and into the {@link EventOutbox} under this node's name, from where the other
 * nodes' {@link OutboxRelay}s deliver it to theirs (each node skips its own rows, so no socket gets an
 * event twice). A change to a user's access made here goes the same way, for the other nodes to re-check
 * that user's sockets.
 *
 * <p>The outbox is written by one thread of its own, in batches, so that publishing costs the publisher
 * no database round trip and never opens a write inside a caller's transaction. Order is kept. When the
 * database cannot keep up (more than {@value #CAPACITY} rows waiting) the newest are dropped for the
 * other nodes, with a warning: these are live notifications, and the local sockets got them anyway.
 */
public final class SharedEvents implements EventSink, UserAccessListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SharedEvents.class.getName());
    static final int CAPACITY = 10_000;
    private static final int BATCH = 200;

    /** What waits for the outbox: an event, or an access change. */
    private sealed interface Pending {
    }

    private record Event(ServerEvent event) implements Pending {
    }

    private record Access(String userId) implements Pending {
    }

    private final EventSink local;
    private final Transactions transactions;
    private final EventOutbox outbox;
    private final String node;
    private final Clock clock;
    private final Function<EventPayload, String> writer;
    private final BlockingQueue<Pending> pending = new ArrayBlockingQueue<>(CAPACITY);
    private final Thread thread;
    private volatile boolean running = true;
    private boolean dropping;

    /**
     * @param local  this node's own delivery (its sockets, the embedding program's sink)
     * @param node   this node's name in the outbox, unique among the processes sharing the database
     * @param writer writes a payload record as JSON, exactly as the live connection would
     */
    public SharedEvents(EventSink local, Transactions transactions, EventOutbox outbox, String node, Clock clock,
                        Function<EventPayload, String> writer) {
        this.local = local;
        this.transactions = transactions;
        this.outbox = outbox;
        this.node = node;
        this.clock = clock;
        this.writer = writer;
        this.thread = new Thread(this::loop, "event-outbox-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** This node's name in the outbox: its relay skips the rows carrying it. */
    public String node() {
        return node;
    }

    @Override
    public void publish(ServerEvent event) {
        local.publish(event);
        share(event);
    }

    /** Hands {@code event} to the other web nodes only (the caller delivered it here). */
    public void share(ServerEvent event) {
        offer(new Event(event));
    }

    /** Only tells the other nodes: this node's own listeners heard of the change already. */
    @Override
    public void accessChanged(String userId) {
        offer(new Access(userId));
    }

    private void offer(Pending item) {
        if (!running) {
            return;
        }
        if (pending.offer(item)) {
            return;
        }
        synchronized (this) {
            if (!dropping) {
                dropping = true;
                LOG.warning("The database is not keeping up with this web node's events: the other web nodes miss some "
                        + "until it does (" + CAPACITY + " waiting)");
            }
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(BATCH);
        while (running || !pending.isEmpty()) {
            try {
                Pending first = pending.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch, BATCH - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not share " + batch.size() + " events with the other web nodes", e);
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        // JSON is written before the transaction opens: the write lock is held for the inserts only.
        List<Pending> rows = batch.stream().<Pending>map(item -> switch (item) {
            case Event event -> new Event(OutboxEventSink.written(event.event(), writer));
            case Access access -> access;
        }).toList();
        transactions.write(tx -> {
            for (Pending row : rows) {
                switch (row) {
                    case Event event -> outbox.append(tx, event.event(), node, clock.instant());
                    case Access access -> outbox.appendAccessChange(tx, access.userId(), node, clock.instant());
                }
            }
            return null;
        });
        synchronized (this) {
            if (dropping && pending.isEmpty()) {
                dropping = false;
                LOG.info("The other web nodes receive this node's events again");
            }
        }
    }

    /** Writes what is waiting (for up to five seconds), then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

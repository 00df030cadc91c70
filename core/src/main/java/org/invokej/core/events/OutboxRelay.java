package org.invokej.core.events;

import org.invokej.core.store.Transactions;
import org.invokej.core.users.UserAccessListener;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A web node's reader of the {@link EventOutbox}: every event other processes (generation workers, the
 * other web nodes) put there after this node started goes to this node's sink, which delivers it to the
 * sockets of the audience the event names, redacted copies included: the publisher shaped them. Access
 * changes made on another web node go to {@code accessChanges} (this node's sockets re-check the user).
 * Rows this node wrote itself ({@code node}) are skipped: it delivered them when it published them. It
 * polls; a database with notifications calls {@link #wake} when one arrives, and the poll, slower then,
 * only catches what a lost notification missed.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class.getName());
    private static final int BATCH = 500;

    /** How often to look, and how long events stay in the outbox (for nodes that fell behind). */
    public record Settings(Duration pollInterval, Duration retention) {
    }

    private final Transactions transactions;
    private final EventOutbox outbox;
    private final EventSink sink;
    private final UserAccessListener accessChanges;
    private final String node;
    private final Clock clock;
    private final Settings settings;
    private final Semaphore wake = new Semaphore(0);
    private final Thread thread;
    private volatile boolean running = true;
    private long lastId;
    private Instant lastPrune = Instant.MIN;

    /** The relay of a web node alone on its database: it reads what the workers publish. */
    public OutboxRelay(Transactions transactions, EventOutbox outbox, EventSink sink, Clock clock, Settings settings) {
        this(transactions, outbox, sink, userId -> {
        }, null, clock, settings);
    }

    /**
     * The relay of one of several web nodes.
     *
     * @param accessChanges told of access changes made on the other web nodes
     * @param node          this node's name in the outbox (its own rows are skipped); null skips none
     */
    public OutboxRelay(Transactions transactions, EventOutbox outbox, EventSink sink, UserAccessListener accessChanges, String node,
                       Clock clock, Settings settings) {
        this.transactions = transactions;
        this.outbox = outbox;
        this.sink = sink;
        this.accessChanges = accessChanges;
        this.node = node;
        this.clock = clock;
        this.settings = settings;
        this.thread = new Thread(this::loop, "event-outbox-relay");
        this.thread.setDaemon(true);
    }

    /** Starts after the newest event already there: what happened before this node started is history. */
    public OutboxRelay start() {
        lastId = transactions.read(outbox::lastId);
        thread.start();
        return this;
    }

    /** Reads now (a notification arrived). */
    public void wake() {
        wake.release();
    }

    private void loop() {
        while (running) {
            try {
                wake.tryAcquire(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                relay();
                prune();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Relaying events from the outbox failed; trying again", e);
            }
        }
    }

    private void relay() {
        while (running) {
            long after = lastId;
            List<EventOutbox.Entry> entries = transactions.read(tx -> outbox.entriesAfter(tx, after, BATCH, node));
            for (EventOutbox.Entry entry : entries) {
                lastId = entry.eventId();
                try {
                    switch (entry) {
                        case EventOutbox.Stored stored -> sink.publish(stored.event());
                        case EventOutbox.AccessChanged changed -> accessChanges.accessChanged(changed.userId());
                    }
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Could not deliver " + describe(entry) + " from the outbox", e);
                }
            }
            if (entries.size() < BATCH) {
                return;
            }
        }
    }

    private static String describe(EventOutbox.Entry entry) {
        return switch (entry) {
            case EventOutbox.Stored stored -> "the event " + stored.event().name();
            case EventOutbox.AccessChanged changed -> "the access change of user " + changed.userId();
        };
    }

    private void prune() {
        Instant now = clock.instant();
        if (Duration.between(lastPrune, now).compareTo(settings.retention()) < 0) {
            return;
        }
        lastPrune = now;
        transactions.write(tx -> outbox.pruneBefore(tx, now.minus(settings.retention())));
    }

    @Override
    public void close() {
        running = false;
        wake();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package org.invokej.core.events;

import org.invokej.core.store.Transactions;

import java.time.Clock;

/**
 * Publishes into the {@link EventOutbox}: the sink of a process that has no sockets of its own (a
 * generation worker), whose events the web nodes relay to their sockets ({@link OutboxRelay}).
 */
public final class OutboxEventSink implements EventSink {

    private final Transactions transactions;
    private final EventOutbox outbox;
    private final Clock clock;

    public OutboxEventSink(Transactions transactions, EventOutbox outbox, Clock clock) {
        this.transactions = transactions;
        this.outbox = outbox;
        this.clock = clock;
    }

    @Override
    public void publish(ServerEvent event) {
        transactions.write(tx -> outbox.append(tx, event, clock.instant()));
    }
}

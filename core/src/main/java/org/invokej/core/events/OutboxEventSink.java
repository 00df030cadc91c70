package org.invokej.core.events;

import org.invokej.core.store.Transactions;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Publishes into the {@link EventOutbox}: the sink of a process that has no sockets of its own (a
 * generation worker), whose events the web nodes relay to their sockets ({@link OutboxRelay}).
 */
public final class OutboxEventSink implements EventSink {

    private final Transactions transactions;
    private final EventOutbox outbox;
    private final Clock clock;
    private final Function<EventPayload, String> writer;

    /** @param writer writes a payload record as JSON, exactly as the live connection would */
    public OutboxEventSink(Transactions transactions, EventOutbox outbox, Clock clock, Function<EventPayload, String> writer) {
        this.transactions = transactions;
        this.outbox = outbox;
        this.clock = clock;
        this.writer = writer;
    }

    @Override
    public void publish(ServerEvent event) {
        ServerEvent written = new ServerEvent(event.name(), write(event.payload()), written(event.audience()));
        transactions.write(tx -> outbox.append(tx, written, clock.instant()));
    }

    private Audience written(Audience audience) {
        return switch (audience) {
            case Audience.QueueItem item -> new Audience.QueueItem(item.queueId(), item.ownerId(), write(item.othersPayload()));
            case Audience.QueueByOwner byOwner -> {
                Map<String, EventPayload> owners = new LinkedHashMap<>();
                byOwner.ownerPayloads().forEach((owner, payload) -> owners.put(owner, write(payload)));
                yield new Audience.QueueByOwner(byOwner.queueId(), owners, write(byOwner.othersPayload()));
            }
            default -> audience;
        };
    }

    private WrittenPayload write(EventPayload payload) {
        return switch (payload) {
            case null -> null;
            case WrittenPayload already -> already;
            default -> new WrittenPayload(writer.apply(payload));
        };
    }
}

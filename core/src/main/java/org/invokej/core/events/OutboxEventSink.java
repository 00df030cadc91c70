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
        ServerEvent written = written(event, writer);
        transactions.write(tx -> outbox.append(tx, written, clock.instant()));
    }

    /** {@code event} with every payload (redacted copies too) written as JSON by {@code writer}: how it crosses processes. */
    static ServerEvent written(ServerEvent event, Function<EventPayload, String> writer) {
        return new ServerEvent(event.name(), write(event.payload(), writer), written(event.audience(), writer));
    }

    private static Audience written(Audience audience, Function<EventPayload, String> writer) {
        return switch (audience) {
            case Audience.QueueItem item -> new Audience.QueueItem(item.queueId(), item.ownerId(), write(item.othersPayload(), writer));
            case Audience.QueueByOwner byOwner -> {
                Map<String, EventPayload> owners = new LinkedHashMap<>();
                byOwner.ownerPayloads().forEach((owner, payload) -> owners.put(owner, write(payload, writer)));
                yield new Audience.QueueByOwner(byOwner.queueId(), owners, write(byOwner.othersPayload(), writer));
            }
            default -> audience;
        };
    }

    private static WrittenPayload write(EventPayload payload, Function<EventPayload, String> writer) {
        return switch (payload) {
            case null -> null;
            case WrittenPayload already -> already;
            default -> new WrittenPayload(writer.apply(payload));
        };
    }
}

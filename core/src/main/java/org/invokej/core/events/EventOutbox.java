package org.invokej.core.events;

import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.List;

/**
 * Events on their way from a process without sockets (a generation worker) to the web nodes that hold
 * them (the {@code queue_event_outbox} table). A row keeps the whole event, so a notification that only
 * says "there is a new row" (PostgreSQL's {@code NOTIFY} has an 8000-byte limit; a preview image is larger)
 * is enough for a web node to read it.
 */
public interface EventOutbox {

    /** An event with its place in the outbox. */
    record Stored(long eventId, ServerEvent event) {
    }

    /** Appends an event; returns its id. */
    long append(Tx tx, ServerEvent event, Instant now);

    /** Up to {@code limit} events after {@code eventId}, oldest first. */
    List<Stored> after(Tx tx, long eventId, int limit);

    /** The id of the newest event (0 when there is none). */
    long lastId(Tx tx);

    /** Deletes events older than {@code cutoff}; returns how many went. */
    int pruneBefore(Tx tx, Instant cutoff);
}

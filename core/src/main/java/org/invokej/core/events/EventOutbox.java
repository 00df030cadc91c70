package org.invokej.core.events;

import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.List;

/**
 * Events on their way from one process to the web nodes that hold the sockets (the
 * {@code queue_event_outbox} table): from a process without sockets (a generation worker), and, when
 * several web nodes share the database, from each web node to the others, together with the access
 * changes the others must apply to their sockets. A row keeps the whole event, so a notification that
 * only says "there is a new row" (PostgreSQL's {@code NOTIFY} has an 8000-byte limit; a preview image is
 * larger) is enough for a web node to read it.
 */
public interface EventOutbox {

    /** A row of the outbox: an event for sockets, or a user's changed access for the web nodes. */
    sealed interface Entry {
        long eventId();
    }

    /** An event with its place in the outbox. */
    record Stored(long eventId, ServerEvent event) implements Entry {
    }

    /** A user's access changed (deactivated, deleted, demoted, new password): every web node re-checks their sockets. */
    record AccessChanged(long eventId, String userId) implements Entry {
    }

    /** Appends an event published by a process without sockets; returns its id. */
    default long append(Tx tx, ServerEvent event, Instant now) {
        return append(tx, event, null, now);
    }

    /**
     * Appends an event; returns its id.
     *
     * @param origin the web node that published it and delivered it to its own sockets already; null for a worker
     */
    long append(Tx tx, ServerEvent event, String origin, Instant now);

    /** Appends a change to {@code userId}'s access made on web node {@code origin}; returns its id. */
    long appendAccessChange(Tx tx, String userId, String origin, Instant now);

    /**
     * Up to {@code limit} rows after {@code eventId}, oldest first, leaving out those of {@code skipOrigin}
     * (the reading web node's own, which it delivered itself; null leaves out none).
     */
    List<Entry> entriesAfter(Tx tx, long eventId, int limit, String skipOrigin);

    /** Up to {@code limit} events after {@code eventId}, oldest first (access changes left out). */
    default List<Stored> after(Tx tx, long eventId, int limit) {
        return entriesAfter(tx, eventId, limit, null).stream()
                .filter(Stored.class::isInstance).map(Stored.class::cast).toList();
    }

    /** The id of the newest event (0 when there is none). */
    long lastId(Tx tx);

    /** Deletes events older than {@code cutoff}; returns how many went. */
    int pruneBefore(Tx tx, Instant cutoff);
}

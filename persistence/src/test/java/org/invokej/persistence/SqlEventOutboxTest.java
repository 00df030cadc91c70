package org.invokej.persistence;

import org.invokej.core.events.Audience;
import org.invokej.core.events.EventPayload;
import org.invokej.core.events.WrittenPayload;
import org.invokej.core.queue.QueueEventPayloads;
import org.invokej.core.events.EventOutbox;
import org.invokej.core.events.ServerEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The outbox keeps each event whole: name, payload (nulls and order kept) and audience, every kind of it. */
class SqlEventOutboxTest {

    @TempDir
    Path root;

    private Database database;
    private SqlTransactions tx;
    private final SqlEventOutbox outbox = new SqlEventOutbox();

    @BeforeEach
    void open() {
        database = Database.open(root.resolve("invokeai.db"), Clock.systemUTC());
        tx = new SqlTransactions(database);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void everyAudienceComesBackAsItWasPublished() {
        WrittenPayload redacted = new WrittenPayload("{\"item_id\":7,\"batch_id\":null}");
        List<Audience> audiences = List.of(new Audience.Admins(), new Audience.User("u1"), new Audience.UserAndAdmins("u2"),
                new Audience.QueueItem("default", "u3", redacted), new Audience.QueueItem("default", "u3", null),
                new Audience.QueueByOwner("default", Map.of("u4", new WrittenPayload("{\"ids\":[1,2]}")),
                        new WrittenPayload("{\"ids\":[]}")),
                new Audience.QueueRoom("default"), new Audience.Everyone());
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        long before = tx.read(outbox::lastId);
        for (Audience audience : audiences) {
            tx.write(t -> outbox.append(t, new ServerEvent("queue_item_status_changed", redacted, audience), now));
        }
        List<EventOutbox.Stored> stored = tx.read(t -> outbox.after(t, before, 100));
        assertEquals(audiences, stored.stream().map(s -> s.event().audience()).toList());
        assertEquals(redacted, stored.getFirst().event().payload(), "the payload's text comes back as it was written");
        assertEquals(2, tx.read(t -> outbox.after(t, stored.get(5).eventId(), 100)).size());
        int none = tx.write(t -> outbox.pruneBefore(t, now));
        assertEquals(0, none);
        int all = tx.write(t -> outbox.pruneBefore(t, now.plusMillis(1)));
        assertEquals(audiences.size(), all);
        assertEquals(List.of(), tx.read(t -> outbox.after(t, before, 100)));
    }

    @Test
    void aPayloadRecordThatWasNotWrittenAsJsonIsRefused() {
        EventPayload record = new QueueEventPayloads.QueueCleared("default", "u1");
        assertThrows(IllegalArgumentException.class, () -> tx.write(t -> outbox.append(t,
                new ServerEvent("queue_cleared", record, new Audience.QueueRoom("default")), Instant.now())));
    }
}

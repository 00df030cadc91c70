package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.events.Audience;
import org.invokej.core.events.EventOutbox;
import org.invokej.core.events.ServerEvent;
import org.invokej.core.events.WrittenPayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL's notifications wake a web node's relay: every outbox row sends {@code NOTIFY} with its id at
 * commit, the listener's dedicated connection hears it, and a connection the server drops is made again
 * (and wakes the relay, which may have missed rows meanwhile). A web node's relay skips its own rows.
 */
class OutboxNotificationsTest {

    private static final long WAIT_SECONDS = 30;

    @TempDir
    Path folder;

    private final SqlEventOutbox outbox = new SqlEventOutbox();

    private static ServerEvent event(String name) {
        return new ServerEvent(name, new WrittenPayload("{}"), new Audience.Everyone());
    }

    @Test
    void aNewRowWakesTheListenerAndALostConnectionIsMadeAgain() throws Exception {
        DatabaseLocation.PostgresServer location = TestDatabases.postgres();
        try (Database database = Database.open(location, Clock.systemUTC())) {
            SqlTransactions tx = new SqlTransactions(database);
            Semaphore woken = new Semaphore(0);
            try (OutboxNotifications listener = OutboxNotifications.start(location, woken::release).orElseThrow()) {
                assertTrue(woken.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "connecting wakes the relay once");
                assertTrue(listener.listening());

                tx.write(t -> outbox.append(t, event("first"), Instant.now()));
                assertTrue(woken.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "the row's NOTIFY wakes the relay");

                List<Long> ended = tx.read(t -> {
                    try (Stream<DbRow> rows = SqlTx.of(t).query("SELECT pid, pg_terminate_backend(pid) AS ended FROM pg_stat_activity "
                            + "WHERE application_name = 'InvokeJ events' AND datname = current_database()")) {
                        return rows.map(row -> Columns.longOf(row, "pid")).toList();
                    }
                });
                assertEquals(1, ended.size(), "one dedicated connection: " + ended);
                assertTrue(woken.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "the listener connects again and wakes the relay");
                assertTrue(listener.listening());

                tx.write(t -> outbox.appendAccessChange(t, "u1", "node-a", Instant.now()));
                assertTrue(woken.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "rows after the reconnection wake it too");
            }
        }
    }

    @Test
    void sqliteHasNoListener() {
        assertEquals(Optional.empty(), OutboxNotifications.start(new DatabaseLocation.SqliteFile(folder.resolve("invokeai.db")), () -> {
        }));
    }

    @Test
    void aNodeReadsTheOtherNodesRowsAndTheWorkersButNotItsOwn() {
        try (Database database = TestDatabases.open(SqlDialect.POSTGRESQL, folder)) {
            SqlTransactions tx = new SqlTransactions(database);
            long before = tx.read(outbox::lastId);
            tx.write(t -> outbox.append(t, event("from-worker"), null, Instant.now()));
            tx.write(t -> outbox.append(t, event("from-a"), "node-a", Instant.now()));
            tx.write(t -> outbox.append(t, event("from-b"), "node-b", Instant.now()));
            tx.write(t -> outbox.appendAccessChange(t, "u7", "node-a", Instant.now()));

            List<EventOutbox.Entry> seenByB = tx.read(t -> outbox.entriesAfter(t, before, 100, "node-b"));
            assertEquals(List.of("event from-worker", "event from-a", "access u7"), seenByB.stream().map(OutboxNotificationsTest::describe).toList());
            List<EventOutbox.Entry> seenByA = tx.read(t -> outbox.entriesAfter(t, before, 100, "node-a"));
            assertEquals(List.of("event from-worker", "event from-b"), seenByA.stream().map(OutboxNotificationsTest::describe).toList());
            assertEquals(3, tx.read(t -> outbox.after(t, before, 100)).size(), "events only, every origin");
        }
    }

    private static String describe(EventOutbox.Entry entry) {
        return switch (entry) {
            case EventOutbox.Stored stored -> "event " + stored.event().name();
            case EventOutbox.AccessChanged changed -> "access " + changed.userId();
        };
    }
}

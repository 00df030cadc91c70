package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.testing.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The database on a real PostgreSQL server: the same schema and secret, writes without a lock in this process, one-line start-up errors. */
class PostgresDatabaseTest {

    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path folder;

    private List<String> sqliteTables() {
        try (Database sqlite = TestDatabases.open(SqlDialect.SQLITE, folder)) {
            return sqlite.read(exec -> exec.query(SqlDialect.SQLITE.tablesQuery()).map(row -> Columns.textOf(row, "name"))
                    .filter(name -> !name.equals("flyway_schema_history")).sorted().toList());
        }
    }

    @Test
    void migratesAnEmptyDatabaseToTheSameTablesWithSystemUserAndSecret() {
        DatabaseLocation.PostgresServer location = TestDatabases.postgres();
        String secret;
        try (Database db = Database.open(location, CLOCK)) {
            assertEquals(SqlDialect.POSTGRESQL, db.dialect());
            secret = secret(db);
            assertTrue(secret.matches("[0-9a-f]{64}"), "the Java migration V2 made the secret: " + secret);
            DbRow system = db.read(exec -> exec.get("SELECT * FROM users WHERE user_id = 'system'")).orElseThrow();
            assertEquals("system@system.invokeai", Columns.textOf(system, "email"));
            assertFalse(Columns.boolOf(system, "is_admin"));
            assertTrue(Columns.boolOf(system, "is_active"));
            assertTrue(Timestamps.parse(Columns.textOf(system, "created_at")) != null, "times are SQLite's text form");
            List<String> tables = db.read(exec -> exec.query("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'public' AND table_name <> 'flyway_schema_history' ORDER BY table_name")
                    .map(row -> Columns.textOf(row, "table_name")).toList());
            assertEquals(sqliteTables(), tables, "the PostgreSQL tree makes the tables the SQLite tree makes");
            assertTrue(tables.containsAll(List.of("users", "session_queue", "queue_claims", "api_keys")), tables.toString());
        }
        try (Database db = Database.open(location, CLOCK)) {
            assertEquals(secret, secret(db), "reopening keeps the data");
        }
    }

    @Test
    void concurrentReadThenWriteTransactionsOnVirtualThreadsAllSucceedWithoutLosingAnUpdate() throws Exception {
        int threads = 32;
        int perThread = 10;
        AtomicInteger errors = new AtomicInteger();
        try (Database db = Database.open(TestDatabases.postgres(), CLOCK, List.of("classpath:db/test-counter"))) {
            List<Future<?>> futures = new ArrayList<>();
            try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int t = 0; t < threads; t++) {
                    futures.add(executor.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            try {
                                db.write(tx -> {
                                    long value = tx.get("SELECT value FROM test_counter WHERE id = 1")
                                            .map(row -> Columns.longOf(row, "value")).orElseThrow();
                                    return tx.dml("UPDATE test_counter SET value = ? WHERE id = 1", value + 1);
                                });
                            } catch (RuntimeException e) {
                                errors.incrementAndGet();
                            }
                        }
                    }));
                }
            }
            for (Future<?> future : futures) {
                future.get();
            }
            assertEquals(0, errors.get());
            assertEquals((long) threads * perThread,
                    db.read(exec -> exec.get("SELECT value FROM test_counter WHERE id = 1")).map(row -> Columns.longOf(row, "value")).orElseThrow());
        }
    }

    @Test
    void aThrowingWriteRollsBackAndForeignKeysHold() {
        try (Database db = Database.open(TestDatabases.postgres(), CLOCK)) {
            assertThrows(IllegalStateException.class, () -> db.write(tx -> {
                tx.dml("UPDATE users SET display_name = 'Half' WHERE user_id = 'system'");
                throw new IllegalStateException("changed my mind");
            }));
            assertEquals("System", db.read(exec -> exec.get("SELECT display_name FROM users WHERE user_id = 'system'"))
                    .map(row -> Columns.textOf(row, "display_name")).orElseThrow());
            assertThrows(RuntimeException.class, () -> db.write(tx -> tx.dml(
                    "INSERT INTO board_images (board_id, image_name) VALUES ('no-board', 'no-image')")));
        }
    }

    @Test
    void aFailedMigrationIsRolledBackWhole() {
        DatabaseLocation.PostgresServer location = TestDatabases.postgres();
        try (Database db = Database.open(location, CLOCK)) {
            db.write(tx -> tx.dml("UPDATE users SET display_name = 'Kept' WHERE user_id = 'system'"));
        }
        MigrationException failure = assertThrows(MigrationException.class,
                () -> Database.open(location, CLOCK, List.of("classpath:db/test-counter", "classpath:db/test-broken")));
        assertTrue(failure.getMessage().contains("no_such_table"), failure.getMessage());
        try (Database db = Database.open(location, CLOCK)) {
            assertEquals(0L, db.read(exec -> exec.get("SELECT COUNT(*) AS n FROM information_schema.tables "
                    + "WHERE table_name IN ('test_counter', 'half_done')")).map(row -> Columns.longOf(row, "n")).orElseThrow());
            assertEquals("Kept", db.read(exec -> exec.get("SELECT display_name FROM users WHERE user_id = 'system'"))
                    .map(row -> Columns.textOf(row, "display_name")).orElseThrow());
        }
    }

    @Test
    void aWrongPasswordSaysWhichSettingsToSet() {
        TestPostgres server = TestPostgres.server();
        var location = new DatabaseLocation.PostgresServer(server.newDatabase(), server.user(), "not-the-password", 2);
        DatabaseUnusableException failure = assertThrows(DatabaseUnusableException.class, () -> Database.open(location, CLOCK));
        assertOneLine(failure.getMessage());
        assertTrue(failure.getMessage().contains("refused the login of postgres"), failure.getMessage());
        assertTrue(failure.getMessage().contains("INVOKEAI_DATABASE_PASSWORD"), failure.getMessage());
        assertFalse(failure.getMessage().contains("not-the-password"), "the password is never shown");
    }

    @Test
    void aMissingDatabaseSaysHowToCreateIt() {
        TestPostgres server = TestPostgres.server();
        String url = "postgresql://127.0.0.1:" + server.port() + "/no_such_database";
        DatabaseUnusableException failure = assertThrows(DatabaseUnusableException.class,
                () -> Database.open(new DatabaseLocation.PostgresServer(url, server.user(), server.password(), 2), CLOCK));
        assertOneLine(failure.getMessage());
        assertTrue(failure.getMessage().contains("does not exist: create it with createdb"), failure.getMessage());
        assertTrue(failure.getMessage().contains(" no_such_database "), failure.getMessage());
    }

    @Test
    void aServerThatDoesNotAnswerSaysToCheckTheUrl() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "postgresql://127.0.0.1:" + closedPort + "/invokeai";
        DatabaseUnusableException failure = assertThrows(DatabaseUnusableException.class,
                () -> Database.open(new DatabaseLocation.PostgresServer(url, "postgres", "x", 2), CLOCK));
        assertOneLine(failure.getMessage());
        assertTrue(failure.getMessage().startsWith("Cannot connect to PostgreSQL at " + url), failure.getMessage());
        assertTrue(failure.getMessage().contains("check that the server runs"), failure.getMessage());
    }

    private static void assertOneLine(String message) {
        assertFalse(message.contains("\n"), message);
    }

    private static String secret(Database db) {
        return db.read(exec -> exec.get("SELECT value FROM app_settings WHERE key = 'jwt_secret'"))
                .map(row -> Columns.textOf(row, "value")).orElseThrow();
    }
}

package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DatabaseTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    private Path dbFile() {
        return root.resolve("databases").resolve("invokeai.db");
    }

    @Test
    void migratesAnEmptyDatabaseToInvokeAiTablesWithSystemUserAndSecret() throws Exception {
        try (Database db = Database.open(dbFile(), CLOCK)) {
            assertTrue(db.backup().isEmpty(), "a new database needs no copy");
            String secret = db.read(exec -> exec.get("SELECT value FROM app_settings WHERE key = 'jwt_secret'"))
                    .map(row -> Columns.textOf(row, "value")).orElseThrow();
            assertTrue(secret.matches("[0-9a-f]{64}"), secret);
            DbRow system = db.read(exec -> exec.get("SELECT * FROM users WHERE user_id = 'system'")).orElseThrow();
            assertEquals("system@system.invokeai", system.column("email").getString());
            assertEquals("", system.column("password_hash").getString());
            assertFalse(Columns.boolOf(system, "is_admin"));
            assertTrue(Columns.boolOf(system, "is_active"));
            assertEquals(0, Columns.intOf(system, "token_epoch"));
        }
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + dbFile());
             Statement statement = raw.createStatement();
             ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
            mode.next();
            assertEquals("wal", mode.getString(1));
        }
    }

    @Test
    void eachDatabaseGetsItsOwnSecret() {
        String first;
        try (Database db = Database.open(root.resolve("a.db"), CLOCK)) {
            first = secret(db);
        }
        try (Database db = Database.open(root.resolve("b.db"), CLOCK)) {
            assertFalse(first.equals(secret(db)));
        }
    }

    @Test
    void reopeningIsANoOpThatKeepsDataAndSecret() {
        String secret;
        long applied;
        try (Database db = Database.open(dbFile(), CLOCK)) {
            secret = secret(db);
            applied = historyRows(db);
            db.write(tx -> tx.dml("UPDATE users SET display_name = 'Renamed' WHERE user_id = 'system'"));
        }
        try (Database db = Database.open(dbFile(), CLOCK)) {
            assertTrue(db.backup().isEmpty(), "nothing pending, nothing copied");
            assertEquals(secret, secret(db));
            assertEquals("Renamed", db.read(exec -> exec.get("SELECT display_name FROM users WHERE user_id = 'system'"))
                    .map(row -> Columns.textOf(row, "display_name")).orElseThrow());
            assertEquals(applied, historyRows(db));
        }
    }

    @Test
    void copiesAnExistingDatabaseBeforeApplyingPendingMigrations() throws Exception {
        try (Database db = Database.open(dbFile(), CLOCK)) {
            db.write(tx -> tx.dml("UPDATE users SET display_name = 'Before' WHERE user_id = 'system'"));
        }
        try (Database db = Database.open(dbFile(), CLOCK, List.of("classpath:db/test-counter"))) {
            Path backup = db.backup().orElseThrow();
            assertEquals(dbFile().resolveSibling("invokeai_backup_20261126_120000.db"), backup);
            try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + backup);
                 Statement statement = copy.createStatement();
                 ResultSet name = statement.executeQuery("SELECT display_name FROM users WHERE user_id = 'system'")) {
                name.next();
                assertEquals("Before", name.getString(1), "the copy holds the data as it was");
            }
            try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + backup);
                 Statement statement = copy.createStatement();
                 ResultSet tables = statement.executeQuery("SELECT COUNT(*) FROM sqlite_master WHERE name = 'test_counter'")) {
                tables.next();
                assertEquals(0, tables.getInt(1), "the copy is from before the migration");
            }
            assertEquals(0L, db.read(exec -> exec.get("SELECT value FROM test_counter")).map(row -> Columns.longOf(row, "value")).orElseThrow());
        }
    }

    @Test
    void aFailedMigrationLeavesTheFileUnchangedAndSaysWhereTheCopyIs() throws Exception {
        long applied;
        try (Database db = Database.open(dbFile(), CLOCK)) {
            applied = historyRows(db);
            db.write(tx -> tx.dml("UPDATE users SET display_name = 'Kept' WHERE user_id = 'system'"));
        }
        String before = sha256(dbFile());

        MigrationException failure = assertThrows(MigrationException.class,
                () -> Database.open(dbFile(), CLOCK, List.of("classpath:db/test-counter", "classpath:db/test-broken")));

        assertTrue(failure.getMessage().contains("no_such_table"), failure.getMessage());
        assertTrue(failure.getMessage().contains("invokeai_backup_20261126_120000.db"), failure.getMessage());
        assertEquals(before, sha256(dbFile()), "the database file must be byte-for-byte as before");
        try (Database db = Database.open(dbFile(), CLOCK)) {
            assertEquals(applied, historyRows(db), "no migration of the failed run was recorded");
            assertEquals(0L, db.read(exec -> exec.get(
                    "SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('test_counter', 'half_done')"))
                    .map(row -> Columns.longOf(row, "n")).orElseThrow(), "no table of the failed run survived");
        }
    }

    @Test
    void concurrentReadThenWriteTransactionsOnVirtualThreadsAllSucceed() throws Exception {
        int threads = 32;
        int perThread = 10;
        AtomicInteger errors = new AtomicInteger();
        try (Database db = Database.open(dbFile(), CLOCK, List.of("classpath:db/test-counter"))) {
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
    void aThrowingWriteRollsBack() {
        try (Database db = Database.open(dbFile(), CLOCK)) {
            assertThrows(IllegalStateException.class, () -> db.write(tx -> {
                tx.dml("UPDATE users SET display_name = 'Half' WHERE user_id = 'system'");
                throw new IllegalStateException("changed my mind");
            }));
            assertEquals("System", db.read(exec -> exec.get("SELECT display_name FROM users WHERE user_id = 'system'"))
                    .map(row -> Columns.textOf(row, "display_name")).orElseThrow());
        }
    }

    @Test
    void foreignKeysAreEnforcedOnEveryConnection() {
        try (Database db = Database.open(dbFile(), CLOCK)) {
            long enabled = db.read(exec -> {
                try (Stream<DbRow> rows = exec.query("PRAGMA foreign_keys")) {
                    return ((Number) rows.findFirst().orElseThrow().column(1).get()).longValue();
                }
            });
            assertEquals(1L, enabled);
        }
    }

    private static long historyRows(Database db) {
        return db.read(exec -> exec.get("SELECT COUNT(*) AS n FROM flyway_schema_history"))
                .map(row -> Columns.longOf(row, "n")).orElseThrow();
    }

    private static String secret(Database db) {
        return db.read(exec -> exec.get("SELECT value FROM app_settings WHERE key = 'jwt_secret'"))
                .map(row -> Columns.textOf(row, "value")).orElseThrow();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

package org.invokej.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening InvokeAI databases that cannot be adopted: nothing changes, and the message says why. (The
 * successful paths, through the real server and InvokeAI's real schemas, are in test-fixtures'
 * {@code org.invokej.adoption}.)
 */
class InvokeAiAdoptionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    /** The tables of InvokeAI's schema version 20 that the bridge needs, in their simplest InvokeAI shape. */
    private static final List<String> INVOKEAI_TABLES = List.of(
            "CREATE TABLE migrations (version INTEGER PRIMARY KEY, migrated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')))",
            "INSERT INTO migrations (version) VALUES (0), (1), (2)",
            "CREATE TABLE images (image_name TEXT NOT NULL PRIMARY KEY, image_origin TEXT NOT NULL, image_category TEXT NOT NULL,"
                    + " width INTEGER NOT NULL, height INTEGER NOT NULL, session_id TEXT, node_id TEXT, metadata TEXT,"
                    + " is_intermediate BOOLEAN DEFAULT FALSE, created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),"
                    + " updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')), deleted_at DATETIME)",
            "INSERT INTO images (image_name, image_origin, image_category, width, height) VALUES ('a.png', 'internal', 'general', 8, 8)",
            "CREATE TABLE boards (board_id TEXT NOT NULL PRIMARY KEY, board_name TEXT NOT NULL, cover_image_name TEXT,"
                    + " created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),"
                    + " updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')), deleted_at DATETIME)",
            "CREATE TABLE board_images (board_id TEXT NOT NULL, image_name TEXT NOT NULL PRIMARY KEY,"
                    + " created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),"
                    + " updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')), deleted_at DATETIME)",
            "CREATE TABLE session_queue (item_id INTEGER PRIMARY KEY AUTOINCREMENT, batch_id TEXT NOT NULL, queue_id TEXT NOT NULL,"
                    + " session_id TEXT NOT NULL UNIQUE, field_values TEXT, session TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'pending',"
                    + " priority INTEGER NOT NULL DEFAULT 0, error_traceback TEXT,"
                    + " created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),"
                    + " updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')), started_at DATETIME, completed_at DATETIME)",
            "CREATE TABLE workflow_library (workflow_id TEXT NOT NULL PRIMARY KEY, workflow TEXT NOT NULL,"
                    + " created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),"
                    + " updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),"
                    + " category TEXT GENERATED ALWAYS as (json_extract(workflow, '$.meta.category')) VIRTUAL NOT NULL,"
                    + " name TEXT GENERATED ALWAYS as (json_extract(workflow, '$.name')) VIRTUAL NOT NULL,"
                    + " description TEXT GENERATED ALWAYS as (json_extract(workflow, '$.description')) VIRTUAL NOT NULL)",
            "CREATE TABLE models (id TEXT NOT NULL PRIMARY KEY, config TEXT NOT NULL)");

    @TempDir
    Path root;

    private Path invokeAiDatabase(List<String> statements) throws Exception {
        Path file = root.resolve("databases").resolve("invokeai.db");
        Files.createDirectories(file.getParent());
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode = WAL");
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
        return file;
    }

    private List<Path> backups() throws Exception {
        try (Stream<Path> files = Files.list(root.resolve("databases"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("invokeai_backup_")).toList();
        }
    }

    @Test
    void aFailureHalfWayPutsTheDatabaseBackByteForByte() throws Exception {
        // a users table InvokeAI never had: the bridge cannot add the system user to it
        List<String> statements = new java.util.ArrayList<>(INVOKEAI_TABLES);
        statements.add("CREATE TABLE users (user_id TEXT NOT NULL PRIMARY KEY, nickname TEXT NOT NULL)");
        Path file = invokeAiDatabase(statements);
        byte[] before = Files.readAllBytes(file);

        MigrationException failure = assertThrows(MigrationException.class, () -> Database.open(file, CLOCK));

        assertTrue(failure.getMessage().contains("The database was left as InvokeAI left it"), failure.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "the database is byte-identical to what InvokeAI left");
        assertEquals(1, backups().size());
        assertArrayEquals(before, Files.readAllBytes(backups().getFirst()), "and so is the copy");
    }

    @Test
    void aWriteAheadLogInvokeAiLeftBehindIsInTheBackup() throws Exception {
        // InvokeAI stopped hard: its last rows are still in invokeai.db-wal, not in the main file
        Path crashed = root.resolve("crashed");
        Files.createDirectories(crashed);
        Path live = invokeAiDatabase(INVOKEAI_TABLES);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + live);
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_autocheckpoint = 0");
            statement.execute("INSERT INTO images (image_name, image_origin, image_category, width, height)"
                    + " VALUES ('late.png', 'internal', 'general', 8, 8)");
            Files.copy(live, root.resolve("databases").resolve("copy.db"));
            Files.copy(live.resolveSibling("invokeai.db-wal"), root.resolve("databases").resolve("copy.db-wal"));
        }
        Files.delete(live);
        Files.move(root.resolve("databases").resolve("copy.db"), live);
        Files.move(root.resolve("databases").resolve("copy.db-wal"), live.resolveSibling("invokeai.db-wal"));
        assertTrue(Files.size(live.resolveSibling("invokeai.db-wal")) > 0);

        try (Database db = Database.open(live, CLOCK)) {
            Path backup = db.backup().orElseThrow();
            try (Connection copy = DriverManager.getConnection("jdbc:sqlite:" + backup);
                 var rows = copy.createStatement().executeQuery("SELECT COUNT(*) FROM images WHERE image_name = 'late.png'")) {
                rows.next();
                assertEquals(1, rows.getInt(1), "the backup holds the rows that were only in the log");
            }
            assertEquals(2, Columns.intOf(db.read(exec -> exec.get("SELECT COUNT(*) AS n FROM images")).orElseThrow(), "n"));
        }
    }

    @Test
    void aDatabaseOlderThanInvokeAi5IsRefusedWithoutTouchingIt() throws Exception {
        Path file = invokeAiDatabase(INVOKEAI_TABLES.stream().filter(sql -> !sql.contains("workflow_library")).toList());
        byte[] before = Files.readAllBytes(file);

        MigrationException failure = assertThrows(MigrationException.class, () -> Database.open(file, CLOCK));

        assertTrue(failure.getMessage().contains("older than InvokeJ can open: it has no workflow_library table"),
                failure.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of(), backups());
    }

    @Test
    void theSmallestInvokeAiSchemaIsAdoptedAndItsRowsKept() throws Exception {
        Path file = invokeAiDatabase(INVOKEAI_TABLES);
        try (Database db = Database.open(file, CLOCK)) {
            assertEquals("system", db.read(exec -> exec.get("SELECT user_id FROM images WHERE image_name = 'a.png'"))
                    .map(row -> Columns.textOf(row, "user_id")).orElseThrow());
            assertEquals(3, Columns.intOf(db.read(exec -> exec.get("SELECT COUNT(*) AS n FROM migrations")).orElseThrow(), "n"));
            assertTrue(db.backup().isPresent());
        }
        try (Database db = Database.open(file, CLOCK)) {
            assertTrue(db.backup().isEmpty(), "the second start is an ordinary one");
        }
    }
}

package org.invokej.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sqlite.SQLiteConfig;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Opening a database that InvokeAI made: it has InvokeAI's {@code migrations} table and no Flyway
 * history. The bridge brings any InvokeAI schema since 5.x to what InvokeJ's migrations leave at
 * {@link #BASELINE}, after which Flyway is baselined there and runs InvokeJ's later migrations as usual.
 *
 * <p>The bridge only adds: tables InvokeJ needs and InvokeAI lacks, and the columns InvokeAI's own later
 * migrations would add (with InvokeAI's definitions), so InvokeAI still opens the file. Nothing of
 * InvokeAI's is renamed or dropped, with one exception InvokeAI's own upgrade makes too: a single-user
 * {@code client_state} row becomes the per-user table, owned by {@code system}.
 */
final class InvokeAiAdoption {

    private static final Logger LOG = Logger.getLogger(InvokeAiAdoption.class.getName());

    /** The InvokeJ schema version an adopted database is made equal to. */
    static final String BASELINE = "40";

    /** Tables every InvokeAI release we adopt has; without them the file is older than we can read. */
    private static final List<String> REQUIRED_TABLES =
            List.of("images", "boards", "board_images", "session_queue", "workflow_library", "models");

    /**
     * Columns our queries read, with the definition InvokeAI's migrations give them, in the order
     * InvokeAI added them. Only missing ones are added.
     */
    private static final Map<String, List<Column>> COLUMNS = Map.of(
            "images", List.of(
                    new Column("deleted_at", "DATETIME"),
                    new Column("starred", "BOOLEAN DEFAULT FALSE"),
                    new Column("has_workflow", "BOOLEAN DEFAULT FALSE"),
                    new Column("user_id", "TEXT DEFAULT 'system'"),
                    new Column("image_subfolder", "TEXT NOT NULL DEFAULT ''")),
            "boards", List.of(
                    new Column("deleted_at", "DATETIME"),
                    new Column("archived", "BOOLEAN DEFAULT FALSE"),
                    new Column("user_id", "TEXT DEFAULT 'system'"),
                    new Column("is_public", "BOOLEAN NOT NULL DEFAULT FALSE"),
                    new Column("board_visibility", "TEXT NOT NULL DEFAULT 'private'")),
            "board_images", List.of(
                    new Column("deleted_at", "DATETIME")),
            "session_queue", List.of(
                    new Column("workflow", "TEXT"),
                    new Column("error_type", "TEXT"),
                    new Column("error_message", "TEXT"),
                    new Column("origin", "TEXT"),
                    new Column("destination", "TEXT"),
                    new Column("retried_from_item_id", "INTEGER"),
                    new Column("user_id", "TEXT DEFAULT 'system'"),
                    new Column("status_sequence", "INTEGER DEFAULT 0")),
            "workflow_library", List.of(
                    new Column("tags", "TEXT GENERATED ALWAYS AS (json_extract(workflow, '$.tags')) VIRTUAL"),
                    new Column("opened_at", "DATETIME"),
                    new Column("user_id", "TEXT DEFAULT 'system'"),
                    new Column("is_public", "BOOLEAN NOT NULL DEFAULT FALSE")),
            "style_presets", List.of(
                    new Column("user_id", "TEXT DEFAULT 'system'"),
                    new Column("is_public", "BOOLEAN NOT NULL DEFAULT FALSE")),
            "users", List.of(
                    new Column("token_epoch", "INTEGER NOT NULL DEFAULT 0")));

    /** Tables of InvokeJ's own (V1, V10, V30), created when missing. */
    private static final List<String> OWN_TABLES = List.of(
            """
            CREATE TABLE IF NOT EXISTS users (
                user_id TEXT NOT NULL PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                display_name TEXT,
                password_hash TEXT NOT NULL,
                is_admin BOOLEAN NOT NULL DEFAULT FALSE,
                is_active BOOLEAN NOT NULL DEFAULT TRUE,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                last_login_at DATETIME,
                token_epoch INTEGER NOT NULL DEFAULT 0
            )""",
            "CREATE INDEX IF NOT EXISTS idx_users_email ON users(email)",
            "CREATE INDEX IF NOT EXISTS idx_users_is_admin ON users(is_admin)",
            "CREATE INDEX IF NOT EXISTS idx_users_is_active ON users(is_active)",
            """
            CREATE TRIGGER IF NOT EXISTS tg_users_updated_at
            AFTER UPDATE ON users FOR EACH ROW
            BEGIN
                UPDATE users SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                WHERE user_id = old.user_id;
            END""",
            """
            CREATE TABLE IF NOT EXISTS app_settings (
                key TEXT NOT NULL PRIMARY KEY,
                value TEXT NOT NULL,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
            )""",
            """
            CREATE TRIGGER IF NOT EXISTS tg_app_settings_updated_at
            AFTER UPDATE ON app_settings
            FOR EACH ROW
            BEGIN
                UPDATE app_settings SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                WHERE key = OLD.key;
            END""",
            """
            CREATE TABLE IF NOT EXISTS audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                occurred_at DATETIME NOT NULL,
                actor_user_id TEXT,
                actor_email TEXT,
                action TEXT NOT NULL,
                target_user_id TEXT,
                target_email TEXT,
                client_address TEXT,
                detail TEXT
            )""",
            "CREATE INDEX IF NOT EXISTS idx_audit_log_occurred_at ON audit_log (occurred_at)",
            """
            CREATE TABLE IF NOT EXISTS revoked_tokens (
                token_hash TEXT NOT NULL PRIMARY KEY,
                expires_at DATETIME NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS idx_revoked_tokens_expires_at ON revoked_tokens (expires_at)",
            """
            CREATE TABLE IF NOT EXISTS model_allowed_users (
                model_key TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
                user_id TEXT NOT NULL,
                PRIMARY KEY (model_key, user_id)
            )""");

    /** Indexes our listings lean on; InvokeAI's names where InvokeAI has the same index. */
    private static final List<String> INDEXES = List.of(
            "CREATE INDEX IF NOT EXISTS idx_images_user_id ON images(user_id)",
            "CREATE INDEX IF NOT EXISTS idx_boards_user_id ON boards(user_id)",
            "CREATE INDEX IF NOT EXISTS idx_boards_board_visibility ON boards(board_visibility)",
            "CREATE INDEX IF NOT EXISTS idx_workflow_library_user_id ON workflow_library(user_id)",
            "CREATE INDEX IF NOT EXISTS idx_workflow_library_is_public ON workflow_library(is_public)",
            "CREATE INDEX IF NOT EXISTS idx_session_queue_user_id ON session_queue(user_id)");

    private static final String CLIENT_STATE = """
            CREATE TABLE client_state (
              user_id     TEXT NOT NULL,
              key         TEXT NOT NULL,
              value       TEXT NOT NULL,
              updated_at  DATETIME NOT NULL DEFAULT (CURRENT_TIMESTAMP),
              PRIMARY KEY (user_id, key),
              FOREIGN KEY (user_id) REFERENCES users(user_id) ON DELETE CASCADE
            )""";

    /** A column as InvokeAI's migrations define it. */
    private record Column(String name, String definition) {
    }

    /** What InvokeAI's bookkeeping says about a database. */
    record Found(int legacyVersion, List<String> appliedMigrations) {
        String describe() {
            String last = appliedMigrations.isEmpty() ? "" : ", last applied " + appliedMigrations.getLast();
            return "InvokeAI schema version " + legacyVersion + last;
        }
    }

    private InvokeAiAdoption() {
    }

    /**
     * The InvokeAI bookkeeping of {@code file} when it is an InvokeAI database InvokeJ has not adopted
     * yet. Reads through a read-only connection, so the file is not touched.
     */
    static Optional<Found> detect(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties())) {
            Set<String> tables = tables(connection);
            if (!tables.contains("migrations") || tables.contains("flyway_schema_history")) {
                return Optional.empty();
            }
            int version = 0;
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COALESCE(MAX(version), 0) FROM migrations")) {
                if (rows.next()) {
                    version = rows.getInt(1);
                }
            }
            List<String> applied = new ArrayList<>();
            if (tables.contains("applied_migrations")) {
                try (Statement statement = connection.createStatement();
                     ResultSet rows = statement.executeQuery(
                             "SELECT migration_id FROM applied_migrations ORDER BY migrated_at, migration_id")) {
                    while (rows.next()) {
                        applied.add(rows.getString(1));
                    }
                }
            }
            List<String> missing = REQUIRED_TABLES.stream().filter(table -> !tables.contains(table)).toList();
            if (!missing.isEmpty()) {
                throw new MigrationException("The InvokeAI database " + file + " (schema version " + version
                        + ") is older than InvokeJ can open: it has no " + String.join(", ", missing)
                        + " table. Open it once with InvokeAI 5.0 or newer, then start InvokeJ again. Nothing was changed.", null);
            }
            return Optional.of(new Found(version, applied));
        } catch (SQLException e) {
            throw new MigrationException("Cannot read the database " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * A byte-for-byte copy of {@code file} as InvokeAI left it, written before anything opens it for
     * writing. A write-ahead log InvokeAI left behind is first folded into the file (the content stays
     * the same), so the copy alone is the whole database.
     */
    static void backUp(Path file, Path backup) {
        Path wal = file.resolveSibling(file.getFileName() + "-wal");
        try {
            if (Files.isRegularFile(wal) && Files.size(wal) > 0) {
                try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                     Statement statement = connection.createStatement()) {
                    statement.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
            }
            Files.copy(file, backup, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException | SQLException e) {
            throw new MigrationException("Could not copy the InvokeAI database " + file + " to " + backup
                    + " before adopting it, so nothing was changed: " + e.getMessage(), e);
        }
    }

    /** Puts the pre-adoption copy back after a failure, so the file is as InvokeAI left it. */
    static void restore(Path backup, Path file) {
        try {
            Files.copy(backup, file, StandardCopyOption.REPLACE_EXISTING);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
        } catch (IOException e) {
            LOG.severe(() -> "Could not put the copy " + backup + " back over " + file + ": " + e.getMessage()
                    + ". Copy it back by hand before starting InvokeAI on this root.");
        }
    }

    /** Brings the InvokeAI schema to InvokeJ's {@link #BASELINE}, in one transaction. */
    static void bridge(DataSource dataSource, Found found) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                bridge(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new MigrationException("Could not adopt the InvokeAI database (" + found.describe() + "): "
                    + e.getMessage(), e);
        }
    }

    private static void bridge(Connection connection) throws SQLException {
        Set<String> tables = tables(connection);
        boolean singleUserEra = !tables.contains("users");
        for (String ddl : OWN_TABLES) {
            execute(connection, ddl);
        }
        Set<String> added = new LinkedHashSet<>();
        for (var table : COLUMNS.entrySet()) {
            if (!tables(connection).contains(table.getKey())) {
                continue;
            }
            Set<String> present = columns(connection, table.getKey());
            for (Column column : table.getValue()) {
                if (!present.contains(column.name())) {
                    execute(connection, "ALTER TABLE " + table.getKey() + " ADD COLUMN " + column.name() + " " + column.definition());
                    added.add(table.getKey() + "." + column.name());
                }
            }
        }
        // Ownership as InvokeAI's multi-user migrations leave it: single-user content is the system user's,
        // user-category workflows of that era are shared, boards flagged public are public.
        for (String table : List.of("images", "boards", "session_queue", "workflow_library", "style_presets")) {
            if (tables(connection).contains(table)) {
                execute(connection, "UPDATE " + table + " SET user_id = 'system' WHERE user_id IS NULL");
            }
        }
        if (added.contains("workflow_library.is_public")) {
            execute(connection, "UPDATE workflow_library SET is_public = TRUE WHERE user_id = 'system'");
        }
        if (added.contains("boards.board_visibility")) {
            execute(connection, "UPDATE boards SET board_visibility = 'public' WHERE is_public = 1");
        }
        execute(connection, """
                INSERT OR IGNORE INTO users (user_id, email, display_name, password_hash, is_admin, is_active)
                VALUES ('system', 'system@system.invokeai', 'System', '', FALSE, TRUE)""");
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT OR IGNORE INTO app_settings (key, value) VALUES ('jwt_secret', ?)")) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            insert.setString(1, HexFormat.of().formatHex(secret));
            insert.executeUpdate();
        }
        if (tables.contains("client_state") && !columns(connection, "client_state").contains("user_id")) {
            perUserClientState(connection);
        }
        for (String ddl : INDEXES) {
            execute(connection, ddl);
        }
        if (!added.isEmpty()) {
            LOG.info("Added to InvokeAI's tables: " + String.join(", ", added)
                    + (singleUserEra ? " (single-user content now belongs to the built-in 'system' user)" : ""));
        }
    }

    /**
     * InvokeAI before 6.12 kept the web UI's state as one JSON object in row 1; since then one row per
     * user and key. As InvokeAI's own upgrade does, the old row's entries become the system user's.
     */
    private static void perUserClientState(Connection connection) throws SQLException {
        String data = null;
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT data FROM client_state WHERE id = 1")) {
            if (rows.next()) {
                data = rows.getString(1);
            }
        }
        execute(connection, "DROP TABLE client_state");
        execute(connection, CLIENT_STATE);
        execute(connection, "CREATE INDEX IF NOT EXISTS idx_client_state_user_id ON client_state(user_id)");
        if (data == null) {
            return;
        }
        JsonNode entries;
        try {
            entries = new ObjectMapper().readTree(data);
        } catch (IOException e) {
            LOG.warning("The InvokeAI web UI state in client_state is not JSON; it was not kept: " + e.getMessage());
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO client_state (user_id, key, value) VALUES ('system', ?, ?)")) {
            for (var entry : entries.properties()) {
                insert.setString(1, entry.getKey());
                insert.setString(2, entry.getValue().isTextual() ? entry.getValue().asText() : entry.getValue().toString());
                insert.executeUpdate();
            }
        }
    }

    private static Set<String> tables(Connection connection) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    private static Set<String> columns(Connection connection, String table) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        // table_xinfo also lists generated columns
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("PRAGMA table_xinfo(" + table + ")")) {
            while (rows.next()) {
                names.add(rows.getString("name"));
            }
        }
        return names;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

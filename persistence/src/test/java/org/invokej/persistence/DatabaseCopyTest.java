package org.invokej.persistence;

import org.invokej.core.queue.NewQueueItem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link DatabaseCopy} between a real SQLite file and a real PostgreSQL database, both ways. */
class DatabaseCopyTest {

    private static final String MODEL = "{\"key\":\"m1\",\"hash\":\"blake3:ab\",\"base\":\"sd-1\",\"type\":\"main\",\"path\":\"/models/m1\","
            + "\"format\":\"onnx\",\"name\":\"Tiny\",\"source\":\"/models/m1\",\"source_type\":\"path\",\"file_size\":1234}";

    @TempDir
    Path folder;

    @Test
    void aSqliteRootGoesToPostgresqlAndBackWithEveryRowAsItWas() throws Exception {
        Map<String, List<String>> original;
        DatabaseLocation.PostgresServer postgres = TestDatabases.postgres();
        List<String> progress = new ArrayList<>();
        try (Database sqlite = TestDatabases.open(SqlDialect.SQLITE, folder.resolve("a"));
             Database pg = Database.open(postgres, Clock.systemUTC())) {
            fill(sqlite);
            original = dump(sqlite);

            List<DatabaseCopy.Copied> copied = new DatabaseCopy(sqlite, pg).run(false, progress::add);

            assertEquals(21, copied.size(), copied.toString());
            assertTrue(copied.contains(new DatabaseCopy.Copied("session_queue", 3)), copied.toString());
            assertTrue(copied.contains(new DatabaseCopy.Copied("users", 3)), copied.toString());
            assertTrue(progress.stream().anyMatch(line -> line.startsWith("session_queue") && line.contains(" 3 rows")), progress.toString());
            assertEquals(original, dump(pg), "PostgreSQL holds the same rows");
            assertEquals("Portraits", pg.read(exec -> exec.get("SELECT name FROM workflow_library")).map(row -> Columns.textOf(row, "name"))
                    .orElseThrow(), "generated columns are computed again");
            SqlTransactions transactions = new SqlTransactions(pg);
            long next = transactions.write(tx -> new SqlQueueRepository().insert(tx, List.of(item("after")))).getFirst();
            assertEquals(4, next, "new ids continue after the copied ones");
        }
        try (Database pg = Database.open(postgres, Clock.systemUTC());
             Database back = TestDatabases.open(SqlDialect.SQLITE, folder.resolve("b"))) {
            pg.write(tx -> tx.dml("DELETE FROM session_queue WHERE session_id = 'after'"));
            new DatabaseCopy(pg, back).run(false, line -> { });
            assertEquals(original, dump(back), "and back in SQLite, the same rows again");
        }
    }

    @Test
    void aTargetWithDataIsRefusedUnchangedUnlessForced() throws Exception {
        try (Database sqlite = TestDatabases.open(SqlDialect.SQLITE, folder);
             Database pg = Database.open(TestDatabases.postgres(), Clock.systemUTC())) {
            fill(sqlite);
            pg.write(tx -> tx.dml("INSERT INTO users (user_id, email, password_hash) VALUES ('carol', 'carol@example.com', 'x')"));
            Map<String, List<String>> before = dump(pg);

            DatabaseCopy.TargetNotEmpty refused = assertThrows(DatabaseCopy.TargetNotEmpty.class,
                    () -> new DatabaseCopy(sqlite, pg).run(false, line -> { }));

            assertTrue(refused.getMessage().contains("already holds data (users: 1 row); add --force"), refused.getMessage());
            assertEquals(before, dump(pg));
            new DatabaseCopy(sqlite, pg).run(true, line -> { });
            assertEquals(dump(sqlite), dump(pg), "--force replaces what was there");
        }
    }

    private static void fill(Database db) {
        db.write(tx -> {
            tx.dml("INSERT INTO users (user_id, email, display_name, password_hash, is_admin, is_active, last_login_at) "
                    + "VALUES ('alice', 'alice@example.com', 'Alice', '$2b$12$x', TRUE, TRUE, '2026-11-01 10:00:00.123')");
            tx.dml("INSERT INTO users (user_id, email, password_hash, is_admin, is_active) VALUES ('bob', 'bob@example.com', 'y', FALSE, FALSE)");
            tx.dml("INSERT INTO images (image_name, image_origin, image_category, width, height, metadata, starred, user_id) "
                    + "VALUES ('i1.png', 'internal', 'general', 64, 64, '{\"seed\": 1}', TRUE, 'alice')");
            tx.dml("INSERT INTO images (image_name, image_origin, image_category, width, height, user_id) "
                    + "VALUES ('i2.png', 'external', 'user', 32, 48, 'bob')");
            tx.dml("INSERT INTO boards (board_id, board_name, user_id, board_visibility) VALUES ('b1', 'Cats', 'alice', 'shared')");
            tx.dml("INSERT INTO board_images (board_id, image_name) VALUES ('b1', 'i1.png')");
            tx.dml("INSERT INTO workflow_library (workflow_id, workflow, user_id, is_public) VALUES ('w1', "
                    + "'{\"name\": \"Portraits\", \"description\": \"d\", \"tags\": \"a, b\", \"meta\": {\"category\": \"user\"}}', 'alice', TRUE)");
            tx.dml("INSERT INTO models (id, config) VALUES ('m1', ?)", MODEL);
            tx.dml("INSERT INTO model_allowed_users (model_key, user_id) VALUES ('m1', 'bob')");
            tx.dml("INSERT INTO audit_log (occurred_at, actor_user_id, action, detail) VALUES ('2026-11-01 10:00:00.000', 'alice', 'login', 'ok')");
            tx.dml("INSERT INTO client_state (user_id, key, value) VALUES ('alice', 'ui', '{}')");
            return null;
        });
        SqlTransactions transactions = new SqlTransactions(db);
        transactions.write(tx -> new SqlQueueRepository().insert(tx, List.of(item("s1"), item("s2"), item("s3"))));
        transactions.write(tx -> new SqlQueueRepository().transition(tx, 2, org.invokej.core.queue.QueueStatus.IN_PROGRESS, null, null, null));
    }

    private static NewQueueItem item(String session) {
        return new NewQueueItem("default", "batch", session, 0, "alice", "generate", "gallery", null,
                Map.of("id", session, "graph", Map.of("nodes", Map.of())), null, null);
    }

    /** Every stored row of every table as text, booleans as 0/1, in key order: what must survive a copy. */
    private static Map<String, List<String>> dump(Database db) throws Exception {
        Map<String, List<String>> tables = new TreeMap<>();
        try (Connection connection = db.connection(); Statement statement = connection.createStatement();
             ResultSet names = statement.executeQuery(db.dialect().tablesQuery())) {
            List<String> list = new ArrayList<>();
            while (names.next()) {
                if (!names.getString(1).equals("flyway_schema_history")) {
                    list.add(names.getString(1));
                }
            }
            for (String table : list) {
                List<String> rows = new ArrayList<>();
                try (Statement select = connection.createStatement(); ResultSet row = select.executeQuery("SELECT * FROM " + table)) {
                    int columns = row.getMetaData().getColumnCount();
                    while (row.next()) {
                        Map<String, String> values = new TreeMap<>();
                        for (int i = 1; i <= columns; i++) {
                            Object value = row.getObject(i);
                            values.put(row.getMetaData().getColumnName(i), value instanceof Boolean b ? (b ? "1" : "0")
                                    : value instanceof Number n ? Long.toString(n.longValue()) : String.valueOf(value));
                        }
                        rows.add(values.toString());
                    }
                }
                rows.sort(null);
                tables.put(table, rows);
            }
        }
        return tables;
    }
}

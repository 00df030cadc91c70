package org.invokej.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The change signal sees commits of this process's pool and of another process, and nothing else. */
class SqliteDataVersionTest {

    @TempDir
    Path root;

    @Test
    void changesWithEveryCommitFromThePoolOrAnotherProcessAndOnlyThen() throws Exception {
        Path file = root.resolve("invokeai.db");
        try (Database db = Database.open(file, Clock.systemUTC()); SqliteDataVersion version = new SqliteDataVersion(file)) {
            OptionalLong first = version.current();
            assertTrue(first.isPresent());
            db.read(exec -> exec.get("SELECT COUNT(*) AS n FROM users"));
            assertEquals(first, version.current(), "reads change nothing");

            db.write(tx -> tx.dml("UPDATE users SET display_name = 'Changed' WHERE user_id = 'system'"));
            OptionalLong afterPool = version.current();
            assertNotEquals(first, afterPool, "a commit of the server's own pool");
            assertEquals(afterPool, version.current());

            Process sqlite = new ProcessBuilder("sqlite3", file.toString(),
                    "UPDATE users SET display_name = 'By sqlite3' WHERE user_id = 'system'").redirectErrorStream(true).start();
            assertEquals(0, sqlite.waitFor(), new String(sqlite.getInputStream().readAllBytes()));
            assertNotEquals(afterPool, version.current(), "a commit of another process");
        }
    }
}

package org.invokej.operations;

import org.invokej.testing.Scripts;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestPostgres;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code invokej backup} and {@code restore} of a root whose database is PostgreSQL: {@code pg_dump}'s custom
 * format, read back whole; restored with {@code pg_restore} to exactly the backup's rows; a database with
 * tables is replaced only with {@code --force}, and dumped first; every refusal one line.
 */
class PostgresBackupTest {

    @TempDir
    Path root;
    @TempDir
    Path work;

    private static Map<String, String> settings(String url) {
        return Map.of("database_url", url, "database_user", TestPostgres.server().user(),
                "database_password", TestPostgres.server().password(), "bcrypt_cost", "4");
    }

    private static void writeConfig(Path root, String url) throws Exception {
        Files.createDirectories(root);
        // the password stays out of the file, as the README advises: the commands get it from the environment
        Files.writeString(root.resolve("invokeai.yaml"), "database_url: " + url + "\ndatabase_user: " + TestPostgres.server().user() + "\n");
    }

    private static Scripts.Result invokej(Map<String, String> environment, String... args) {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.put("INVOKEAI_DATABASE_PASSWORD", TestPostgres.server().password());
        return Scripts.run("invokej", List.of(args), all, null, Duration.ofMinutes(3));
    }

    private static Scripts.Result invokej(String... args) {
        return invokej(Map.of(), args);
    }

    @Test
    void aBackupRestoresToExactlyItsRowsAndImagesAndWhatCouldLoseDataIsRefused() throws Exception {
        String url = TestPostgres.server().newDatabase();
        writeConfig(root, url);
        Set<String> images = new TreeSet<>();
        Path zip;
        Path folder = work.resolve("backups");
        List<Path> plain = new ArrayList<>();
        try (TestServer server = TestServer.start(root, settings(url))) {
            for (int i = 0; i < 3; i++) {
                images.add(TestImages.uploadPng(server.client(), null));
            }
            // taken while the server runs
            Scripts.Result withImages = invokej("backup", "--root", root.toString(), "--with-images");
            assertEquals(0, withImages.exitCode(), withImages.toString());
            zip = Path.of(withImages.stdout().strip());
            assertTrue(zip.getFileName().toString().matches("invokej-backup-[0-9-]+\\.zip"), withImages.toString());
            assertTrue(withImages.stderr().contains("3 images"), withImages.toString());
            assertFalse(withImages.toString().contains(TestPostgres.server().password()), "the password is never shown");
            for (int i = 0; i < 3; i++) {
                Scripts.Result backup = invokej("backup", "--root", root.toString(), "--to", folder.toString(), "--keep", "2");
                assertEquals(0, backup.exitCode(), backup.toString());
                plain.add(Path.of(backup.stdout().strip()));
            }
            // a restore while a server uses the database would be overwritten by it
            writeConfig(work.resolve("other"), url);
            assertOneLineRefusal(invokej("restore", plain.getLast().toString(), "--root", work.resolve("other").toString(), "--force"),
                    "stop every server and worker", null);
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(new TreeSet<>(plain.subList(1, 3)), new TreeSet<>(files.toList()), "--keep 2 keeps the newest two");
        }
        assertTrue(plain.getLast().getFileName().toString().endsWith(".pgdump"), plain.toString());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(plain.getLast())));
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            assertTrue(archive.getEntry("databases/invokeai.pgdump") != null);
            for (String image : images) {
                assertTrue(archive.getEntry("images/" + image) != null, image);
            }
        }
        Map<String, Long> original = rowCounts(url);
        assertEquals(3L, original.get("images"));

        // onto a new machine: a new root and an empty database
        String fresh = TestPostgres.server().newDatabase();
        Path elsewhere = work.resolve("elsewhere");
        writeConfig(elsewhere, fresh);
        Scripts.Result restored = invokej("restore", zip.toString(), "--root", elsewhere.toString());
        assertEquals(0, restored.exitCode(), restored.toString());
        assertEquals(original, rowCounts(fresh), "every table, every row");
        // the restored database's processes share this root's folders from now on: the restore marks them
        assertTrue(restored.stderr().contains("Marked " + elsewhere.resolve("outputs").resolve("images")), restored.toString());
        try (TestServer server = TestServer.start(elsewhere, settings(fresh))) {
            for (String image : images) {
                assertEquals(200, server.client().get("/api/v1/images/i/" + image + "/full").status(), image);
            }
        }

        // a database with tables is replaced only with --force, and kept as a dump
        assertOneLineRefusal(invokej("restore", plain.getLast().toString(), "--root", elsewhere.toString()), "add --force", null);
        try (Connection db = connect(fresh)) {
            db.createStatement().execute("DELETE FROM board_images");
            db.createStatement().execute("DELETE FROM images");
        }
        Scripts.Result forced = invokej("restore", plain.getLast().toString(), "--root", elsewhere.toString(), "--force");
        assertEquals(0, forced.exitCode(), forced.toString());
        assertEquals(original, rowCounts(fresh));
        try (Stream<Path> files = Files.list(elsewhere.resolve("databases"))) {
            List<Path> kept = files.filter(file -> file.getFileName().toString().matches("invokeai_before_restore_[0-9-]+\\.pgdump")).toList();
            assertEquals(1, kept.size(), "the replaced database was dumped first");
        }

        Path damaged = work.resolve("damaged.pgdump");
        byte[] bytes = Files.readAllBytes(plain.getLast());
        Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length * 2 / 3));
        assertOneLineRefusal(invokej("restore", damaged.toString(), "--root", elsewhere.toString(), "--force"), "damaged", null);
        Path notADump = Files.writeString(work.resolve("text.pgdump"), "hello");
        assertOneLineRefusal(invokej("restore", notADump.toString(), "--root", elsewhere.toString(), "--force"), "not a pg_dump archive", null);
        assertEquals(original, rowCounts(fresh), "refused restores change nothing");

        Path noTools = Files.createDirectories(work.resolve("empty-bin"));
        assertOneLineRefusal(invokej(Map.of("INVOKEJ_PG_BIN", noTools.toString()), "backup", "--root", root.toString()),
                "pg_dump", "apt-get install postgresql-client");
    }

    private static void assertOneLineRefusal(Scripts.Result result, String part, String alsoPart) {
        assertEquals(1, result.exitCode(), result.toString());
        List<String> lines = result.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), result.toString());
        assertTrue(lines.getFirst().contains(part), result.toString());
        assertTrue(alsoPart == null || lines.getFirst().contains(alsoPart), result.toString());
        assertFalse(lines.getFirst().contains("Exception"), result.toString());
    }

    private static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection("jdbc:" + url, TestPostgres.server().user(), TestPostgres.server().password());
    }

    private static Map<String, Long> rowCounts(String url) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection db = connect(url)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = db.createStatement().executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet row = db.createStatement().executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                    row.next();
                    counts.put(table, row.getLong(1));
                }
            }
        }
        return counts;
    }
}

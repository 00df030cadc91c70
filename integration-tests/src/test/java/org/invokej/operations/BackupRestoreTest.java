package org.invokej.operations;

import org.invokej.testing.Scripts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code invokej backup} taken from a running server while it writes, and {@code invokej restore} putting
 * it back: the restored database holds exactly the backup's rows, its images are served, and what could
 * destroy data is refused with one line and exit status 1.
 */
class BackupRestoreTest {

    private static final String UPLOAD = "image_category=general&is_intermediate=false";

    @TempDir
    Path root;
    @TempDir
    Path work;

    @Test
    void aBackupTakenWhileTheServerWritesIsConsistentAndRestoresToExactlyItsData() throws Exception {
        Set<String> beforeBackup = new TreeSet<>();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Path zip;
        Path database = root.resolve("databases").resolve("invokeai.db");
        try (TestServer server = TestServer.start(root, Map.of("bcrypt_cost", "4"))) {
            TestClient client = server.client();
            for (int i = 0; i < 5; i++) {
                beforeBackup.add(TestImages.uploadPng(client, null));
            }
            AtomicBoolean stop = new AtomicBoolean();
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                while (!stop.get()) {
                    TestResponse response = TestImages.upload(client, TestImages.png(32, 32), "image/png", UPLOAD, Map.of());
                    assertEquals(201, response.status(), response.toString());
                    acknowledged.add(response.json().path("image_name").asText());
                }
            });
            Scripts.Result backup;
            Scripts.Result plain;
            try {
                backup = Scripts.run("invokej", "backup", "--root", root.toString(), "--with-images");
                plain = Scripts.run("invokej", "backup", "--root", root.toString(), "--to", work.resolve("plain").toString());
            } finally {
                stop.set(true);
                writer.get(60, TimeUnit.SECONDS);
            }
            assertEquals(0, backup.exitCode(), backup.toString());
            assertTrue(backup.stderr().contains("integrity ok"), backup.toString());
            assertTrue(backup.stderr().contains("Images: "), "progress for images: " + backup);
            zip = Path.of(backup.stdout().strip());
            assertTrue(zip.getFileName().toString().matches("invokej-backup-\\d{8}-\\d{6}-\\d{3}\\.zip"), zip.toString());
            assertEquals(root.resolve("backups"), zip.getParent());
            assertEquals(0, plain.exitCode(), plain.toString());
            Path plainCopy = Path.of(plain.stdout().strip());
            assertEquals(List.of("ok"), integrityCheck(plainCopy));
            assertTrue(acknowledged.size() > 0, "the server was writing meanwhile");

            // refused while the server runs: the root lock tells
            Scripts.Result running = Scripts.run("invokej", "restore", zip.toString(), "--root", root.toString(), "--force");
            assertOneLineRefusal(running, "running");
            TestImages.uploadPng(client, null); // written after the backup: gone after the restore
        }
        Path extracted = work.resolve("from-zip.db");
        try (ZipFile file = new ZipFile(zip.toFile()); InputStream in = file.getInputStream(file.getEntry("databases/invokeai.db"))) {
            Files.copy(in, extracted);
        }
        assertEquals(List.of("ok"), integrityCheck(extracted));
        Set<String> inBackup = imageNames(extracted);
        assertTrue(inBackup.containsAll(beforeBackup), "what was acknowledged before the backup is in it");

        String hashBefore = sha256(database);
        Scripts.Result unforced = Scripts.run("invokej", "restore", zip.toString(), "--root", root.toString());
        assertOneLineRefusal(unforced, "--force");
        assertEquals(hashBefore, sha256(database), "a refused restore changes nothing");

        Scripts.Result restore = Scripts.run("invokej", "restore", zip.toString(), "--root", root.toString(), "--force");
        assertEquals(0, restore.exitCode(), restore.toString());
        assertEquals(tables(extracted), tables(database), "the restored database holds exactly the backup's rows");
        try (Stream<Path> kept = Files.list(database.getParent())) {
            Path aside = kept.filter(f -> f.getFileName().toString().matches("invokeai_before_restore_\\d{8}-\\d{6}\\.db")).findFirst()
                    .orElseThrow(() -> new AssertionError("the replaced database is kept: " + restore));
            assertEquals(hashBefore, sha256(aside), "kept as it was");
        }

        // on a new machine: a new root from the zip alone, images included
        Path elsewhere = work.resolve("new-root");
        Scripts.Result fresh = Scripts.run("invokej", "restore", zip.toString(), "--root", elsewhere.toString());
        assertEquals(0, fresh.exitCode(), fresh.toString());
        for (Path restoredRoot : List.of(root, elsewhere)) {
            try (TestServer server = TestServer.start(restoredRoot, Map.of("bcrypt_cost", "4"))) {
                Set<String> listed = new TreeSet<>();
                server.client().get("/api/v1/images/?limit=1000").json().path("items")
                        .forEach(item -> listed.add(item.path("image_name").asText()));
                assertEquals(inBackup, listed, "the backup's images, no more, in " + restoredRoot);
                for (String name : inBackup) {
                    assertEquals(200, server.client().get("/api/v1/images/i/" + name + "/full").status(), name);
                    assertEquals(200, server.client().get("/api/v1/images/i/" + name + "/thumbnail").status(), name);
                }
            }
        }
    }

    @Test
    void oldBackupsRotateOutAndWhatCouldLoseDataIsRefusedWithOneLine() throws Exception {
        try (TestServer server = TestServer.start(root, Map.of("bcrypt_cost", "4"))) {
            TestImages.uploadPng(server.client(), null);
        }
        Path folder = work.resolve("rotating");
        List<Path> made = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Scripts.Result backup = Scripts.run("invokej", "backup", "--root", root.toString(), "--to", folder.toString(), "--keep", "2");
            assertEquals(0, backup.exitCode(), backup.toString());
            made.add(Path.of(backup.stdout().strip()));
        }
        try (Stream<Path> files = Files.list(folder)) {
            assertEquals(new TreeSet<>(made.subList(2, 4)), new TreeSet<>(files.toList()), "the newest two are kept");
        }
        if (org.invokej.persistence.PrivateFiles.supported()) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(made.get(3))));
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        }

        assertOneLineRefusal(Scripts.run("invokej", "backup", "--root", root.toString(), "--keep", "0"), "--keep");
        Path aFile = Files.writeString(work.resolve("a-file"), "not a folder");
        assertOneLineRefusal(Scripts.run("invokej", "backup", "--root", root.toString(), "--to", aFile.toString()), "not a folder");
        assertOneLineRefusal(Scripts.run("invokej", "backup", "--root", work.resolve("nowhere").toString()), "No such folder");
        Path database = root.resolve("databases").resolve("invokeai.db");
        String hash = sha256(database);
        assertOneLineRefusal(Scripts.run("invokej", "restore", work.resolve("missing.db").toString(), "--root", root.toString(), "--force"),
                "No such file");
        assertOneLineRefusal(Scripts.run("invokej", "restore", aFile.toString(), "--root", root.toString(), "--force"),
                "not a usable SQLite database");
        Path notAZip = Files.writeString(work.resolve("fake.zip"), "not a zip");
        assertOneLineRefusal(Scripts.run("invokej", "restore", notAZip.toString(), "--root", root.toString(), "--force"), "zip");
        assertEquals(hash, sha256(database), "refused restores change nothing");
    }

    private static void assertOneLineRefusal(Scripts.Result result, String part) {
        assertEquals(1, result.exitCode(), result.toString());
        List<String> lines = result.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), result.toString());
        assertTrue(lines.getFirst().contains(part), result.toString());
        assertFalse(lines.getFirst().contains("Exception"), result.toString());
    }

    private static List<String> integrityCheck(Path database) throws SQLException {
        List<String> result = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             ResultSet rows = db.createStatement().executeQuery("PRAGMA integrity_check")) {
            while (rows.next()) {
                result.add(rows.getString(1));
            }
        }
        return result;
    }

    private static Set<String> imageNames(Path database) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
             ResultSet rows = db.createStatement().executeQuery("SELECT image_name FROM images")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** Every table's rows, each as text, sorted. */
    private static Map<String, List<String>> tables(Path database) throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            List<String> names = new ArrayList<>();
            try (ResultSet rows = db.createStatement().executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
            for (String name : names) {
                List<String> rows = new ArrayList<>();
                try (ResultSet result = db.createStatement().executeQuery("SELECT * FROM \"" + name + "\"")) {
                    ResultSetMetaData meta = result.getMetaData();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int column = 1; column <= meta.getColumnCount(); column++) {
                            row.append(result.getString(column)).append('|');
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                tables.put(name, rows);
            }
        }
        return tables;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

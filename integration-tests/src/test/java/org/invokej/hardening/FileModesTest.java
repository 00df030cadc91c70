package org.invokej.hardening;

import org.invokej.persistence.DatabaseUnusableException;
import org.invokej.testing.Scripts;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The database holds the token secret and every password hash: only its owner may read it. */
class FileModesTest {

    @TempDir
    Path root;

    private String mode(String relative) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve(relative)));
    }

    private void chmod(String relative, String mode) throws IOException {
        Files.setPosixFilePermissions(root.resolve(relative), PosixFilePermissions.fromString(mode));
    }

    @Test
    void aNewRootKeepsItsSecretsOwnerOnly() throws IOException {
        try (TestServer server = TestServer.start(root, Map.of("multiuser", "true"))) {
            assertEquals(200, server.client().get("/api/v1/auth/status").status());
            assertEquals("rwx------", mode("databases"));
            assertEquals("rw-------", mode("databases/invokeai.db"));
            assertEquals("rw-------", mode("databases/invokeai.db-wal"));
            assertEquals("rw-------", mode("databases/invokeai.db-shm"));
            assertEquals("rw-------", mode("invokeai.yaml"));
        }
    }

    @Test
    void filesOthersMayReadAreTightenedAtStartWithALogLine() throws IOException {
        TestServer.start(root).close();
        chmod("databases", "rwxr-xr-x");
        chmod("databases/invokeai.db", "rw-r--r--");
        Files.writeString(root.resolve("databases/invokeai_backup_20260101_000000.db"), "");
        chmod("databases/invokeai_backup_20260101_000000.db", "rw-r--r--");
        List<String> lines = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("org.invokej.persistence.PrivateFiles");
        logger.addHandler(capture);
        java.util.logging.Level level = logger.getLevel();
        logger.setLevel(java.util.logging.Level.INFO);
        try (TestServer server = TestServer.start(root)) {
            assertEquals("rwx------", mode("databases"));
            assertEquals("rw-------", mode("databases/invokeai.db"));
            assertEquals("rw-------", mode("databases/invokeai_backup_20260101_000000.db"));
        } finally {
            logger.setLevel(level);
            logger.removeHandler(capture);
        }
        assertEquals(3, lines.stream().filter(line -> line.startsWith("Made ") && line.contains("owner-only")).count(), lines.toString());
    }

    @Test
    void aDatabaseOthersMayWriteIsRefused() throws IOException {
        TestServer.start(root).close();
        chmod("databases/invokeai.db", "rw-rw-r--");
        DatabaseUnusableException refused = assertThrows(DatabaseUnusableException.class, () -> TestServer.start(root));
        assertTrue(refused.getMessage().contains(root.resolve("databases/invokeai.db").toString())
                && refused.getMessage().contains("writable by other users"), refused.getMessage());
        assertEquals("rw-rw-r--", mode("databases/invokeai.db"), "left for its owner to check");
    }

    @Test
    void aDatabaseFolderOthersMayWriteStopsTheServerWithOneLine() throws IOException {
        TestServer.start(root).close();
        chmod("databases", "rwxrwxrwx");
        Scripts.Result result = Scripts.run("invokeai-web", List.of("--root", root.toString(), "--port", "0"), Map.of(), null, Duration.ofMinutes(2));
        assertEquals(1, result.exitCode(), result.toString());
        List<String> errors = result.stderr().lines().filter(line -> line.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), result.toString());
        assertTrue(errors.get(0).contains(root.resolve("databases").toString()) && errors.get(0).contains("chmod 700"), errors.get(0));
        assertFalse(result.stderr().contains("\tat "), result.toString());
    }
}

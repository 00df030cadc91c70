package org.invokej.hardening;

import org.invokej.testing.Scripts;
import org.invokej.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** InvokeAI's {@code log_handlers: [console, file=PATH]}: the log also goes to a file in the root, rotated by size. */
class LogFileTest {

    @TempDir
    Path root;

    @Test
    void theLogGoesToAFileInTheRootRotatedBySizeKeepingTheConfiguredNumberOfFiles() throws Exception {
        Files.writeString(root.resolve("invokeai.yaml"), """
                log_level: debug
                log_handlers:
                  - console
                  - file=logs/invokej.log
                  - syslog=/dev/log
                log_file_max_size: 4KiB
                log_file_count: 3
                """);
        Process server = Scripts.start("invokeai-web", List.of("--root", root.toString(), "--port", "0"), Map.of());
        CompletableFuture<String> stderr = Scripts.drain(server.getErrorStream());
        try {
            TestClient client = new TestClient(StartupFailuresTest.awaitRunning(server));
            for (int i = 0; i < 150; i++) {
                assertEquals(200, client.get("/api/v1/app/version").status());
            }
            assertEquals(200, client.get("/api/v1/app/app_deps").status()); // the last request
        } finally {
            server.toHandle().destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        }
        String console = stderr.get(10, TimeUnit.SECONDS);
        assertTrue(console.contains("Ignoring the log handler 'syslog=/dev/log'"), console);
        assertTrue(console.contains("GET /api/v1/app/app_deps"), "the console still logs");

        Path logs = root.resolve("logs");
        try (var files = Files.list(logs)) {
            assertEquals(List.of("invokej.log.0", "invokej.log.1", "invokej.log.2"),
                    files.map(file -> file.getFileName().toString()).filter(name -> !name.endsWith(".lck")).sorted().toList(),
                    "three files of at most 4 KiB (and the last record)");
        }
        for (int generation = 0; generation < 3; generation++) {
            Path file = logs.resolve("invokej.log." + generation);
            // rotated after the record that reaches the limit: a debug record (headers, a trace) may be long
            assertTrue(Files.size(file) <= 4096 + 8192, file + " is " + Files.size(file) + " bytes");
        }
        // The last request's line is in the newest file, or in the one before when the file turned over right after
        // it (the shutdown's lines then open the newest).
        String newest = Files.readString(logs.resolve("invokej.log.1")) + Files.readString(logs.resolve("invokej.log.0"));
        assertTrue(newest.lines().anyMatch(line -> line.contains(" DEBUG ") && line.contains("GET /api/v1/app/app_deps")),
                "an access line is a debug record:\n" + newest);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE),
                Files.getPosixFilePermissions(logs), "the log names users: it is the owner's");
        assertFalse(Files.readString(logs.resolve("invokej.log.2")).contains("GET /api/v1/app/app_deps"));
        assertFalse(Files.readString(logs.resolve("invokej.log.2")).contains("Ignoring the log handler"),
                "the oldest lines were rotated out");
    }

    @Test
    void atInfoTheFileHasTheServersLinesButNoAccessLinesAndTheConsoleCanBeLeftOut() throws Exception {
        Files.writeString(root.resolve("invokeai.yaml"), "log_handlers: ['file=server.log']\n");
        Process server = Scripts.start("invokeai-web", List.of("--root", root.toString(), "--port", "0"), Map.of());
        CompletableFuture<String> stderr = Scripts.drain(server.getErrorStream());
        try {
            TestClient client = new TestClient(StartupFailuresTest.awaitRunning(server));
            assertEquals(200, client.get("/api/v1/app/version").status());
        } finally {
            server.toHandle().destroy();
            assertTrue(server.waitFor(60, TimeUnit.SECONDS));
        }
        String file = Files.readString(root.resolve("server.log.0"));
        assertTrue(file.contains(" INFO  InvokeServer: InvokeJ ") && file.contains(" serves "), file);
        assertFalse(file.contains("/api/v1/app/version"), "no access line at info:\n" + file);
        assertFalse(stderr.get(10, TimeUnit.SECONDS).contains("InvokeServer:"), "no console handler, no log on the console");
    }

    @Test
    void anUnknownLogHandlerStopsStartUpWithOneLine() throws Exception {
        Files.writeString(root.resolve("invokeai.yaml"), "log_handlers: [console, carrier-pigeon]\n");
        Scripts.Result refused = Scripts.run("invokeai-web", List.of("--root", root.toString(), "--port", "0"), Map.of(), null,
                Duration.ofMinutes(2));
        assertEquals(1, refused.exitCode(), refused.toString());
        assertEquals(1, refused.stderr().strip().lines().count(), refused.toString());
        assertTrue(refused.stderr().contains("log_handlers") && refused.stderr().contains("carrier-pigeon"), refused.toString());
        assertFalse(Files.exists(root.resolve("logs")));
    }
}

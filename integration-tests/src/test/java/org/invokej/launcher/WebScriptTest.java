package org.invokej.launcher;

import org.invokej.testing.Scripts;
import org.invokej.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bin/invokeai-web} as a person runs it: a real process on a temporary root. */
class WebScriptTest {

    private static final Pattern RUNNING = Pattern.compile("InvokeJ is running at (http://\\S+)");

    @TempDir
    Path root;

    @Test
    void helpPrintsTheOptions() {
        Scripts.Result result = Scripts.run("invokeai-web", "--help");
        assertEquals(0, result.exitCode(), result.toString());
        for (String option : List.of("--root", "--host", "--port", "--log-level")) {
            assertTrue(result.stdout().contains(option), option + " missing in\n" + result);
        }
    }

    @Test
    void startsServesAndStopsCleanlyOnSigterm() throws Exception {
        Process process = Scripts.start("invokeai-web", List.of("--root", root.toString(), "--port", "0", "--log-level", "DEBUG"), Map.of());
        CompletableFuture<String> stderr = Scripts.drain(process.getErrorStream());
        try {
            URI uri = awaitRunning(process);
            assertEquals(200, new TestClient(uri).get("/api/v1/app/version").status());

            Scripts.Result mode = Scripts.runCommand(List.of("sqlite3", root.resolve("databases/invokeai.db").toString(), "PRAGMA journal_mode"));
            assertEquals("wal", mode.stdout().strip(), mode.toString());
            Scripts.Result secret = Scripts.runCommand(List.of("sqlite3", root.resolve("databases/invokeai.db").toString(),
                    "SELECT length(value) FROM app_settings WHERE key = 'jwt_secret'"));
            assertEquals("64", secret.stdout().strip(), secret.toString());

            process.toHandle().destroy(); // SIGTERM, without closing our ends of its pipes as Process.destroy() does
            assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server stops after SIGTERM");
            String log = stderr.get(10, TimeUnit.SECONDS);
            assertTrue(log.contains("InvokeJ stopped."), log);
            Path wal = root.resolve("databases/invokeai.db-wal");
            assertFalse(Files.exists(wal) && Files.size(wal) > 0, "the database was closed cleanly:\n" + log);
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aBadValueInTheConfigFileStopsWithOneLineAndWritesNothing() throws IOException {
        Files.writeString(root.resolve("invokeai.yaml"), "multiuser: maybe\n");
        Scripts.Result result = Scripts.run("invokeai-web", List.of("--root", root.toString()), Map.of(), null, Duration.ofMinutes(2));
        assertEquals(1, result.exitCode(), result.toString());
        List<String> errors = result.stderr().lines().filter(line -> line.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), result.toString());
        assertTrue(errors.get(0).contains("'multiuser'") && errors.get(0).contains(root.resolve("invokeai.yaml").toString()), errors.get(0));
        assertFalse(result.stderr().contains("\tat "), "no stack trace:\n" + result);
        assertFalse(Files.exists(root.resolve("databases")), "nothing was written");
    }

    @Test
    void aBadFlagStopsWithOneLineAndCreatesNoRoot() {
        Path fresh = root.resolve("fresh");
        Scripts.Result result = Scripts.run("invokeai-web", List.of("--root", fresh.toString(), "--port", "abc"), Map.of(), null, Duration.ofMinutes(2));
        assertEquals(1, result.exitCode(), result.toString());
        assertTrue(result.stderr().contains("Invalid value for 'port' given as --port"), result.toString());
        assertFalse(Files.exists(fresh));
    }

    @Test
    void theRootComesFromTheEnvironmentWhenNoFlagIsGiven() throws Exception {
        Files.writeString(root.resolve("invokeai.yaml"), "port: 0\n");
        Process process = Scripts.start("invokeai-web", List.of(), Map.of("INVOKEAI_ROOT", root.toString()));
        try {
            URI uri = awaitRunning(process);
            assertEquals(200, new TestClient(uri).get("/api/v1/app/version").status());
            assertTrue(Files.exists(root.resolve("databases/invokeai.db")));
        } finally {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static URI awaitRunning(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher matcher = RUNNING.matcher(line);
            if (matcher.find()) {
                return URI.create(matcher.group(1));
            }
        }
        throw new IllegalStateException("the server exited before it was running (exit " + process.exitValue() + ")");
    }
}

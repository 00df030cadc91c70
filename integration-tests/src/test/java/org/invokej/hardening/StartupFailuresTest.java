package org.invokej.hardening;

import org.invokej.testing.Scripts;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a person sees when the server cannot start: one line naming the cause and the remedy, exit status 1. */
class StartupFailuresTest {

    private static final Pattern RUNNING = Pattern.compile("InvokeJ is running at (http://\\S+)");

    @TempDir
    Path root;

    private static String oneErrorLine(Scripts.Result result) {
        assertEquals(1, result.exitCode(), result.toString());
        List<String> errors = result.stderr().lines().filter(line -> line.startsWith("Error:")).toList();
        assertEquals(1, errors.size(), result.toString());
        assertFalse(result.stderr().contains("\tat "), "no stack trace:\n" + result);
        assertFalse(result.stdout().contains("is running"), result.toString());
        return errors.get(0);
    }

    @Test
    void aPortInUseIsNamedAndTheProcessExits() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Scripts.Result result = Scripts.run("invokeai-web", List.of("--root", root.toString(), "--port", Integer.toString(port)),
                    Map.of(), null, Duration.ofMinutes(2));
            String error = oneErrorLine(result);
            assertTrue(error.contains(Integer.toString(port)) && error.contains("--port"), error);
        }
    }

    @Test
    void aSecondServerOnTheSameRootRefusesToStart() throws Exception {
        Process first = Scripts.start("invokeai-web", List.of("--root", root.toString(), "--port", "0"), Map.of());
        try {
            Scripts.drain(first.getErrorStream());
            awaitRunning(first);
            Scripts.Result second = Scripts.run("invokeai-web", List.of("--root", root.toString(), "--port", "0"),
                    Map.of(), null, Duration.ofMinutes(2));
            String error = oneErrorLine(second);
            assertTrue(error.contains("already") && error.contains(root.toString()), error);
            // The command-line tools that write keep working while the server runs.
            Scripts.Result list = Scripts.run("invoke-userlist", List.of("--root", root.toString()), Map.of(), null, Duration.ofMinutes(2));
            assertEquals(0, list.exitCode(), list.toString());
        } finally {
            first.toHandle().destroy();
            first.waitFor(30, TimeUnit.SECONDS);
            first.destroyForcibly();
        }
    }

    @Test
    void theLockIsReleasedWhenTheServerStops() {
        TestServer.start(root).close();
        try (TestServer again = TestServer.start(root)) {
            assertEquals(200, again.client().get("/api/v1/app/version").status());
        }
    }

    @Test
    void aSecondServerInTheSameProcessIsRefusedToo() {
        try (TestServer first = TestServer.start(root)) {
            RuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> TestServer.start(root));
            assertTrue(refused.getMessage().contains("already"), refused.getMessage());
            assertEquals(200, first.client().get("/api/v1/app/version").status());
        }
    }

    @Test
    void aReadOnlyDatabaseIsSaidInOneLine() throws Exception {
        TestServer.start(root).close();
        Path database = root.resolve("databases/invokeai.db");
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("r--------"));
        Scripts.Result result = runAsOwnerOfRoot(List.of("web", "--root", root.toString(), "--port", "0"));
        String error = oneErrorLine(result);
        assertTrue(error.contains(database.toString()) && error.contains("read-only"), error);
    }

    /**
     * Runs the launcher as a user that file modes apply to: this process's user, or, when the tests run as
     * root (whom modes do not stop), an unprivileged user that is made owner of the root.
     */
    private Scripts.Result runAsOwnerOfRoot(List<String> args) throws IOException, InterruptedException {
        assertEquals(0, Scripts.run("invokej", "--version").exitCode(), "the launcher is built");
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            Scripts.Result chown = Scripts.runCommand(List.of("chown", "-R", "65534:65534", root.toString()));
            assertEquals(0, chown.exitCode(), chown.toString());
            command.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        }
        command.addAll(List.of(java.toString(), "-Duser.home=" + root, "-jar",
                Scripts.projectRoot().resolve("launcher/target/invokej.jar").toString()));
        command.addAll(args);
        return Scripts.runCommand(command);
    }

    static URI awaitRunning(Process process) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            Matcher matcher = RUNNING.matcher(line);
            if (matcher.find()) {
                Scripts.drain(process.getInputStream());
                return URI.create(matcher.group(1));
            }
        }
        throw new IllegalStateException("the server exited before it was running (exit " + process.exitValue() + ")");
    }
}

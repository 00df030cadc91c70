package org.invokej.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the project's scripts in {@code bin/} as real processes, the way a person or a cron job does:
 * with a clean environment (plus what the test adds), the given standard input, and a time limit.
 */
public final class Scripts {

    private Scripts() {
    }

    /** What a finished process did. */
    public record Result(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }

    /** The checkout's top folder (the one holding {@code bin/invokej}). */
    public static Path projectRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isExecutable(dir.resolve("bin/invokej"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("No bin/invokej above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** The path of {@code bin/<name>}. */
    public static Path script(String name) {
        return projectRoot().resolve("bin").resolve(name);
    }

    /** Runs {@code bin/<name> args…} to completion. */
    public static Result run(String name, List<String> args, Map<String, String> environment, String stdin, Duration timeout) {
        return finish(start(name, args, environment), stdin, timeout, "bin/" + name + " " + args);
    }

    /** Runs any command (e.g. {@code sqlite3}) to completion, as an administrator would type it. */
    public static Result runCommand(List<String> command) {
        return runCommand(command, null);
    }

    /** Runs any command to completion with {@code stdin} (or nothing) as its input. */
    public static Result runCommand(List<String> command, String stdin) {
        try {
            return finish(new ProcessBuilder(command).start(), stdin, Duration.ofMinutes(1), command.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result finish(Process process, String stdin, Duration timeout, String what) {
        try {
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException ignored) {
                // The process may exit without reading its input; that is its business.
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(what + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs {@code bin/<name> args…} with no input and a two-minute limit. */
    public static Result run(String name, String... args) {
        return run(name, List.of(args), Map.of(), null, Duration.ofMinutes(2));
    }

    /** Starts {@code bin/<name> args…} and leaves it running; the caller reads its streams and stops it. */
    public static Process start(String name, List<String> args, Map<String, String> environment) {
        List<String> command = new ArrayList<>();
        command.add(script(name).toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(projectRoot().toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("INVOKEAI_") || key.equals("VIRTUAL_ENV"));
        env.putAll(environment);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a stream to its end on a thread of its own (never the common pool, which has one thread on 2 cores). */
    public static CompletableFuture<String> drain(java.io.InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, Thread.ofVirtual()::start);
    }
}

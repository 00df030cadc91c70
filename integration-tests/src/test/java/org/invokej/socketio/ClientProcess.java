package org.invokej.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.testing.Scripts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real Socket.IO client in a process of its own, printing what happens to it as JSON lines: Debian's
 * python-socketio ({@code events_client.py}) or socket.io-client from npm ({@code events-client.mjs}).
 * Closing its standard input makes it disconnect and exit.
 */
final class ClientProcess implements AutoCloseable {

    /** The two client libraries. */
    enum Kind {
        PYTHON, NODE
    }

    /** Which transports the client may use, as the scripts' INVOKEJ_TRANSPORTS says it. */
    enum Transports {
        /** WebSocket only. */
        WEBSOCKET("websocket"),
        /** The libraries' default: long-polling first, then the upgrade to a WebSocket. */
        DEFAULT("default"),
        /** Long-polling only. */
        POLLING("polling");

        final String variable;

        Transports(String variable) {
            this.variable = variable;
        }
    }

    /** One client library with one choice of transports. */
    record Setup(Kind kind, Transports transports) {
        /** Every library with every choice. */
        static java.util.stream.Stream<Setup> all() {
            return java.util.Arrays.stream(Kind.values())
                    .flatMap(kind -> java.util.Arrays.stream(Transports.values()).map(transports -> new Setup(kind, transports)));
        }

        /** The transport the client ends up on. */
        String finalTransport() {
            return transports == Transports.POLLING ? "polling" : "websocket";
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Process process;
    private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    private final CompletableFuture<String> stderr;

    private ClientProcess(Process process) {
        this.process = process;
        this.stderr = Scripts.drain(process.getErrorStream());
        Thread.ofVirtual().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(MAPPER.readTree(line));
                }
            } catch (IOException e) {
                // The process ended; what it printed is in the queue.
            }
        });
    }

    /**
     * Starts a client of {@code kind} on {@code server}'s {@code path}, with {@code token} (or none) and
     * following {@code queueId} (or none); {@code environment} holds the scripts' INVOKEJ_* switches.
     */
    static ClientProcess start(Setup setup, URI server, String path, String token, String queueId, Map<String, String> environment) {
        Map<String, String> all = new java.util.HashMap<>(environment);
        all.putIfAbsent("INVOKEJ_TRANSPORTS", setup.transports().variable);
        return start(setup.kind(), server, path, token, queueId, all);
    }

    static ClientProcess start(Kind kind, URI server, String path, String token, String queueId, Map<String, String> environment) {
        String origin = "http://" + server.getAuthority();
        List<String> command = switch (kind) {
            case PYTHON -> List.of(python(), script("src/test/resources/socketio/events_client.py"), origin, path,
                    token == null ? "" : token, queueId == null ? "" : queueId);
            case NODE -> List.of("node", nodeScript(), origin, path, token == null ? "" : token, queueId == null ? "" : queueId);
        };
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        try {
            return new ClientProcess(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Debian's python3, which has python3-socketio and python3-websocket (.ci/run installs them). */
    private static String python() {
        Scripts.Result check = Scripts.runCommand(List.of(PYTHON.toString(), "-c", "import socketio, websocket, requests"));
        if (check.exitCode() != 0) {
            throw new IllegalStateException("Debian's python-socketio is missing: apt-get install -y python3-socketio python3-websocket python3-requests\n" + check);
        }
        return PYTHON.toString();
    }

    /** The node script, once its dependencies are installed from the committed lock file. */
    private static synchronized String nodeScript() {
        Path folder = Scripts.projectRoot().resolve("integration-tests/src/test/js");
        if (!Files.exists(folder.resolve("node_modules/socket.io-client/package.json"))) {
            Scripts.Result installed = Scripts.runCommand(List.of("npm", "ci", "--prefix", folder.toString(), "--no-audit", "--no-fund"));
            if (installed.exitCode() != 0) {
                throw new IllegalStateException("npm ci failed in " + folder + "\n" + installed);
            }
        }
        return folder.resolve("events-client.mjs").toString();
    }

    private static String script(String relative) {
        return Scripts.projectRoot().resolve("integration-tests").resolve(relative).toString();
    }

    /** Waits for the client to be on {@code setup}'s final transport: after the upgrade, if it upgrades. */
    void awaitTransport(Setup setup) {
        Predicate<JsonNode> onIt = line -> line.path("type").asText().equals("transport") && line.path("name").asText().equals(setup.finalTransport());
        if (seen.stream().anyMatch(onIt)) {
            return;
        }
        await(onIt, Duration.ofSeconds(20));
    }

    /** The next printed line that {@code wanted} accepts; lines passed over are kept in {@link #seen}. */
    JsonNode await(Predicate<JsonNode> wanted, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                JsonNode line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (line == null) {
                    throw new AssertionError("no matching line within " + wait + "; seen " + seen + "; stderr: " + stderrSoFar());
                }
                if (wanted.test(line)) {
                    return line;
                }
                seen.add(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next line of {@code type} (connect, subscribed, event, connect_error, disconnect, connection_failed). */
    JsonNode await(String type) {
        return await(line -> line.path("type").asText().equals(type), Duration.ofSeconds(20));
    }

    /** The next event called {@code name}. */
    JsonNode awaitEvent(String name) {
        return await(line -> line.path("type").asText().equals("event") && line.path("name").asText().equals(name), Duration.ofSeconds(20));
    }

    /** The lines passed over while waiting. */
    List<JsonNode> seen() {
        return seen;
    }

    /** Whether the process ended by itself within {@code wait}. */
    boolean exits(Duration wait) {
        try {
            return process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String stderrSoFar() {
        return stderr.isDone() ? stderr.join() : "(still running)";
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Already gone.
        }
        if (!exits(Duration.ofSeconds(10))) {
            process.destroyForcibly();
        }
    }
}

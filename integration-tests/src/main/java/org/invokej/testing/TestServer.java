package org.invokej.testing;

import org.invokej.core.events.EventSink;
import org.invokej.launcher.InvokeServer;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real InvokeJ server for a test: {@link InvokeServer} on a free port with the test's root directory,
 * an empty environment (the developer's {@code INVOKEAI_*} variables must not leak in), and any settings
 * the test overrides.
 */
public final class TestServer implements AutoCloseable {

    private final InvokeServer server;
    private final TestClient client;

    private TestServer(InvokeServer server) {
        this.server = server;
        this.client = new TestClient(server.uri());
    }

    /** Starts a server on {@code root} with the given settings (on top of port 0 and test defaults). */
    public static TestServer start(Path root, Map<String, String> settings) {
        return start(root, settings, Clock.systemUTC());
    }

    public static TestServer start(Path root, Map<String, String> settings, Clock clock) {
        return start(root, settings, clock, EventSink.NONE);
    }

    /** Starts a server whose events (model installs, …) go to {@code events}. */
    public static TestServer start(Path root, Map<String, String> settings, EventSink events) {
        return start(root, settings, Clock.systemUTC(), events);
    }

    private static TestServer start(Path root, Map<String, String> settings, Clock clock, EventSink events) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("port", "0");
        all.putAll(settings);
        InvokeServer.Builder builder = InvokeServer.builder().root(root).environment(Map.of()).clock(clock).events(events);
        all.forEach(builder::set);
        return new TestServer(builder.start());
    }

    public static TestServer start(Path root) {
        return start(root, Map.of());
    }

    /** A client for this server, without credentials. */
    public TestClient client() {
        return client;
    }

    public InvokeServer server() {
        return server;
    }

    public Path root() {
        return server.root();
    }

    @Override
    public void close() {
        server.stop();
    }
}

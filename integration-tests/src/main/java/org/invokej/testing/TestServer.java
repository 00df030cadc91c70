package org.invokej.testing;

import org.invokej.core.events.EventSink;
import org.invokej.launcher.ConfigLoader;
import org.invokej.launcher.InvokeServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real InvokeJ server for a test: {@link InvokeServer} on a free port with the test's root directory,
 * an empty environment (the developer's {@code INVOKEAI_*} variables must not leak in), and any settings
 * the test overrides.
 *
 * <p>With {@code -Dinvokej.testDatabase=postgresql} (or {@code INVOKEJ_TEST_DATABASE=postgresql}) the
 * server keeps its database in a fresh database of the test PostgreSQL server ({@link TestPostgres})
 * instead of the root's SQLite file. The root's {@code invokeai.yaml} then names that database, so the
 * same root restarted, and the CLIs a test runs on it, use it too.
 */
public final class TestServer implements AutoCloseable {

    private static final String DATABASE_MARKER = TestPostgres.ROOT_MARKER;

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
        if (TestPostgres.selected() && !settings.containsKey("database_url")) {
            usePostgres(root);
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("port", "0");
        all.putAll(settings);
        InvokeServer.Builder builder = InvokeServer.builder().root(root).environment(Map.of()).clock(clock).events(events);
        all.forEach(builder::set);
        return new TestServer(builder.start());
    }

    /**
     * For tests that run the server as a process ({@code bin/invokeai-web}): when the run is on
     * PostgreSQL, points the root's {@code invokeai.yaml} at the test database as {@link #start} does.
     * Call it after writing the test's own {@code invokeai.yaml}.
     */
    public static void prepareRoot(Path root) {
        if (TestPostgres.selected()) {
            usePostgres(root);
        }
    }

    /** Points the root at its own PostgreSQL database (made at its first start, remembered in the root). */
    private static void usePostgres(Path root) {
        try {
            Files.createDirectories(root);
            Path remembered = root.resolve(DATABASE_MARKER);
            String url;
            if (Files.exists(remembered)) {
                url = Files.readString(remembered).strip();
            } else {
                url = TestPostgres.server().newDatabase();
                Files.writeString(remembered, url);
            }
            Path yaml = root.resolve(ConfigLoader.FILE_NAME);
            if (Files.notExists(yaml)) {
                Files.writeString(yaml, ConfigLoader.defaultFile());
                Files.setPosixFilePermissions(yaml, PosixFilePermissions.fromString("rw-------"));
            }
            if (Files.readAllLines(yaml).stream().noneMatch(line -> line.startsWith("database_url:"))) {
                TestPostgres server = TestPostgres.server();
                String text = Files.readString(yaml);
                Files.writeString(yaml, (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "database_url: " + url + "\n"
                        + "database_user: " + server.user() + "\ndatabase_password: " + server.password() + "\n",
                        StandardOpenOption.APPEND);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not point " + root + " at PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * A JDBC connection to the database the server on {@code root} uses (SQLite file or PostgreSQL), for
     * tests that set up what no route can (e.g. an image from an earlier day).
     */
    public static Connection database(Path root) throws SQLException {
        return TestPostgres.connectToRoot(root);
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

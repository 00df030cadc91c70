package org.invokej.launcher;

import org.invokej.http.ApiServer;
import org.invokej.http.AppService;
import org.invokej.http.Json;
import org.invokej.http.Problems;
import org.invokej.persistence.Database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * A running InvokeJ server, and the one place where the modules are built and connected. Read
 * {@link #InvokeServer} to see the whole system being assembled.
 *
 * <p>Programs that embed InvokeJ use it too:
 * <pre>{@code
 * try (InvokeServer server = InvokeServer.builder().root(Path.of("/srv/invoke")).set("port", "0").start()) {
 *     System.out.println("Listening on " + server.uri());
 * }
 * }</pre>
 */
public final class InvokeServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(InvokeServer.class.getName());
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private final Path root;
    private final InvokeConfig config;
    private final Database database;
    private final ApiServer http;

    private InvokeServer(Path root, InvokeConfig config, Clock clock) {
        this.root = root;
        this.config = config;
        this.database = Database.open(config.databaseFile(root), clock);
        try {
            Json json = new Json();
            Problems problems = new Problems(json);
            this.http = new ApiServer(
                    new ApiServer.Settings(config.host(), config.port(), config.maxRequestSize(), SHUTDOWN_GRACE),
                    problems,
                    List.of(),
                    List.of(new ApiServer.Mount("/api/v1/app", new AppService(json, Version.current()))))
                    .start();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        LOG.info(() -> "InvokeJ " + Version.current() + " serves " + root + " at " + uri()
                + (config.multiuser() ? " (multi-user)" : " (single-user)"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The root directory this server serves. */
    public Path root() {
        return root;
    }

    /** The settings it runs with. */
    public InvokeConfig config() {
        return config;
    }

    /** The port it listens on. */
    public int port() {
        return http.port();
    }

    /** Where a client on this machine reaches it. */
    public URI uri() {
        String host = switch (config.host()) {
            case "0.0.0.0", "::", "[::]" -> "127.0.0.1";
            default -> config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        };
        return URI.create("http://" + host + ":" + port() + "/");
    }

    public boolean isRunning() {
        return http.isRunning();
    }

    /** Lets requests in flight finish (up to a grace period), then closes the database. Idempotent. */
    public synchronized void stop() {
        if (http.isRunning()) {
            http.stop();
        }
        database.close();
    }

    @Override
    public void close() {
        stop();
    }

    /** How to start a server: which root, which environment, which settings override the file. */
    public static final class Builder {

        private Path root;
        private Map<String, String> environment = System.getenv();
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Consumer<String> warnings = LOG::warning;
        private InvokeConfig config;

        private Builder() {
        }

        /** The root directory; by default resolved as {@link RootDirectory} says. */
        public Builder root(Path root) {
            this.root = Objects.requireNonNull(root, "root");
            return this;
        }

        /** The environment whose {@code INVOKEAI_<KEY>} variables override the file; the process's by default. */
        public Builder environment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** Overrides a setting of {@code invokeai.yaml} (as a command-line flag does), e.g. {@code set("port", "0")}. */
        public Builder set(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where one-line configuration warnings go; the log by default. */
        public Builder warnings(Consumer<String> warnings) {
            this.warnings = Objects.requireNonNull(warnings, "warnings");
            return this;
        }

        /** Settings already loaded (the command line loads them first to set up logging); skips reading them again. */
        public Builder config(InvokeConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Reads and checks the settings, then creates the root's layout, migrates the database and starts
         * listening. A bad setting throws {@link ConfigException} before anything is written.
         */
        public InvokeServer start() {
            Path resolved = root != null ? root.toAbsolutePath().normalize()
                    : RootDirectory.resolve(Optional.empty(), environment, Path.of(System.getProperty("user.home")));
            InvokeConfig settings = config != null ? config : new ConfigLoader(environment, warnings).load(resolved, overrides);
            createLayout(resolved, settings);
            return new InvokeServer(resolved, settings, clock);
        }
    }

    /** Creates the root's folders and a commented {@code invokeai.yaml} when they are missing. */
    static void createLayout(Path root, InvokeConfig config) {
        try {
            Files.createDirectories(root);
            Files.createDirectories(config.databaseFile(root).getParent());
            Files.createDirectories(config.imagesDir(root).resolve("thumbnails"));
            Files.createDirectories(config.modelsPath(root));
            Path file = root.resolve(ConfigLoader.FILE_NAME);
            if (Files.notExists(file)) {
                try {
                    Files.writeString(file, ConfigLoader.defaultFile(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                } catch (FileAlreadyExistsException raced) {
                    // Another process wrote it first; theirs is as good as ours.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the root directory layout in " + root + ": " + e.getMessage(), e);
        }
    }
}

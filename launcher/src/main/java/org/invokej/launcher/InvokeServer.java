package org.invokej.launcher;

import org.invokej.core.models.ModelService;
import org.invokej.core.auth.LoginThrottle;
import org.invokej.core.auth.Sessions;
import org.invokej.core.auth.TokenCodec;
import org.invokej.core.events.EventSink;
import org.invokej.core.queue.QueueOwners;
import org.invokej.core.users.UserAccessListeners;
import org.invokej.http.ApiServer;
import org.invokej.http.Json;
import org.invokej.http.TlsFiles;
import org.invokej.http.WebUiFolder;
import org.invokej.http.WorkersMetrics;
import org.invokej.http.auth.JwtTokenCodec;
import org.invokej.http.socketio.LiveSockets;
import org.invokej.inference.graph.InvocationSchemas;
import org.invokej.inference.graph.nodes.NodeTypes;
import org.invokej.persistence.Database;
import org.invokej.persistence.DatabaseLocation;
import org.invokej.persistence.PrivateFiles;
import org.invokej.persistence.SqliteDataVersion;
import org.invokej.core.store.StoreChanges;

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

    private final Path root;
    private final InvokeConfig config;
    private final CloseStack closer = new CloseStack();
    private final AccountServices accounts;
    private final LiveEvents live;
    private final ModelParts models;
    private final ApiServer http;
    private final RootLock lock;

    private InvokeServer(Path root, InvokeConfig config, Clock clock, EventSink observer, RootLock lock) {
        this.root = root;
        this.config = config;
        this.lock = lock;
        Optional<WebUiFolder> webUi = webUi(root, config);
        // Read before anything opens the database: a bad certificate file stops start-up having changed nothing.
        Optional<TlsFiles> tls = HttpParts.tls(root, config);
        try {
            DatabaseLocation database = config.databaseLocation(root);
            Repositories repositories = Repositories.of(closer.add(Database.open(database, clock)));
            // Several processes on one PostgreSQL database must share one images and models folder.
            SharedFolders.check(root, config, database, repositories);
            // Tells the sessions when anything was committed, so they re-read users and revocations only then.
            // Only SQLite says so cheaply (its data_version); on PostgreSQL every request reads the user.
            StoreChanges changes = config.authCache() && database instanceof DatabaseLocation.SqliteFile sqlite
                    ? closer.add(new SqliteDataVersion(sqlite.file())) : StoreChanges.UNKNOWN;
            // Told after every change to a user's access; the parts that listen join below, once built.
            UserAccessListeners accessListeners = new UserAccessListeners();
            this.accounts = closer.add(AccountServices.assemble(repositories, config, clock, accessListeners,
                    config.strictPasswordChecking()));
            Sessions sessions = sessions(config, repositories, accounts, tokenCodec(repositories, database, clock), changes, clock);
            QueueOwners owners = new QueueOwners(repositories.transactions(), repositories.users(), config.multiuser());
            Json json = new Json();
            this.live = closer.add(LiveEvents.assemble(config, database, repositories, sessions, accessListeners, json, clock, observer));
            ContentParts content = ContentParts.assemble(root, config, repositories, owners, live.sink(), clock);
            content.settleCrashLeftovers();
            content.reportMissingFiles(config.imagesDir(root));
            this.models = closer.add(ModelParts.assemble(root, config, repositories, live.sink(), clock));
            models.reportMissing();
            models.exports().linkFound();
            // The node types graphs are checked against at enqueue and rebuilt with when they run.
            NodeTypes types = NodeTypes.standard().withLimits(config.graphLimits());
            EngineParts engine = closer.add(EngineParts.assemble(config, types, owners, models.service(), content, json));
            QueueParts queue = closer.add(QueueParts.assemble(config, types, repositories, owners, models.service(), engine.runner(), live.sink(),
                    accessListeners, clock));
            queue.start();
            // Each worker's counts and current item in /observe/metrics, read from queue_workers.
            closer.add(new WorkersMetrics(queue.dispatcher()::workers, clock));
            // What `invokej worker` processes (and other web nodes) publish reaches this server's sockets through the database.
            closer.add(live.startRelay(database, repositories, clock));
            this.http = HttpParts.assemble(root, config, json, repositories, accounts, sessions, content, models, engine.engine().cache(), queue, live, webUi,
                    tls, InvocationSchemas.components(types.all()), clock);
            // Live connections close first, so that the graceful stop does not wait on them (closing them twice is harmless).
            closer.add(() -> {
                live.close();
                if (http.isRunning()) {
                    http.stop();
                }
            });
            http.start();
        } catch (RuntimeException e) {
            try {
                closer.close();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
        LOG.info(() -> "InvokeJ " + Version.current() + " serves " + root + " at " + uri()
                + (config.multiuser() ? " (multi-user)" : " (single-user)"));
    }

    /** The {@code web_ui_dir} folder, checked before anything starts: a bad one stops start-up with one line. */
    private static Optional<WebUiFolder> webUi(Path root, InvokeConfig config) {
        try {
            return config.webUiPath(root).map(WebUiFolder::new);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("web_ui_dir: " + e.getMessage());
        }
    }

    /** Sign-in, tokens and logins, throttled as configured. */
    private static Sessions sessions(InvokeConfig config, Repositories repositories, AccountServices accounts, TokenCodec tokens,
                                     StoreChanges changes, Clock clock) {
        LoginThrottle throttle = new LoginThrottle(clock, new LoginThrottle.Limits(config.loginThrottleFailures(),
                Duration.ofSeconds(config.loginThrottleMaxWait()), Duration.ofSeconds(config.loginAccountMaxWait())));
        return new Sessions(repositories.transactions(), repositories.users(), repositories.revokedTokens(), tokens,
                accounts.hasher(), throttle, accounts.auditor(), clock, config.multiuser(), accounts.apiKeys(), changes);
    }

    /** The token codec keyed on {@code app_settings.jwt_secret}, read once at start-up as InvokeAI does. */
    private static TokenCodec tokenCodec(Repositories repositories, DatabaseLocation database, Clock clock) {
        String databaseFile = database.describe();
        String client = (database instanceof DatabaseLocation.SqliteFile ? "sqlite3 " : "psql ") + databaseFile;
        String secret = repositories.transactions().read(tx -> repositories.appSettings().get(tx, "jwt_secret")).orElseThrow(() -> new ConfigException(
                "app_settings has no jwt_secret in " + databaseFile + ". " + SECRET_RECIPE.formatted(client, "INSERT INTO app_settings (key, value) VALUES ('jwt_secret', '$(openssl rand -hex 32)')")));
        try {
            return new JwtTokenCodec(secret, clock);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("app_settings.jwt_secret in " + databaseFile + " is too short: " + e.getMessage() + ". "
                    + SECRET_RECIPE.formatted(client, "UPDATE app_settings SET value = '$(openssl rand -hex 32)' WHERE key = 'jwt_secret'"));
        }
    }

    private static final String SECRET_RECIPE = "Make a good one with: %s \"%s\" (every session ends).";

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

    /** Whether it is multi-user and waits for its first administrator (the first visit creates one). */
    public boolean setupPending() {
        return accounts.users().status().setupRequired();
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
        return URI.create((config.tlsPaths(root).isPresent() ? "https://" : "http://") + host + ":" + port() + "/");
    }

    /**
     * Where events for connected clients go: what is published here reaches the Socket.IO sockets the
     * event's {@link org.invokej.core.events.Audience} names, on this web node and (on PostgreSQL) on the
     * others sharing the database. Embedding programs may publish their own.
     */
    public EventSink events() {
        return live.forEmbedder();
    }

    /** This web node's live connections: its Socket.IO sessions, by transport. */
    public LiveSockets sockets() {
        return live.sockets();
    }

    /** The model manager: installed models, and the check the queue makes before generating with one. */
    public ModelService models() {
        return models.service();
    }

    public boolean isRunning() {
        return http.isRunning();
    }

    /** Closes the live connections, lets requests in flight finish (up to a grace period), then closes the database. Idempotent. */
    public void stop() {
        // A running item is left in progress: the next start handles it as interrupted.
        closer.close();
        lock.close();
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
        private EventSink events = EventSink.NONE;
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

        /** Also hands the server's own events (model installs, …) to {@code events}, besides the live connections. */
        public Builder events(EventSink events) {
            this.events = Objects.requireNonNull(events, "events");
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
                    : RootDirectory.resolve(Optional.empty(), environment, RootDirectory.home(environment));
            InvokeConfig settings = config != null ? config : new ConfigLoader(environment, warnings).load(resolved, overrides);
            createLayout(resolved, settings);
            RootLock lock = RootLock.acquire(resolved);
            try {
                return new InvokeServer(resolved, settings, clock, events, lock);
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
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
                    // Owner-only: people put secrets in it (InvokeAI's remote API tokens, for one).
                    PrivateFiles.createNew(file);
                    Files.writeString(file, ConfigLoader.defaultFile(), StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
                } catch (FileAlreadyExistsException raced) {
                    // Another process wrote it first; theirs is as good as ours.
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the root directory layout in " + root + ": " + e.getMessage(), e);
        }
    }
}

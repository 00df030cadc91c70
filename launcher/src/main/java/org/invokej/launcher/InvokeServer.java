package org.invokej.launcher;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.models.ModelService;
import org.invokej.core.queue.PublishedQueueEvents;
import org.invokej.core.queue.QueueDispatcher;
import org.invokej.core.queue.QueueEvents;
import org.invokej.core.queue.QueueItem;
import org.invokej.core.queue.QueueScheduler;
import org.invokej.core.queue.QueueService;
import org.invokej.core.queue.SessionRunner;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;
import org.invokej.http.queue.SessionQueueRoutes;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.graph.EngineSessionRunner;
import org.invokej.inference.graph.GraphExecutor;
import org.invokej.inference.graph.GraphRules;
import org.invokej.persistence.SqlQueueRepository;
import org.invokej.core.auth.LoginThrottle;
import org.invokej.core.auth.Sessions;
import org.invokej.core.auth.SocketAccess;
import org.invokej.core.auth.TokenCodec;
import org.invokej.core.events.EventSink;
import org.invokej.core.content.BoardImageService;
import org.invokej.core.content.BoardService;
import org.invokej.core.content.ContentTransfer;
import org.invokej.core.content.ImageFiles;
import org.invokej.core.content.ImageService;
import org.invokej.core.content.WorkflowService;
import org.invokej.core.store.Transactions;
import org.invokej.core.users.UserAccessListeners;
import org.invokej.core.users.UserService;
import org.invokej.http.ApiRoutes;
import org.invokej.http.ApiServer;
import org.invokej.http.AppRoutes;
import org.invokej.http.Json;
import org.invokej.http.Problems;
import org.invokej.http.auth.AuditRoutes;
import org.invokej.http.auth.AuthRoutes;
import org.invokej.http.auth.ClientAddresses;
import org.invokej.http.auth.JwtTokenCodec;
import org.invokej.http.auth.MediaCookie;
import org.invokej.http.models.ModelsRoutes;
import org.invokej.http.content.BoardImagesRoutes;
import org.invokej.http.content.BoardsRoutes;
import org.invokej.http.content.ImagesRoutes;
import org.invokej.http.content.WorkflowsRoutes;
import org.invokej.http.socketio.LiveSockets;
import org.invokej.http.socketio.SocketSettings;
import org.invokej.persistence.Database;
import org.invokej.persistence.DiskImageFiles;
import org.invokej.persistence.SqlBoardRepository;
import org.invokej.persistence.SqlImageRepository;
import org.invokej.persistence.SqlWorkflowRepository;
import org.invokej.persistence.SqlAppSettings;
import org.invokej.persistence.SqlRevokedTokens;
import org.invokej.persistence.SqlTransactions;

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
    private final AccountServices accounts;
    private final LiveSockets sockets;
    private final ModelParts models;
    private final GenerationEngine engine;
    private final QueueDispatcher dispatcher;
    private final ApiServer http;

    private InvokeServer(Path root, InvokeConfig config, Clock clock, EventSink observer) {
        this.root = root;
        this.config = config;
        Path databaseFile = config.databaseFile(root);
        this.database = Database.open(databaseFile, clock);
        AccountServices accountServices = null;
        LiveSockets liveSockets = null;
        ModelParts modelParts = null;
        GenerationEngine generationEngine = null;
        QueueDispatcher queueDispatcher = null;
        try {
            Transactions transactions = new SqlTransactions(database);
            TokenCodec tokens = tokenCodec(transactions, databaseFile, clock);
            // Told after every change to a user's access; the parts that listen join below, once built.
            UserAccessListeners accessListeners = new UserAccessListeners();
            accountServices = AccountServices.assemble(transactions, config, clock, accessListeners,
                    config.strictPasswordChecking());
            this.accounts = accountServices;
            UserService users = accountServices.users();
            LoginThrottle throttle = new LoginThrottle(clock, new LoginThrottle.Limits(config.loginThrottleFailures(),
                    Duration.ofSeconds(config.loginThrottleMaxWait()), Duration.ofSeconds(config.loginAccountMaxWait())));
            Sessions sessions = new Sessions(transactions, accountServices.userRepository(), new SqlRevokedTokens(), tokens,
                    accountServices.hasher(), throttle, accountServices.auditor(), clock, config.multiuser());
            SqlBoardRepository boardRepository = new SqlBoardRepository();
            SqlImageRepository imageRepository = new SqlImageRepository();
            ImageFiles imageFiles = new DiskImageFiles(config.imagesDir(root));
            ContentTransfer transfers = accountServices.transfers();
            BoardService boards = new BoardService(transactions, boardRepository, imageRepository, imageFiles,
                    accountServices.userRepository(), config.multiuser());
            ImageService images = new ImageService(transactions, imageRepository, boardRepository,
                    accountServices.userRepository(), imageFiles, config.maxImagePixels());
            reportMissingImageFiles(images, config.imagesDir(root));

            Json json = new Json();
            SocketSettings socketSettings = SocketSettings.of(config.baseUrl(),
                    Duration.ofMillis(config.socketPingIntervalMs()), Duration.ofMillis(config.socketPingTimeoutMs()),
                    Duration.ofSeconds(config.socketRevalidationSeconds()));
            liveSockets = new LiveSockets(new SocketAccess(sessions, transactions, accountServices.userRepository()),
                    accessListeners, json.mapper(), clock, socketSettings);
            accessListeners.add(liveSockets);
            this.sockets = liveSockets;
            LiveSockets delivery = liveSockets;
            EventSink serverEvents = event -> {
                delivery.publish(event);
                observer.publish(event);
            };
            WorkflowService workflows = new WorkflowService(transactions, new SqlWorkflowRepository(), clock, config.multiuser(),
                    serverEvents);
            modelParts = ModelParts.assemble(root, config, transactions, accountServices.userRepository(), serverEvents, clock);
            this.models = modelParts;
            modelParts.reportMissing();

            generationEngine = new GenerationEngine(new EngineSettings(OrtDevice.parse(config.device()), config.modelCacheSize(),
                    config.inferenceThreads(), config.previewInterval()));
            this.engine = generationEngine;
            SqlQueueRepository queueRepository = new SqlQueueRepository();
            QueueEvents queueEvents = new PublishedQueueEvents(transactions, queueRepository, serverEvents);
            ModelService modelService = modelParts.service();
            UserRepository userRepository = accountServices.userRepository();
            SessionRunner runner = new EngineSessionRunner(generationEngine, new GraphExecutor(AppRoutes.COMPATIBLE_INVOKEAI_VERSION),
                    item -> new OwnerGraphResources(item, owner(transactions, userRepository, item, config.multiuser()),
                            modelService, images, json.mapper()));
            queueDispatcher = new QueueDispatcher(transactions, queueRepository, userRepository, runner, queueEvents,
                    new QueueDispatcher.Settings(config.sessionQueueMode().equals("FIFO") ? QueueScheduler.Mode.FIFO
                            : QueueScheduler.Mode.ROUND_ROBIN, config.multiuser(), config.requeueInterruptedItems()));
            this.dispatcher = queueDispatcher;
            QueueService queue = new QueueService(transactions, queueRepository, new GraphRules(), modelService::requireUsable,
                    queueEvents, queueDispatcher, new QueueService.Settings(config.maxQueueSize(), config.maxPendingPerUser()));
            // A deactivated or deleted user's waiting and running items are canceled at once.
            accessListeners.add(userId -> {
                if (transactions.read(tx -> userRepository.find(tx, userId)).filter(User::active).isEmpty()) {
                    queue.cancelAllOf(userId);
                }
            });
            queueDispatcher.start();

            ClientAddresses clients = new ClientAddresses(config.trustedProxies());
            MediaCookie mediaCookie = new MediaCookie(config.baseUrl(), clients);
            UiRouteParts uiRoutes = new UiRouteParts(root, config, json, transactions, images, modelParts.service(),
                    serverEvents, clock);
            this.http = new ApiServer(
                    new ApiServer.Settings(config.host(), config.port(), config.maxRequestSize(), SHUTDOWN_GRACE),
                    new Problems(json),
                    ApiRoutes.filters(socketSettings, sessions, config.baseUrl(), UiRouteParts::access),
                    concat(uiRoutes.mounts(), new ApiRoutes(uiRoutes.app(),
                            new AuthRoutes(json, users, sessions, mediaCookie, clients, transfers),
                            new AuditRoutes(json, transactions, accountServices.auditLog()),
                            new BoardsRoutes(json, boards, transfers, clients),
                            new BoardImagesRoutes(json, new BoardImageService(transactions, boardRepository, imageRepository)),
                            new ImagesRoutes(json, images, config.multiuser(), Math.min(config.maxUploadSize(), config.maxRequestSize())),
                            new WorkflowsRoutes(json, workflows, uiRoutes.workflowThumbnails(),
                                    Math.min(config.maxUploadSize(), config.maxRequestSize())),
                            new SessionQueueRoutes(json, queue),
                            new ModelsRoutes(json, modelParts.service(), modelParts.installer(),
                                    Math.min(config.maxUploadSize(), config.maxRequestSize()))).mounts()),
                    liveSockets.routing())
                    .start();
        } catch (RuntimeException e) {
            if (queueDispatcher != null) {
                queueDispatcher.close();
            }
            if (generationEngine != null) {
                generationEngine.close();
            }
            if (liveSockets != null) {
                liveSockets.close();
            }
            if (modelParts != null) {
                modelParts.close();
            }
            if (accountServices != null) {
                accountServices.close();
            }
            database.close();
            throw e;
        }
        LOG.info(() -> "InvokeJ " + Version.current() + " serves " + root + " at " + uri()
                + (config.multiuser() ? " (multi-user)" : " (single-user)"));
    }

    /** Images listed without their file (e.g. an InvokeAI root pruned by hand) stay listed; say how many. */
    private static void reportMissingImageFiles(ImageService images, Path imagesDir) {
        List<String> missing = images.missingFiles();
        if (!missing.isEmpty()) {
            LOG.warning(() -> missing.size() + " image(s) in the database have no file in " + imagesDir + " (e.g. "
                    + missing.getFirst() + "); they stay listed and answer 404 when opened");
        }
    }

    /** The token codec keyed on {@code app_settings.jwt_secret}, read once at start-up as InvokeAI does. */
    private static TokenCodec tokenCodec(Transactions transactions, Path databaseFile, Clock clock) {
        SqlAppSettings settings = new SqlAppSettings();
        String secret = transactions.read(tx -> settings.get(tx, "jwt_secret")).orElseThrow(() -> new ConfigException(
                "app_settings has no jwt_secret in " + databaseFile + ". " + SECRET_RECIPE.formatted(databaseFile, "INSERT INTO app_settings (key, value) VALUES ('jwt_secret', '$(openssl rand -hex 32)')")));
        try {
            return new JwtTokenCodec(secret, clock);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("app_settings.jwt_secret in " + databaseFile + " is too short: " + e.getMessage() + ". "
                    + SECRET_RECIPE.formatted(databaseFile, "UPDATE app_settings SET value = '$(openssl rand -hex 32)' WHERE key = 'jwt_secret'"));
        }
    }

    /** Who a queue item runs as: its owner as the database has them, or {@code system} in single-user mode. */
    private static Actor owner(Transactions transactions, UserRepository users, QueueItem item, boolean multiuser) {
        if (!multiuser) {
            return Actor.SYSTEM;
        }
        return transactions.read(tx -> users.find(tx, item.userId())).filter(User::active).map(User::actor)
                .orElseThrow(() -> DomainException.forbidden("The queue item's owner does not exist or is not active"));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).toList();
    }

    private static final String SECRET_RECIPE = "Make a good one with: sqlite3 %s \"%s\" (every session ends).";

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

    /**
     * Where events for connected clients go: what is published here reaches the Socket.IO sockets the
     * event's {@link org.invokej.core.events.Audience} names. Embedding programs may publish their own.
     */
    public EventSink events() {
        return sockets;
    }

    /** The model manager: installed models, and the check the queue makes before generating with one. */
    public ModelService models() {
        return models.service();
    }

    public boolean isRunning() {
        return http.isRunning();
    }

    /** Closes the live connections, lets requests in flight finish (up to a grace period), then closes the database. Idempotent. */
    public synchronized void stop() {
        sockets.close();
        if (http.isRunning()) {
            http.stop();
        }
        // A running item is left in progress: the next start handles it as interrupted.
        dispatcher.close();
        engine.close();
        models.close();
        accounts.close();
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
                    : RootDirectory.resolve(Optional.empty(), environment, Path.of(System.getProperty("user.home")));
            InvokeConfig settings = config != null ? config : new ConfigLoader(environment, warnings).load(resolved, overrides);
            createLayout(resolved, settings);
            return new InvokeServer(resolved, settings, clock, events);
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

package org.invokej.launcher;

import org.invokej.core.models.HashAlgorithm;
import org.invokej.http.auth.ClientAddresses;
import org.invokej.inference.graph.GraphLimits;
import org.invokej.persistence.DatabaseLocation;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings a server or command runs with, after {@code invokeai.yaml}, {@code INVOKEAI_<KEY>}
 * environment variables and flags were merged (in rising precedence) by {@link ConfigLoader}.
 *
 * <p>To add a setting: declare its {@link Setting} below, list it in {@link #SETTINGS}, add a record
 * component and read it in {@link #from}. The README's settings table follows {@link #SETTINGS}.
 */
public record InvokeConfig(
        boolean multiuser,
        boolean strictPasswordChecking,
        String host,
        int port,
        String logLevel,
        List<String> logHandlers,
        long logFileMaxSize,
        int logFileCount,
        String dbDir,
        String databaseUrl,
        String databaseUser,
        String databasePassword,
        int databasePoolSize,
        String outputsDir,
        String modelsDir,
        long maxRequestSize,
        String baseUrl,
        List<String> trustedProxies,
        int bcryptCost,
        int bcryptThreads,
        int loginThrottleFailures,
        int loginThrottleMaxWait,
        int loginAccountMaxWait,
        long maxUploadSize,
        int maxImagePixels,
        int socketPingIntervalMs,
        int socketPingTimeoutMs,
        int socketRevalidationSeconds,
        int socketMaxPollingSessions,
        int socketMaxPollingSessionsPerUser,
        String webUiDir,
        String hashingAlgorithm,
        String device,
        long modelCacheSize,
        int inferenceThreads,
        int previewInterval,
        String sessionQueueMode,
        int maxQueueSize,
        int maxPendingPerUser,
        int maxBatchItems,
        int maxGenerationPixels,
        int maxSteps,
        boolean requeueInterruptedItems,
        int workersInProcess,
        int workerLeaseSeconds,
        List<String> allowOrigins,
        boolean allowCredentials,
        List<String> allowMethods,
        List<String> allowHeaders,
        String sslCertfile,
        String sslKeyfile,
        boolean authCache) {

    /** InvokeAI's config schema version written into new files and accepted in existing ones. */
    public static final String SCHEMA_VERSION = "4.0.2";

    public static final Setting<Boolean> MULTIUSER = Setting.bool("multiuser", false,
            "Accounts with email logins; when false everyone is the built-in administrator.");
    public static final Setting<Boolean> STRICT_PASSWORD_CHECKING = Setting.bool("strict_password_checking", false,
            "Require passwords of 8+ characters with upper case, lower case and digits (the CLIs always do).");
    public static final Setting<String> HOST = Setting.text("host", "127.0.0.1",
            "Address to listen on; 0.0.0.0 makes the server reachable from the LAN.");
    public static final Setting<Integer> PORT = Setting.integer("port", 9090, 0, 65535,
            "Port to listen on (0 picks a free one).");
    public static final Setting<String> LOG_LEVEL = Setting.choice("log_level", "info",
            List.of("debug", "info", "warning", "error", "critical"),
            "How much the server logs: debug, info, warning, error or critical.");
    public static final Setting<List<String>> LOG_HANDLERS = Setting.list("log_handlers", List.of("console"),
            "Where the server's log goes: console, and/or file=PATH (relative to the root, rotated by size); InvokeAI's syslog=/http= are ignored with a warning.",
            LogHandlers::check);
    public static final Setting<Long> LOG_FILE_MAX_SIZE = Setting.bytes("log_file_max_size", 10L << 20, 1024,
            "Size at which the log file (file=PATH in log_handlers) is rotated: PATH.0 is the one being written; at this size it becomes PATH.1, the one before PATH.2, and so on.");
    public static final Setting<Integer> LOG_FILE_COUNT = Setting.integer("log_file_count", 5, 1, 1000,
            "How many log files rotation keeps, the one being written included (1: the file starts over at the size).");
    public static final Setting<String> DB_DIR = Setting.text("db_dir", "databases",
            "Folder of invokeai.db, relative to the root.");
    public static final Setting<String> DATABASE_URL = Setting.optionalText("database_url", InvokeConfig::checkDatabaseUrl,
            "A PostgreSQL database to use instead of db_dir's SQLite file, e.g. postgresql://db.example.com:5432/invokeai (empty: SQLite).");
    public static final Setting<String> DATABASE_USER = Setting.optionalText("database_user", value -> value,
            "The PostgreSQL role InvokeJ connects as (empty: the name of the user running InvokeJ).");
    public static final Setting<String> DATABASE_PASSWORD = Setting.optionalText("database_password", value -> value,
            "That role's password; better given as INVOKEAI_DATABASE_PASSWORD than written in this file.");
    public static final Setting<Integer> DATABASE_POOL_SIZE = Setting.integer("database_pool_size", 10, 1, 1000,
            "Most connections to PostgreSQL this process keeps open.");
    public static final Setting<String> OUTPUTS_DIR = Setting.text("outputs_dir", "outputs",
            "Folder of generated and uploaded images (outputs/images), relative to the root.");
    public static final Setting<String> MODELS_DIR = Setting.text("models_dir", "models",
            "Folder of installed models, relative to the root.");
    public static final Setting<Long> MAX_REQUEST_SIZE = Setting.bytes("max_request_size", 64L << 20, 1024,
            "Largest request body the server accepts (e.g. 64MiB); larger ones get 413.");

    public static final Setting<String> BASE_URL = Setting.optionalText("base_url", InvokeConfig::checkBaseUrl,
            "Public sub-path when a reverse proxy serves InvokeJ under one, e.g. /invoke.");
    public static final Setting<List<String>> TRUSTED_PROXIES = Setting.list("trusted_proxies", List.of(),
            "Addresses or networks (e.g. 127.0.0.1, 10.0.0.0/8) of reverse proxies whose X-Forwarded-For/-Proto are believed.",
            ClientAddresses::new);
    public static final Setting<Integer> BCRYPT_COST = Setting.integer("bcrypt_cost", 12, 4, 31,
            "bcrypt work factor for new password hashes (12 takes about 0.35 s per hash).");
    public static final Setting<Integer> BCRYPT_THREADS = Setting.integer("bcrypt_threads", 0, 0, 64,
            "How many password checks may run at once (0: half the processors, at least 1).");
    public static final Setting<Integer> LOGIN_THROTTLE_FAILURES = Setting.integer("login_throttle_failures", 5, 1, 1000,
            "Failed logins of one client on one account before it must wait (4x that for one client overall, or one account from anywhere).");
    public static final Setting<Integer> LOGIN_THROTTLE_MAX_WAIT = Setting.integer("login_throttle_max_wait", 900, 1, 86400,
            "Longest wait, in seconds, imposed on a client after repeated failed logins.");
    public static final Setting<Integer> LOGIN_ACCOUNT_MAX_WAIT = Setting.integer("login_account_max_wait", 60, 1, 3600,
            "Longest wait, in seconds, imposed on an account attacked from many clients (kept short so its owner is not locked out).");

    public static final Setting<Long> MAX_UPLOAD_SIZE = Setting.bytes("max_upload_size", 50L << 20, 1024,
            "Largest image upload (the whole multipart body, e.g. 50MiB); larger ones get 413. max_request_size caps it too.");
    public static final Setting<Integer> MAX_IMAGE_PIXELS = Setting.integer("max_image_pixels", 40_000_000, 1, Integer.MAX_VALUE,
            "Most pixels (width x height) an uploaded image may have; larger ones get 413 before they are decoded.");
    public static final Setting<Integer> SOCKET_PING_INTERVAL_MS = Setting.integer("socket_ping_interval_ms", 25_000, 100, 3_600_000,
            "How often, in milliseconds, the live event connection (Socket.IO) pings each client.");
    public static final Setting<Integer> SOCKET_PING_TIMEOUT_MS = Setting.integer("socket_ping_timeout_ms", 20_000, 100, 3_600_000,
            "How long, in milliseconds, a client has to answer a ping before its live connection is dropped.");
    public static final Setting<Integer> SOCKET_REVALIDATION_SECONDS = Setting.integer("socket_revalidation_seconds", 5, 1, 3600,
            "How often, in seconds, open live connections are re-checked against the users table, so that a user deactivated from the command line is disconnected (multi-user mode).");
    public static final Setting<Integer> SOCKET_MAX_POLLING_SESSIONS = Setting.integer("socket_max_polling_sessions", 1000, 1, 1_000_000,
            "Most live connections using HTTP long-polling (not yet upgraded to a WebSocket) open at once; more are refused until some close.");
    public static final Setting<Integer> SOCKET_MAX_POLLING_SESSIONS_PER_USER = Setting.integer("socket_max_polling_sessions_per_user", 10, 1, 10_000,
            "Most long-polling live connections one user may have connected at once; a further one is refused at its Socket.IO connect.");
    public static final Setting<String> WEB_UI_DIR = Setting.text("web_ui_dir", "",
            "A folder holding a built InvokeAI web UI to serve at / instead of the built-in UI, e.g. <venv>/lib/python3.x/site-packages/invokeai/frontend/web/dist (empty: the built-in UI).");
    public static final Setting<String> HASHING_ALGORITHM = Setting.choice("hashing_algorithm", "blake3_single",
            HashAlgorithm.configNames(),
            "How installed models are hashed: blake3_single, blake3_multi (a folder's files at once), sha256, md5, ..., or random (no hashing).");

    public static final Setting<String> DEVICE = new Setting<>("device", "auto", raw -> {
        String text = raw == null ? "" : raw.toString().strip();
        try {
            org.invokej.inference.onnx.OrtDevice.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected auto, cpu, cuda or cuda:N");
        }
        return text.toLowerCase(java.util.Locale.ROOT);
    }, "Where images are generated: auto (CUDA when it works, else the CPU), cpu, cuda or cuda:N.");
    public static final Setting<Long> MODEL_CACHE_SIZE = Setting.bytes("model_cache_size", 6L << 30, 0,
            "How much memory loaded models may take (e.g. 6GiB); the least recently used are unloaded first.");
    public static final Setting<Integer> INFERENCE_THREADS = Setting.integer("inference_threads", 0, 0, 256,
            "Threads ONNX Runtime uses per operation (0: one per processor).");
    public static final Setting<Integer> PREVIEW_INTERVAL = Setting.integer("preview_interval", 1, 1, 1000,
            "A progress preview every this many denoising steps.");
    public static final Setting<String> SESSION_QUEUE_MODE = Setting.choice("session_queue_mode", "round_robin",
            List.of("round_robin", "FIFO"),
            "Whose item runs next in multi-user mode: round_robin (users take turns) or FIFO (first come, first served).");
    public static final Setting<Integer> MAX_QUEUE_SIZE = Setting.integer("max_queue_size", 10000, 1, 10_000_000,
            "Most items the queue holds, finished ones included; a batch that does not fit is refused.");
    public static final Setting<Integer> MAX_PENDING_PER_USER = Setting.integer("max_pending_per_user", 100, 0, 10_000_000,
            "Most items one user may have waiting (0: no limit); a batch over it is refused.");
    public static final Setting<Integer> MAX_BATCH_ITEMS = Setting.integer("max_batch_items", 1000, 1, 10_000_000,
            "Most sessions one enqueued batch may expand to (its runs times its data); a larger batch is refused with 422.");
    public static final Setting<Integer> MAX_GENERATION_PIXELS = Setting.integer("max_generation_pixels", 2048 * 2048, 64 * 64,
            Integer.MAX_VALUE, "Largest generation (width x height of the noise or latents a graph makes, at most max_image_pixels); max_image_pixels also bounds every image a graph makes (e.g. img_resize). Larger graphs are refused with 422.");
    public static final Setting<Integer> MAX_STEPS = Setting.integer("max_steps", 500, 1, 100_000,
            "Most denoising steps a graph may ask for; more is refused with 422.");
    public static final Setting<Boolean> REQUEUE_INTERRUPTED_ITEMS = Setting.bool("requeue_interrupted_items", false,
            "Whether items that were running when the server stopped, or whose worker was lost (its lease ran out), run again (else they are marked failed).");
    public static final Setting<Integer> WORKERS_IN_PROCESS = Setting.integer("workers_in_process", 1, 0, 1,
            "Whether the web server runs a generation worker itself (1) or leaves the queue to `invokej worker` processes (0; also --no-worker).");
    public static final Setting<Integer> WORKER_LEASE_SECONDS = Setting.integer("worker_lease_seconds", 30, 1, 3600,
            "How long, in seconds, a worker's claim on a running item holds without renewal; a worker that stops renewing (killed, host lost) loses its item after this.");

    public static final Setting<List<String>> ALLOW_ORIGINS = Setting.list("allow_origins", List.of(),
            "Other web origins (e.g. https://app.example.com, or *) whose pages may call the API from a browser (CORS); none by default.",
            items -> { });
    public static final Setting<Boolean> ALLOW_CREDENTIALS = Setting.bool("allow_credentials", true,
            "Whether those origins' requests may carry cookies and credentials (CORS).");
    public static final Setting<List<String>> ALLOW_METHODS = Setting.list("allow_methods", List.of("*"),
            "HTTP methods those origins may use (CORS); * for all.", items -> { });
    public static final Setting<List<String>> ALLOW_HEADERS = Setting.list("allow_headers", List.of("*"),
            "Request headers those origins may send (CORS); * for all.", items -> { });

    public static final Setting<String> SSL_CERTFILE = optionalPath("ssl_certfile",
            "A PEM certificate (chain) to serve HTTPS and WSS with, together with ssl_keyfile (relative to the root; empty: plain HTTP).");
    public static final Setting<String> SSL_KEYFILE = optionalPath("ssl_keyfile",
            "The unencrypted PEM private key of ssl_certfile (keep it readable by the server's user only).");

    public static final Setting<Boolean> AUTH_CACHE = Setting.bool("auth_cache", true,
            "Keep what each token and API key stands for while the database is unchanged (any change, by the server, the CLI or sqlite3, is still seen by the next request); false reads the user on every request.");

    /** A file name that InvokeAI's files may also leave {@code null}: empty means none. */
    private static Setting<String> optionalPath(String key, String description) {
        return new Setting<>(key, "", raw -> {
            if (raw != null && !(raw instanceof String)) {
                throw new IllegalArgumentException("expected a file name");
            }
            return raw == null ? "" : raw.toString().strip();
        }, description);
    }

    /** Every setting, in the order a new invokeai.yaml documents them. */
    public static final List<Setting<?>> SETTINGS = List.of(
            MULTIUSER, STRICT_PASSWORD_CHECKING, HOST, PORT, LOG_LEVEL, LOG_HANDLERS, LOG_FILE_MAX_SIZE, LOG_FILE_COUNT,
            DB_DIR, DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, DATABASE_POOL_SIZE, OUTPUTS_DIR, MODELS_DIR, MAX_REQUEST_SIZE, BASE_URL, TRUSTED_PROXIES,
            BCRYPT_COST, BCRYPT_THREADS, LOGIN_THROTTLE_FAILURES, LOGIN_THROTTLE_MAX_WAIT, LOGIN_ACCOUNT_MAX_WAIT,
            MAX_UPLOAD_SIZE, MAX_IMAGE_PIXELS,
            SOCKET_PING_INTERVAL_MS, SOCKET_PING_TIMEOUT_MS, SOCKET_REVALIDATION_SECONDS,
            SOCKET_MAX_POLLING_SESSIONS, SOCKET_MAX_POLLING_SESSIONS_PER_USER, WEB_UI_DIR,
            HASHING_ALGORITHM,
            DEVICE, MODEL_CACHE_SIZE, INFERENCE_THREADS, PREVIEW_INTERVAL, SESSION_QUEUE_MODE, MAX_QUEUE_SIZE,
            MAX_PENDING_PER_USER, MAX_BATCH_ITEMS, MAX_GENERATION_PIXELS, MAX_STEPS, REQUEUE_INTERRUPTED_ITEMS,
            WORKERS_IN_PROCESS, WORKER_LEASE_SECONDS,
            ALLOW_ORIGINS, ALLOW_CREDENTIALS, ALLOW_METHODS, ALLOW_HEADERS, SSL_CERTFILE, SSL_KEYFILE, AUTH_CACHE);

    private static final List<String> RESERVED_BASE_SEGMENTS =
            List.of("api", "ws", "static", "docs", "redoc", "openapi.json", "locales", "assets", "observe");

    /** InvokeAI's normalisation: one leading slash, no trailing one; "" or "/" mean none. */
    static String checkBaseUrl(String value) {
        String trimmed = value.replaceAll("^/+|/+$", "");
        if (trimmed.isEmpty()) {
            return "";
        }
        if (!trimmed.matches("[A-Za-z0-9._~\\-]+(/[A-Za-z0-9._~\\-]+)*")) {
            throw new IllegalArgumentException("expected a path such as /invoke");
        }
        if (RESERVED_BASE_SEGMENTS.contains(trimmed.split("/")[0])) {
            throw new IllegalArgumentException("expected a path whose first part is not one of " + String.join(", ", RESERVED_BASE_SEGMENTS));
        }
        return "/" + trimmed;
    }

    static InvokeConfig from(Map<Setting<?>, Object> values) {
        return new InvokeConfig(
                get(values, MULTIUSER),
                get(values, STRICT_PASSWORD_CHECKING),
                get(values, HOST),
                get(values, PORT),
                get(values, LOG_LEVEL),
                get(values, LOG_HANDLERS),
                get(values, LOG_FILE_MAX_SIZE),
                get(values, LOG_FILE_COUNT),
                get(values, DB_DIR),
                get(values, DATABASE_URL),
                get(values, DATABASE_USER),
                get(values, DATABASE_PASSWORD),
                get(values, DATABASE_POOL_SIZE),
                get(values, OUTPUTS_DIR),
                get(values, MODELS_DIR),
                get(values, MAX_REQUEST_SIZE),
                get(values, BASE_URL),
                get(values, TRUSTED_PROXIES),
                get(values, BCRYPT_COST),
                get(values, BCRYPT_THREADS),
                get(values, LOGIN_THROTTLE_FAILURES),
                get(values, LOGIN_THROTTLE_MAX_WAIT),
                get(values, LOGIN_ACCOUNT_MAX_WAIT),
                get(values, MAX_UPLOAD_SIZE),
                get(values, MAX_IMAGE_PIXELS),
                get(values, SOCKET_PING_INTERVAL_MS),
                get(values, SOCKET_PING_TIMEOUT_MS),
                get(values, SOCKET_REVALIDATION_SECONDS),
                get(values, SOCKET_MAX_POLLING_SESSIONS),
                get(values, SOCKET_MAX_POLLING_SESSIONS_PER_USER),
                get(values, WEB_UI_DIR),
                get(values, HASHING_ALGORITHM),
                get(values, DEVICE),
                get(values, MODEL_CACHE_SIZE),
                get(values, INFERENCE_THREADS),
                get(values, PREVIEW_INTERVAL),
                get(values, SESSION_QUEUE_MODE),
                get(values, MAX_QUEUE_SIZE),
                get(values, MAX_PENDING_PER_USER),
                get(values, MAX_BATCH_ITEMS),
                get(values, MAX_GENERATION_PIXELS),
                get(values, MAX_STEPS),
                get(values, REQUEUE_INTERRUPTED_ITEMS),
                get(values, WORKERS_IN_PROCESS),
                get(values, WORKER_LEASE_SECONDS),
                get(values, ALLOW_ORIGINS),
                get(values, ALLOW_CREDENTIALS),
                get(values, ALLOW_METHODS),
                get(values, ALLOW_HEADERS),
                get(values, SSL_CERTFILE),
                get(values, SSL_KEYFILE),
                get(values, AUTH_CACHE));
    }

    /** The built-in defaults. */
    public static InvokeConfig defaults() {
        return from(Map.of());
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<Setting<?>, Object> values, Setting<T> setting) {
        return (T) values.getOrDefault(setting, setting.defaultValue());
    }

    /** The sizes and step counts a graph may ask for. */
    public GraphLimits graphLimits() {
        return new GraphLimits(maxImagePixels, maxGenerationPixels, maxSteps);
    }

    static String checkDatabaseUrl(String value) {
        if (!value.isEmpty() && !DatabaseLocation.PostgresServer.isPostgresUrl(value)) {
            throw new IllegalArgumentException("expected postgresql://host:port/database (or nothing, for the SQLite file in db_dir)");
        }
        return value;
    }

    /** Where the root's database is: PostgreSQL when {@code database_url} is set, else the SQLite file under {@code root}. */
    public DatabaseLocation databaseLocation(Path root) {
        return databaseUrl.isEmpty() ? new DatabaseLocation.SqliteFile(databaseFile(root))
                : new DatabaseLocation.PostgresServer(databaseUrl, databaseUser, databasePassword, databasePoolSize);
    }

    /** The settings without the database password, which must not reach a log. */
    @Override
    public String toString() {
        return "InvokeConfig[multiuser=" + multiuser + ", host=" + host + ", port=" + port + ", dbDir=" + dbDir
                + ", databaseUrl=" + databaseUrl + ", databaseUser=" + databaseUser + ", …]";
    }

    /** Where the log goes ({@code log_handlers}, with the log file's rotation), a relative file being in {@code root}. */
    LogHandlers logOutputs(Path root) {
        return LogHandlers.of(logHandlers, root, logFileMaxSize, logFileCount);
    }

    /** The SQLite database file under {@code root} (unused when {@code database_url} is set). */
    public Path databaseFile(Path root) {
        return root.resolve(dbDir).resolve("invokeai.db");
    }

    /** The built web UI to serve instead of the built-in one ({@code web_ui_dir}, relative to {@code root}), if set. */
    public Optional<Path> webUiPath(Path root) {
        return webUiDir.isBlank() ? Optional.empty() : Optional.of(root.resolve(webUiDir.strip()));
    }

    /**
     * The certificate and key files to serve HTTPS with ({@code ssl_certfile}, {@code ssl_keyfile}, relative
     * to {@code root}), if set.
     *
     * @throws ConfigException when only one of the two is set
     */
    public Optional<TlsPaths> tlsPaths(Path root) {
        if (sslCertfile.isBlank() && sslKeyfile.isBlank()) {
            return Optional.empty();
        }
        if (sslCertfile.isBlank() || sslKeyfile.isBlank()) {
            throw new ConfigException("ssl_certfile and ssl_keyfile go together: set both to serve HTTPS, or neither for plain HTTP");
        }
        return Optional.of(new TlsPaths(root.resolve(sslCertfile), root.resolve(sslKeyfile)));
    }

    /** Where the certificate and its key are. */
    public record TlsPaths(Path certFile, Path keyFile) {
    }

    /** Where full-size images live under {@code root}; thumbnails are in its {@code thumbnails} folder. */
    public Path imagesDir(Path root) {
        return root.resolve(outputsDir).resolve("images");
    }

    /** The {@code hashing_algorithm} as a value. */
    public HashAlgorithm hashAlgorithm() {
        return HashAlgorithm.parse(hashingAlgorithm);
    }

    /** Where installed models live under {@code root}. */
    public Path modelsPath(Path root) {
        return root.resolve(modelsDir);
    }
}

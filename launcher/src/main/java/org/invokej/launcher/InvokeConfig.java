package org.invokej.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

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
        String dbDir,
        String outputsDir,
        String modelsDir,
        long maxRequestSize) {

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
    public static final Setting<String> DB_DIR = Setting.text("db_dir", "databases",
            "Folder of invokeai.db, relative to the root.");
    public static final Setting<String> OUTPUTS_DIR = Setting.text("outputs_dir", "outputs",
            "Folder of generated and uploaded images (outputs/images), relative to the root.");
    public static final Setting<String> MODELS_DIR = Setting.text("models_dir", "models",
            "Folder of installed models, relative to the root.");
    public static final Setting<Long> MAX_REQUEST_SIZE = Setting.bytes("max_request_size", 64L << 20, 1024,
            "Largest request body the server accepts (e.g. 64MiB); larger ones get 413.");

    /** Every setting, in the order a new invokeai.yaml documents them. */
    public static final List<Setting<?>> SETTINGS = List.of(
            MULTIUSER, STRICT_PASSWORD_CHECKING, HOST, PORT, LOG_LEVEL,
            DB_DIR, OUTPUTS_DIR, MODELS_DIR, MAX_REQUEST_SIZE);

    static InvokeConfig from(Map<Setting<?>, Object> values) {
        return new InvokeConfig(
                get(values, MULTIUSER),
                get(values, STRICT_PASSWORD_CHECKING),
                get(values, HOST),
                get(values, PORT),
                get(values, LOG_LEVEL),
                get(values, DB_DIR),
                get(values, OUTPUTS_DIR),
                get(values, MODELS_DIR),
                get(values, MAX_REQUEST_SIZE));
    }

    /** The built-in defaults. */
    public static InvokeConfig defaults() {
        return from(Map.of());
    }

    @SuppressWarnings("unchecked")
    private static <T> T get(Map<Setting<?>, Object> values, Setting<T> setting) {
        return (T) values.getOrDefault(setting, setting.defaultValue());
    }

    /** The database file under {@code root}. */
    public Path databaseFile(Path root) {
        return root.resolve(dbDir).resolve("invokeai.db");
    }

    /** Where full-size images live under {@code root}; thumbnails are in its {@code thumbnails} folder. */
    public Path imagesDir(Path root) {
        return root.resolve(outputsDir).resolve("images");
    }

    /** Where installed models live under {@code root}. */
    public Path modelsPath(Path root) {
        return root.resolve(modelsDir);
    }
}

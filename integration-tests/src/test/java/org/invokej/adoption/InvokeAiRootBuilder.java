package org.invokej.adoption;

import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.TestImages;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Builds an InvokeAI root as a given InvokeAI release leaves it: the schema of that release (from
 * InvokeAI's migrations: {@code adoption/invokeai-<release>-schema.sql}, loaded with the sqlite3 CLI),
 * rows written with the SQL of InvokeAI's services, PNGs carrying InvokeAI's {@code invokeai_metadata}
 * and {@code invokeai_graph} text chunks with {@code .webp} thumbnails beside them, and model folders.
 *
 * <p>The content is one scenario for every release. Before InvokeAI's multi-user release there are no
 * accounts and no owner columns: everything is the single user's.
 */
final class InvokeAiRootBuilder {

    /** InvokeAI releases whose schema the builder writes. */
    enum Release {
        V5_X("5.x", 20, false),
        V6_0("6.0", 21, false),
        V6_14("6.14", 33, true);

        final String label;
        final int schemaVersion;
        final boolean multiUser;

        Release(String label, int schemaVersion, boolean multiUser) {
            this.label = label;
            this.schemaVersion = schemaVersion;
            this.multiUser = multiUser;
        }
    }

    record Account(String userId, String email, String password, boolean admin) {
    }

    /** What was built: the accounts with their passwords (none before multi-user) and a few ids tests use. */
    record Built(Path root, Release release, List<Account> accounts, String missingImage, String onnxModelKey,
                 String diffusersModelKey) {
        Account account(String emailPrefix) {
            return accounts.stream().filter(a -> a.email().startsWith(emailPrefix)).findFirst().orElseThrow();
        }
    }

    private static final String[] DATED_MIGRATIONS = {"2026_07_01_add_session_queue_device", "2026_07_01_add_videos_tables",
            "2026_07_01_add_workflow_call_queue_metadata", "2026_07_03_round_robin_indexes", "2026_07_10_create_system_prompts",
            "2026_07_31_add_user_token_epoch", "2026_08_08_demote_system_user"};

    private final Release release;
    private final Path root;
    private final Path images;
    private final BCryptPasswordEncoder bcrypt = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2B, 4);
    private final byte[] webp;
    private int clock;

    private InvokeAiRootBuilder(Release release, Path root) {
        this.release = release;
        this.root = root;
        this.images = root.resolve("outputs").resolve("images");
        try (InputStream in = InvokeAiRootBuilder.class.getResourceAsStream("/adoption/thumbnail.webp")) {
            // a thumbnail InvokeAI (PIL) wrote: the JDK cannot encode WebP
            this.webp = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Built build(Release release, Path root) {
        try {
            return new InvokeAiRootBuilder(release, root).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Built build() throws IOException, SQLException {
        Files.createDirectories(images.resolve("thumbnails"));
        Files.createDirectories(root.resolve("databases"));
        Files.createDirectories(root.resolve("models"));
        Files.writeString(root.resolve("invokeai.yaml"), "# Internal metadata - do not edit:\nschema_version: 4.0.3\n\n"
                + "# Put user settings here - see https://invoke.ai/configuration/invokeai-yaml/:\n"
                + (release.multiUser ? "multiuser: true\n" : "")
                + "precision: float16\nenable_partial_loading: true\nhashing_algorithm: blake3_single\n");
        Path database = root.resolve("databases").resolve("invokeai.db");
        loadSchema(database);
        List<Account> accounts = new ArrayList<>();
        String missing;
        String onnxKey;
        String diffusersKey;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            db.createStatement().execute("PRAGMA foreign_keys = ON");
            db.setAutoCommit(false);
            bookkeeping(db);
            String system = "system";
            String admin = system;
            String alice = system;
            String bob = system;
            if (release.multiUser) {
                execute(db, "INSERT INTO users (user_id, email, display_name, password_hash, is_admin, is_active) "
                        + "VALUES ('system', 'system@system.invokeai', 'System', '', FALSE, TRUE)");
                Account a = user(db, "admin@example.com", "Admin Person", "Admin-Pass-2026", true);
                Account b = user(db, "alice@example.com", "Alice", "Alice-Pass-42", false);
                Account c = user(db, "bob@example.com", "Bob", "Bob-Pass-77", false);
                accounts.addAll(List.of(a, b, c));
                admin = a.userId();
                alice = b.userId();
                bob = c.userId();
                insert(db, "INSERT INTO app_settings (key, value) VALUES ('jwt_secret', ?)", "0123456789abcdef".repeat(4));
            }
            String alicePrivate = board(db, "Alice sketches", alice, "private", false);
            String alicePublic = board(db, "Alice gallery", alice, "public", false);
            String bobShared = board(db, "Bob shared", bob, "shared", false);
            board(db, "Bob old things", bob, "private", true);
            String legacy = board(db, "Before accounts", system, "private", false);

            String starred = image(db, alice, alicePrivate, "internal", "general", false, true, true);
            image(db, alice, null, "external", "user", false, false, false);
            image(db, alice, null, "internal", "mask", true, false, false);
            image(db, bob, bobShared, "internal", "general", false, false, true);
            image(db, bob, alicePublic, "internal", "general", false, true, true);
            image(db, system, legacy, "internal", "general", false, false, true);
            image(db, admin, null, "internal", "general", false, false, true);
            missing = image(db, alice, null, "internal", "general", false, false, true);
            Files.delete(images.resolve(missing));
            Files.delete(images.resolve("thumbnails").resolve(missing.replace(".png", ".webp")));
            execute(db, "UPDATE boards SET cover_image_name = '" + starred + "' WHERE board_id = '" + alicePrivate + "'");

            workflow(db, "Text to Image - SD1.5", "default", system, false);
            workflow(db, "Alice portraits", "user", alice, false);
            workflow(db, "Bob shares this", "user", bob, true);
            // as InvokeAI's upgrade leaves a workflow saved before accounts: the system user's, shared
            workflow(db, "Saved before accounts", "user", system, true);

            stylePreset(db, "Photography (General)", "default", system, false);
            stylePreset(db, "Alice moody", "user", alice, false);
            stylePreset(db, "Legacy preset", "user", system, false);

            queueItem(db, alice, "completed", null);
            queueItem(db, bob, "failed", "Traceback (most recent call last):\n  ...\ntorch.OutOfMemoryError: CUDA out of memory");
            queueItem(db, system, "canceled", null);
            queueItem(db, alice, "completed", null);

            onnxKey = model(db, "Tiny SD1 ONNX", "main", "onnx", "sd-1", true);
            model(db, "DreamShaper 8", "main", "checkpoint", "sd-1", false);
            diffusersKey = model(db, "stable-diffusion-xl-base-1.0", "main", "diffusers", "sdxl", false);
            model(db, "add_detail", "lora", "lycoris", "sd-1", false);
            model(db, "EasyNegative", "embedding", "embedding_file", "sd-1", false);

            clientState(db, alice);
            db.commit();
        }
        return new Built(root, release, accounts, missing, onnxKey, diffusersKey);
    }

    /** InvokeAI's schema of this release, through the sqlite3 command-line shell. */
    private void loadSchema(Path database) throws IOException {
        Path script = Files.createTempFile("invokeai-schema", ".sql");
        try (InputStream in = InvokeAiRootBuilder.class.getResourceAsStream("/adoption/invokeai-" + release.label + "-schema.sql")) {
            Files.write(script, in.readAllBytes());
        }
        Process sqlite = new ProcessBuilder("sqlite3", database.toString()).redirectInput(script.toFile())
                .redirectErrorStream(true).start();
        try {
            String output = new String(sqlite.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!sqlite.waitFor(60, TimeUnit.SECONDS) || sqlite.exitValue() != 0 || !output.isBlank()) {
                throw new IllegalStateException("sqlite3 could not load the " + release.label + " schema: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Files.delete(script);
        }
    }

    /** InvokeAI's migrator: version 0 then one row per migration; since 6.14 also the applied_migrations ids. */
    private void bookkeeping(Connection db) throws SQLException {
        for (int version = 0; version <= release.schemaVersion; version++) {
            insert(db, "INSERT INTO migrations (version, migrated_at) VALUES (?, ?)", version, time());
            if (release.multiUser && version > 0) {
                insert(db, "INSERT INTO applied_migrations (migration_id, legacy_version, migrated_at) VALUES (?, ?, ?)",
                        "migration_" + version, version, time());
            }
        }
        if (release.multiUser) {
            for (String id : DATED_MIGRATIONS) {
                insert(db, "INSERT INTO applied_migrations (migration_id, legacy_version, migrated_at) VALUES (?, NULL, ?)", id, time());
            }
        }
    }

    /** UserService.create: a passlib-style bcrypt $2b$ hash. */
    private Account user(Connection db, String email, String name, String password, boolean admin) throws SQLException {
        String id = UUID.randomUUID().toString();
        insert(db, "INSERT INTO users (user_id, email, display_name, password_hash, is_admin, is_active) VALUES (?, ?, ?, ?, ?, TRUE)",
                id, email, name, bcrypt.encode(password), admin);
        return new Account(id, email, password, admin);
    }

    private String board(Connection db, String name, String owner, String visibility, boolean archived) throws SQLException {
        String id = UUID.randomUUID().toString();
        if (release.multiUser) {
            insert(db, "INSERT INTO boards (board_id, board_name, user_id, is_public, board_visibility, archived, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?)", id, name, owner, visibility.equals("public"), visibility, archived, time());
        } else {
            insert(db, "INSERT INTO boards (board_id, board_name, archived, created_at) VALUES (?, ?, ?, ?)", id, name, archived, time());
        }
        return id;
    }

    /** ImageRecordStorage.save and DiskImageFileStorage.save: the PNG with its text chunks, a WebP thumbnail. */
    private String image(Connection db, String owner, String boardId, String origin, String category, boolean intermediate,
                         boolean starred, boolean generated) throws SQLException, IOException {
        String name = UUID.randomUUID() + ".png";
        String session = generated ? UUID.randomUUID().toString() : null;
        String node = generated ? UUID.randomUUID().toString() : null;
        String metadata = generated ? "{\"generation_mode\":\"txt2img\",\"positive_prompt\":\"a lighthouse at dusk " + name
                + "\",\"negative_prompt\":\"\",\"width\":64,\"height\":48,\"seed\":42,\"steps\":20,\"cfg_scale\":7.5,"
                + "\"scheduler\":\"euler\",\"model\":{\"key\":\"k\",\"hash\":\"h\",\"name\":\"DreamShaper 8\",\"base\":\"sd-1\","
                + "\"type\":\"main\"},\"app_version\":\"" + release.label + "\"}" : null;
        Map<String, String> chunks = new LinkedHashMap<>();
        if (metadata != null) {
            chunks.put("invokeai_metadata", metadata);
            chunks.put("invokeai_graph", "{\"id\":\"sd1_graph:x\",\"nodes\":{},\"edges\":[]}");
        }
        Files.write(images.resolve(name), withTextChunks(TestImages.png(64, 48), chunks));
        Files.write(images.resolve("thumbnails").resolve(name.replace(".png", ".webp")), webp);
        if (release.multiUser) {
            insert(db, "INSERT INTO images (image_name, image_origin, image_category, width, height, session_id, node_id, metadata, "
                            + "is_intermediate, starred, has_workflow, user_id, created_at) VALUES (?, ?, ?, 64, 48, ?, ?, ?, ?, ?, FALSE, ?, ?)",
                    name, origin, category, session, node, metadata, intermediate, starred, owner, time());
        } else {
            insert(db, "INSERT INTO images (image_name, image_origin, image_category, width, height, session_id, node_id, metadata, "
                            + "is_intermediate, starred, has_workflow, created_at) VALUES (?, ?, ?, 64, 48, ?, ?, ?, ?, ?, FALSE, ?)",
                    name, origin, category, session, node, metadata, intermediate, starred, time());
        }
        if (boardId != null) {
            insert(db, "INSERT INTO board_images (board_id, image_name) VALUES (?, ?) ON CONFLICT (image_name) DO UPDATE SET board_id = ?",
                    boardId, name, boardId);
        }
        return name;
    }

    private void workflow(Connection db, String name, String category, String owner, boolean isPublic) throws SQLException {
        String id = UUID.randomUUID().toString();
        String json = "{\"id\":\"" + id + "\",\"name\":\"" + name + "\",\"author\":\"\",\"description\":\"" + name
                + " (built for the adoption test)\",\"version\":\"1.0.0\",\"contact\":\"\",\"tags\":\"sd1.5\",\"notes\":\"\","
                + "\"exposedFields\":[],\"meta\":{\"version\":\"3.0.0\",\"category\":\"" + category + "\"},\"nodes\":[],\"edges\":[],"
                + "\"form\":null}";
        if (release.multiUser) {
            insert(db, "INSERT INTO workflow_library (workflow_id, workflow, user_id, is_public) VALUES (?, ?, ?, ?)",
                    id, json, owner, isPublic);
        } else {
            insert(db, "INSERT INTO workflow_library (workflow_id, workflow) VALUES (?, ?)", id, json);
        }
    }

    private void stylePreset(Connection db, String name, String type, String owner, boolean isPublic) throws SQLException {
        String data = "{\"positive_prompt\":\"{prompt}, " + name.toLowerCase() + "\",\"negative_prompt\":\"blurry\"}";
        if (release.multiUser) {
            insert(db, "INSERT INTO style_presets (id, name, preset_data, type, user_id, is_public) VALUES (?, ?, ?, ?, ?, ?)",
                    UUID.randomUUID().toString(), name, data, type, owner, isPublic);
        } else {
            insert(db, "INSERT INTO style_presets (id, name, preset_data, type) VALUES (?, ?, ?, ?)",
                    UUID.randomUUID().toString(), name, data, type);
        }
    }

    /** SqliteSessionQueue.enqueue_batch, then the processor's status updates. */
    private void queueItem(Connection db, String owner, String status, String traceback) throws SQLException {
        String session = UUID.randomUUID().toString();
        String json = "{\"id\":\"" + session + "\",\"graph\":{\"id\":\"g\",\"nodes\":{},\"edges\":[]},\"execution_graph\":"
                + "{\"id\":\"eg\",\"nodes\":{},\"edges\":[]},\"executed\":[],\"executed_history\":[],\"results\":{},\"errors\":{},"
                + "\"prepared_source_mapping\":{},\"source_prepared_mapping\":{}}";
        String created = time();
        String finished = time();
        String errorType = traceback == null ? null : "OutOfMemoryError";
        String errorMessage = traceback == null ? null : "CUDA out of memory";
        if (release.multiUser) {
            insert(db, "INSERT INTO session_queue (queue_id, session, session_id, batch_id, field_values, priority, workflow, origin, "
                            + "destination, retried_from_item_id, user_id, status, error_type, error_message, error_traceback, created_at, "
                            + "started_at, completed_at) VALUES ('default', ?, ?, ?, NULL, 0, NULL, 'generate', 'gallery', NULL, ?, ?, ?, ?, ?, ?, ?, ?)",
                    json, session, UUID.randomUUID().toString(), owner, status, errorType, errorMessage, traceback, created, created, finished);
        } else {
            insert(db, "INSERT INTO session_queue (queue_id, session, session_id, batch_id, field_values, priority, workflow, origin, "
                            + "destination, retried_from_item_id, status, error_type, error_message, error_traceback, created_at, "
                            + "started_at, completed_at) VALUES ('default', ?, ?, ?, NULL, 0, NULL, 'generate', 'gallery', NULL, ?, ?, ?, ?, ?, ?, ?)",
                    json, session, UUID.randomUUID().toString(), status, errorType, errorMessage, traceback, created, created, finished);
        }
    }

    /** ModelRecordServiceSQL.add_model: the config JSON; the files under models/<key>/. */
    private String model(Connection db, String name, String type, String format, String base, boolean onnx)
            throws SQLException, IOException {
        String key = UUID.randomUUID().toString();
        Path folder = root.resolve("models").resolve(key);
        String path;
        if (onnx) {
            TinyModels.sd15().writeTo(folder);
            path = key;
        } else if (format.equals("diffusers")) {
            Files.createDirectories(folder.resolve("unet"));
            Files.writeString(folder.resolve("model_index.json"), "{\"_class_name\":\"StableDiffusionXLPipeline\"}");
            Files.write(folder.resolve("unet").resolve("diffusion_pytorch_model.fp16.safetensors"), new byte[64]);
            path = key;
        } else {
            Files.createDirectories(folder);
            Files.write(folder.resolve(name + ".safetensors"), new byte[64]);
            path = key + "/" + name + ".safetensors";
        }
        String extra = switch (format) {
            case "diffusers" -> ",\"repo_variant\":\"fp16\",\"prediction_type\":\"epsilon\",\"variant\":\"normal\"";
            case "checkpoint" -> ",\"config_path\":null,\"prediction_type\":\"epsilon\",\"variant\":\"normal\"";
            case "onnx" -> ",\"prediction_type\":\"epsilon\",\"variant\":\"normal\"";
            default -> "";
        };
        String config = "{\"key\":\"" + key + "\",\"hash\":\"blake3:" + key.replace("-", "") + "\",\"path\":\"" + path
                + "\",\"file_size\":64,\"name\":\"" + name + "\",\"description\":\"" + name + " for the adoption test\","
                + "\"source\":\"" + name + "\",\"source_type\":\"path\",\"source_api_response\":null,\"source_url\":null,"
                + "\"cover_image\":null,\"type\":\"" + type + "\",\"trigger_phrases\":null,\"default_settings\":"
                + (type.equals("lora") ? "{\"weight\":0.6,\"weight_min\":null,\"weight_max\":null}" : "null")
                + ",\"format\":\"" + format + "\"" + extra + ",\"base\":\"" + base + "\"}";
        insert(db, "INSERT INTO models (id, config) VALUES (?, ?)", key, config);
        return key;
    }

    /** The web UI's persisted state: per user and key since 6.12, one JSON row in 6.0, none before. */
    private void clientState(Connection db, String alice) throws SQLException {
        if (release.multiUser) {
            insert(db, "INSERT INTO client_state (user_id, key, value) VALUES (?, 'gallery', ?)", alice,
                    "{\"selection\": [], \"shouldAutoSwitch\": true}");
            insert(db, "INSERT INTO client_state (user_id, key, value) VALUES ('system', 'ui', ?)", "{\"activeTab\": \"canvas\"}");
        } else if (release.schemaVersion >= 21) {
            insert(db, "INSERT INTO client_state (id, data) VALUES (1, ?)",
                    "{\"gallery\": \"{\\\"selection\\\": []}\", \"ui\": \"{\\\"activeTab\\\": \\\"canvas\\\"}\"}");
        }
    }

    /** Timestamps as SQLite's defaults write them, one minute apart, in insertion order. */
    private String time() {
        clock++;
        return String.format("2025-06-01 %02d:%02d:00.000", 8 + clock / 60, clock % 60);
    }

    /** A PNG with {@code tEXt} chunks after IHDR, as PIL writes InvokeAI's metadata. */
    static byte[] withTextChunks(byte[] png, Map<String, String> chunks) {
        int afterHeader = 8 + 4 + 4 + 13 + 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(png, 0, afterHeader);
        chunks.forEach((keyword, text) -> {
            byte[] data = (keyword + "\0" + text).getBytes(StandardCharsets.ISO_8859_1);
            byte[] type = "tEXt".getBytes(StandardCharsets.US_ASCII);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(data);
            writeInt(out, data.length);
            out.writeBytes(type);
            out.writeBytes(data);
            writeInt(out, (int) crc.getValue());
        });
        out.write(png, afterHeader, png.length - afterHeader);
        return out.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream out, int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }

    private static void execute(Connection db, String sql) throws SQLException {
        db.createStatement().execute(sql);
    }

    private static void insert(Connection db, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }
}

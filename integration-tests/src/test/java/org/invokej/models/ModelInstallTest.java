package org.invokej.models;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.events.ServerEvent;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Installing models through {@code /api/v2/models/install}: from folders and zips, and refusals that record nothing. */
class ModelInstallTest {

    @TempDir
    static Path root;
    @TempDir
    static Path sources;

    private static TestServer server;
    private static TestAccounts.Account admin;
    private static TestAccounts.Account user;
    private static final List<ServerEvent> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"), events::add);
        TestAccounts accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
        user = accounts.create(admin, "user@test.com", "User", false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Path models() {
        return root.resolve("models");
    }

    /** What lies in the models folder besides installed models' own folders and cover images. */
    private static List<String> strayEntries(List<String> keys) throws IOException {
        try (Stream<Path> entries = Files.list(models())) {
            return entries.map(path -> path.getFileName().toString())
                    // .invokej-shared-folder: on PostgreSQL, the marker of the folder every process shares
                    .filter(name -> !keys.contains(name) && !name.equals(".images") && !name.equals(".invokej-shared-folder"))
                    .toList();
        }
    }

    private static List<String> installedKeys() {
        List<String> keys = new java.util.ArrayList<>();
        admin.client().get("/api/v2/models/").json().path("models").forEach(model -> keys.add(model.path("key").asText()));
        return keys;
    }

    private static JsonNode modelNamed(String name) {
        for (JsonNode model : admin.client().get("/api/v2/models/").json().path("models")) {
            if (model.path("name").asText().equals(name)) {
                return model;
            }
        }
        return null;
    }

    @Test
    void aFolderIsCheckedHashedAndCopiedIntoModelsAndEveryUserSeesIt() throws IOException {
        Path source = TinyModels.sd15().writeTo(sources.resolve("tiny-folder"));
        TestResponse started = ModelInstalls.start(admin.client(), source, false, Map.of("description", "a tiny model"));
        assertEquals(201, started.status(), started.toString());
        assertEquals("local", started.json().path("source").path("type").asText());
        JsonNode job = ModelInstalls.awaitJob(admin.client(), started.json().path("id").asLong());
        assertEquals("completed", job.path("status").asText(), job.toString());

        JsonNode config = job.path("config_out");
        String key = config.path("key").asText();
        assertEquals(key, config.path("path").asText(), "a copied model lives in models/<key>, recorded relative");
        assertEquals("tiny-folder", config.path("name").asText());
        assertEquals("a tiny model", config.path("description").asText());
        assertEquals("main", config.path("type").asText());
        assertEquals("onnx", config.path("format").asText());
        assertEquals("sd-1", config.path("base").asText());
        assertEquals("epsilon", config.path("prediction_type").asText());
        assertEquals("path", config.path("source_type").asText());
        assertEquals(source.toString(), config.path("source").asText());
        assertTrue(config.path("hash").asText().matches("blake3:[0-9a-f]{64}"), config.toString());
        assertTrue(config.has("cover_image") && config.path("cover_image").isNull(), config.toString());
        assertTrue(Files.isRegularFile(models().resolve(key).resolve("unet/model.onnx")));
        assertEquals(sizeOf(source), config.path("file_size").asLong());
        assertEquals(job.path("total_bytes").asLong(), job.path("bytes").asLong());
        assertTrue(Files.isRegularFile(source.resolve("unet/model.onnx")), "the source folder is left as it was");

        // every user sees it, in InvokeAI's shapes
        TestResponse list = user.client().get("/api/v2/models/");
        assertEquals(200, list.status(), list.toString());
        assertTrue(list.json().path("models").findValuesAsText("key").contains(key));
        assertEquals(config, user.client().get("/api/v2/models/i/" + key).json());
        assertEquals(key, user.client().get("/api/v2/models/get_by_hash?hash=" + config.path("hash").asText())
                .json().path("key").asText());
        assertEquals(key, user.client().get("/api/v2/models/get_by_attrs?name=tiny-folder&type=main&base=sd-1")
                .json().path("key").asText());
        assertTrue(strayEntries(installedKeys()).isEmpty(), "no work folders are left behind");

        // the events administrators get, with InvokeAI's names and fields
        List<String> names = events.stream().filter(e -> TestPayload.json(e).path("id").asLong() == job.path("id").asLong())
                .map(ServerEvent::name).toList();
        assertEquals("model_install_started", names.getFirst());
        assertEquals("model_install_complete", names.getLast());
        assertTrue(names.contains("model_install_download_progress"), names.toString());
        ServerEvent complete = events.stream().filter(e -> e.name().equals("model_install_complete")
                && TestPayload.json(e).path("key").asText().equals(key)).findFirst().orElseThrow();
        assertTrue(complete.audience() instanceof org.invokej.core.events.Audience.Admins);
        assertTrue(TestPayload.json(complete).has("timestamp") && TestPayload.json(complete).has("config"));
    }

    @Test
    void aZipIsUnpackedWhetherItsModelIsAtTheTopOrInOneFolder() throws IOException {
        Path folder = TinyModels.sd15().writeTo(sources.resolve("zipped"));
        Path nested = ModelInstalls.zip(folder, sources.resolve("tiny-nested.zip"), true);
        Path flat = ModelInstalls.zip(folder, sources.resolve("tiny-flat.zip"), false);
        for (Path zip : List.of(nested, flat)) {
            JsonNode job = ModelInstalls.install(admin.client(), zip);
            assertEquals("completed", job.path("status").asText(), job.toString());
            JsonNode config = job.path("config_out");
            assertEquals(zip.getFileName().toString().replace(".zip", ""), config.path("name").asText());
            assertTrue(Files.isRegularFile(models().resolve(config.path("key").asText()).resolve("model_index.json")));
            assertFalse(job.path("inplace").asBoolean());
        }
        assertTrue(strayEntries(installedKeys()).isEmpty(), "no unpacked leftovers");
    }

    @Test
    void anInPlaceInstallLeavesTheFolderWhereItIsAndIsRecordedAbsolute() {
        Path source = TinyModels.sd15().writeTo(sources.resolve("in-place"));
        TestResponse started = ModelInstalls.start(admin.client(), source, true, null);
        assertEquals(201, started.status(), started.toString());
        JsonNode job = ModelInstalls.awaitJob(admin.client(), started.json().path("id").asLong());
        assertEquals("completed", job.path("status").asText(), job.toString());
        assertEquals(source.toString(), job.path("config_out").path("path").asText());
        assertTrue(job.path("inplace").asBoolean());

        TestResponse again = ModelInstalls.start(admin.client(), source, true, null);
        assertEquals(409, again.status(), again.toString());
        assertTrue(again.detail().contains("already installed"), again.detail());
    }

    @Test
    void theSameFolderCopiedTwiceIsRefusedWithTheInstalledModelsName() {
        Path source = TinyModels.sd15().writeTo(sources.resolve("twice"));
        JsonNode first = ModelInstalls.install(admin.client(), source);
        assertEquals("completed", first.path("status").asText(), first.toString());
        List<String> before = installedKeys();

        TestResponse again = ModelInstalls.start(admin.client(), source, false, Map.of("name", "Another name"));
        assertEquals(409, again.status(), again.toString());
        assertEquals(source + " is already installed as 'twice' (key " + first.path("config_out").path("key").asText() + ")",
                again.detail());
        assertEquals(before, installedKeys(), "nothing was installed the second time");
    }

    @Test
    void aFolderMissingAPartIsRefusedAtOnceWithTheReason() {
        Path source = TinyModels.sd15().writeTo(sources.resolve("no-unet"));
        deleteQuietly(source.resolve("unet/model.onnx"));
        List<String> before = installedKeys();
        TestResponse refused = ModelInstalls.start(admin.client(), source, false, null);
        assertEquals(415, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("unet/model.onnx") && refused.detail().contains("missing"), refused.detail());
        assertEquals(before, installedKeys());
    }

    @Test
    void aFolderWithABrokenGraphFailsItsJobAndLeavesNothing() throws IOException {
        Path source = TinyModels.sd15().writeTo(sources.resolve("broken-graph"));
        Files.write(source.resolve("unet/model.onnx"), new byte[] {1, 2, 3, 4, 5});
        List<String> before = installedKeys();
        TestResponse started = ModelInstalls.start(admin.client(), source, false, null);
        assertEquals(201, started.status(), started.toString());
        JsonNode job = ModelInstalls.awaitJob(admin.client(), started.json().path("id").asLong());
        assertEquals("error", job.path("status").asText(), job.toString());
        assertEquals("InvalidModelException", job.path("error_reason").asText());
        assertTrue(job.path("error").asText().contains("unet"), job.toString());
        assertTrue(job.path("config_out").isNull());
        assertEquals(before, installedKeys());
        assertEquals(null, modelNamed("broken-graph"));
        assertTrue(strayEntries(before).isEmpty(), "the copy was removed");
        assertTrue(events.stream().anyMatch(e -> e.name().equals("model_install_error")
                && TestPayload.json(e).path("id").asLong() == job.path("id").asLong()
                && TestPayload.json(e).path("error_type").asText().equals("InvalidModelException")));
    }

    @Test
    void badZipsAreRefusedAndRecordNothing() throws IOException {
        List<String> before = installedKeys();
        Path notZip = Files.write(sources.resolve("not-a.zip"), "hello".getBytes());
        TestResponse refused = ModelInstalls.start(admin.client(), notZip, false, null);
        assertEquals(415, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("not a readable zip"), refused.detail());

        Path noIndex = writeZip(sources.resolve("no-index.zip"), Map.of("readme.txt", "hi".getBytes()));
        refused = ModelInstalls.start(admin.client(), noIndex, false, null);
        assertEquals(415, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("model_index.json"), refused.detail());

        Path slip = writeZip(sources.resolve("slip.zip"), Map.of("model_index.json", "{}".getBytes(),
                "../../escaped.txt", "gotcha".getBytes()));
        JsonNode job = ModelInstalls.install(admin.client(), slip);
        assertEquals("error", job.path("status").asText(), job.toString());
        assertTrue(job.path("error").asText().contains("outside"), job.toString());
        assertFalse(Files.exists(root.resolve("escaped.txt")) || Files.exists(models().resolve("escaped.txt")));

        Path folder = TinyModels.sd15().writeTo(sources.resolve("zip-broken"));
        Files.delete(folder.resolve("tokenizer/merges.txt"));
        job = ModelInstalls.install(admin.client(), ModelInstalls.zip(folder, sources.resolve("zip-broken.zip"), true));
        assertEquals("error", job.path("status").asText(), job.toString());
        assertTrue(job.path("error").asText().contains("merges.txt"), job.toString());

        assertEquals(before, installedKeys());
        assertTrue(strayEntries(before).isEmpty(), "nothing unpacked is left");
    }

    @Test
    void sourcesThatAreNotLocalModelsAreInvokeAisConflict() {
        for (String source : List.of("stabilityai/sd-turbo", "https://example.com/model.zip", "relative/folder")) {
            TestResponse refused = admin.client().post("/api/v2/models/install?source="
                    + java.net.URLEncoder.encode(source, java.nio.charset.StandardCharsets.UTF_8), Map.of());
            assertEquals(409, refused.status(), source + " -> " + refused);
            assertEquals("Unsupported model source: '" + source + "'", refused.detail());
        }
        String missing = sources.resolve("nothing-here").toString();
        TestResponse refused = admin.client().post("/api/v2/models/install?source="
                + java.net.URLEncoder.encode(missing, java.nio.charset.StandardCharsets.UTF_8), Map.of());
        assertEquals(409, refused.status(), refused.toString());
        assertEquals("No such folder: '" + missing + "'", refused.detail(), "a typo in a path is named as one");
        TestResponse noSource = admin.client().post("/api/v2/models/install", Map.of());
        assertEquals(422, noSource.status(), noSource.toString());
    }

    @Test
    void anSd2ModelWithVPredictionIsRecognised() {
        Path source = TinyModels.sd15().textWidth(1024).predictionType("v_prediction").writeTo(sources.resolve("tiny-sd2"));
        JsonNode job = ModelInstalls.install(admin.client(), source);
        assertEquals("completed", job.path("status").asText(), job.toString());
        assertEquals("sd-2", job.path("config_out").path("base").asText());
        assertEquals("v_prediction", job.path("config_out").path("prediction_type").asText());
        assertEquals("sd-2 main model tiny-sd2", job.path("config_out").path("description").asText());
    }

    @Test
    void aNameTakenByAModelOfTheSameBaseFailsTheInstall() {
        ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(sources.resolve("a/twin")));
        Path second = TinyModels.sd15().writeTo(sources.resolve("b/twin"));
        List<String> before = installedKeys();
        JsonNode job = ModelInstalls.install(admin.client(), second);
        assertEquals("error", job.path("status").asText(), job.toString());
        assertEquals("DuplicateModelException", job.path("error_reason").asText());
        assertEquals(before, installedKeys());
        JsonNode renamed = ModelInstalls.awaitJob(admin.client(),
                ModelInstalls.start(admin.client(), second, false, Map.of("name", "twin-2")).json().path("id").asLong());
        assertEquals("completed", renamed.path("status").asText(), renamed.toString());
    }

    @Test
    void finishedJobsArePrunedAndUnknownOnesAreInvokeAisAnswers() {
        ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(sources.resolve("pruned")));
        assertFalse(admin.client().get("/api/v2/models/install").json().isEmpty());
        assertEquals(204, admin.client().delete("/api/v2/models/install").status());
        assertEquals(0, admin.client().get("/api/v2/models/install").json().size());
        assertEquals(404, admin.client().get("/api/v2/models/install/99999").status());
        TestResponse cancel = admin.client().delete("/api/v2/models/install/99999");
        assertEquals(415, cancel.status());
        assertEquals("No such job", cancel.detail());
    }

    @Test
    void usersMayNotInstallChangeOrDelete() {
        Path source = TinyModels.sd15().writeTo(sources.resolve("guarded"));
        String key = ModelInstalls.installKey(admin.client(), source);
        TestResponse install = ModelInstalls.start(user.client(), source, false, null);
        assertEquals(403, install.status());
        assertEquals("Admin privileges required", install.detail());
        assertEquals(403, user.client().patch("/api/v2/models/i/" + key, Map.of("name", "mine")).status());
        assertEquals(403, user.client().delete("/api/v2/models/i/" + key).status());
        assertEquals(403, user.client().get("/api/v2/models/install").status());
        assertEquals(403, user.client().get("/api/v2/models/scan_folder?scan_path=" + sources).status());
        assertEquals("guarded", user.client().get("/api/v2/models/i/" + key).json().path("name").asText());
    }

    private static long sizeOf(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static Path writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(entry.getKey()));
                zip.write(entry.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

package org.invokej.models;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.models.ModelService;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Installed models: reading, editing, deleting, missing files, folder scans, cover images, and who may use them. */
class ModelManagementTest {

    @TempDir
    static Path root;
    @TempDir
    static Path sources;

    private static TestServer server;
    private static TestAccounts.Account admin;
    private static TestAccounts.Account user;
    private static TestAccounts.Account other;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        TestAccounts accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
        user = accounts.create(admin, "user@test.com", "User", false);
        other = accounts.create(admin, "other@test.com", "Other", false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String install(String name) {
        return ModelInstalls.installKey(admin.client(), TinyModels.sd15().writeTo(sources.resolve(name)));
    }

    private static ModelService service() {
        return server.server().models();
    }

    private static Actor actor(TestAccounts.Account account, boolean isAdmin) {
        return new Actor(account.userId(), account.email(), null, isAdmin);
    }

    @Test
    void anAdministratorEditsNameDescriptionDefaultSettingsAndTriggerPhrases() {
        String key = install("editable");
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("scheduler", "dpmpp_2m_k");
        settings.put("steps", 25);
        settings.put("cfg_scale", 6.5);
        settings.put("width", 768);
        Map<String, Object> changes = new LinkedHashMap<>();
        changes.put("name", "Edited");
        changes.put("description", "changed");
        changes.put("default_settings", settings);
        changes.put("trigger_phrases", List.of("in the style of foo"));
        TestResponse patched = admin.client().patch("/api/v2/models/i/" + key, changes);
        assertEquals(200, patched.status(), patched.toString());
        JsonNode model = user.client().get("/api/v2/models/i/" + key).json();
        assertEquals("Edited", model.path("name").asText());
        assertEquals("changed", model.path("description").asText());
        assertEquals("dpmpp_2m_k", model.path("default_settings").path("scheduler").asText());
        assertEquals(25, model.path("default_settings").path("steps").asInt());
        assertTrue(model.path("default_settings").has("vae") && model.path("default_settings").path("vae").isNull());
        assertEquals("in the style of foo", model.path("trigger_phrases").get(0).asText());

        // an absent field stays; null clears
        Map<String, Object> clear = new LinkedHashMap<>();
        clear.put("description", null);
        assertEquals(200, admin.client().patch("/api/v2/models/i/" + key, clear).status());
        model = admin.client().get("/api/v2/models/i/" + key).json();
        assertTrue(model.path("description").isNull());
        assertEquals("Edited", model.path("name").asText());
        assertEquals(25, model.path("default_settings").path("steps").asInt());

        TestResponse bad = admin.client().patch("/api/v2/models/i/" + key, Map.of("default_settings", Map.of("width", 100)));
        assertEquals(422, bad.status(), bad.toString());
        assertTrue(bad.detail().contains("width"), bad.detail());
        bad = admin.client().patch("/api/v2/models/i/" + key, Map.of("default_settings", Map.of("scheduler", "warp")));
        assertEquals(422, bad.status(), bad.toString());
        assertTrue(bad.detail().contains("default_settings.scheduler must be one of") && bad.detail().contains("er_sde"),
                "InvokeAI's names, from the engine's one list: " + bad.detail());
        assertEquals(200, admin.client().patch("/api/v2/models/i/" + key,
                Map.of("default_settings", Map.of("scheduler", "er_sde"))).status(), "a name this engine cannot run is still InvokeAI's");
        assertEquals(422, admin.client().patch("/api/v2/models/i/" + key, Map.of("name", "  ")).status());
        assertEquals(422, admin.client().patch("/api/v2/models/i/" + key, Map.of("name", 5)).status());

        install("taken-name");
        TestResponse clash = admin.client().patch("/api/v2/models/i/" + key, Map.of("name", "taken-name"));
        assertEquals(409, clash.status(), clash.toString());
        assertEquals(404, admin.client().patch("/api/v2/models/i/no-such-key", Map.of("name", "x")).status());
        assertEquals("model not found", admin.client().get("/api/v2/models/i/no-such-key").detail());
    }

    @Test
    void deletingACopiedModelLeavesNoFilesBehind() throws IOException {
        String key = install("doomed");
        Path folder = root.resolve("models").resolve(key);
        assertTrue(Files.isDirectory(folder));
        assertEquals(204, admin.client().delete("/api/v2/models/i/" + key).status());
        assertFalse(Files.exists(folder));
        try (Stream<Path> left = Files.walk(root.resolve("models"))) {
            assertTrue(left.noneMatch(path -> path.toString().contains(key) || path.getFileName().toString().startsWith(".install")),
                    "nothing of the model stays in models/");
        }
        assertEquals(404, user.client().get("/api/v2/models/i/" + key).status());
        assertEquals(404, admin.client().delete("/api/v2/models/i/" + key).status());
        assertTrue(Files.isDirectory(sources.resolve("doomed")), "the source of a copy is not touched");
    }

    @Test
    void deletingAnInPlaceModelKeepsItsFilesAndAVanishedFolderIsReportedMissing() throws IOException {
        Path source = TinyModels.sd15().writeTo(sources.resolve("outside"));
        JsonNode job = ModelInstalls.awaitJob(admin.client(),
                ModelInstalls.start(admin.client(), source, true, null).json().path("id").asLong());
        String key = job.path("config_out").path("key").asText();
        assertTrue(user.client().get("/api/v2/models/missing").json().path("models").findValuesAsText("key").isEmpty()
                || !user.client().get("/api/v2/models/missing").json().path("models").findValuesAsText("key").contains(key));

        Path moved = sources.resolve("outside-moved");
        Files.move(source, moved);
        TestResponse missing = user.client().get("/api/v2/models/missing");
        assertEquals(200, missing.status());
        assertTrue(missing.json().path("models").findValuesAsText("key").contains(key), missing.toString());
        assertTrue(user.client().get("/api/v2/models/").json().path("models").findValuesAsText("key").contains(key),
                "a missing model is still listed");
        DomainException gone = assertThrows(DomainException.class, () -> service().requireUsable(actor(user, false), key));
        assertEquals(DomainException.Kind.UNPROCESSABLE, gone.kind());
        assertTrue(gone.getMessage().contains("'outside'") && gone.getMessage().contains("missing"), gone.getMessage());

        Files.move(moved, source);
        assertEquals(204, admin.client().delete("/api/v2/models/i/" + key).status());
        assertTrue(Files.isRegularFile(source.resolve("unet/model.onnx")), "an in-place model's files are not deleted");
    }

    @Test
    void aModelWhoseFilesVanishedDoesNotStopTheServerFromStarting(@TempDir Path otherRoot) throws IOException {
        String key;
        Path source = TinyModels.sd15().writeTo(otherRoot.resolve("gone-model"));
        try (TestServer first = TestServer.start(otherRoot.resolve("root"), Map.of())) {
            key = ModelInstalls.installKey(first.client(), source);
        }
        org.invokej.core.models.ModelStorage.deleteTree(otherRoot.resolve("root/models").resolve(key));
        try (TestServer second = TestServer.start(otherRoot.resolve("root"), Map.of())) {
            assertEquals(List.of(key), second.client().get("/api/v2/models/missing").json().path("models").findValuesAsText("key"));
            assertEquals(204, second.client().delete("/api/v2/models/i/" + key).status());
        }
    }

    @Test
    void listsFilterAndOrderAsInvokeAiDoes() {
        String b = install("list-b");
        String a = install("list-a");
        String sd2 = ModelInstalls.installKey(admin.client(), TinyModels.sd15().textWidth(1024).writeTo(sources.resolve("list-sd2")));
        List<String> names = names(user.client().get("/api/v2/models/?model_type=main").json());
        assertTrue(names.indexOf("list-a") < names.indexOf("list-b"), names.toString());
        List<String> descending = names(user.client().get("/api/v2/models/?direction=DESC").json());
        assertTrue(descending.indexOf("list-b") < descending.indexOf("list-a"), descending.toString());
        assertEquals(List.of("list-a"), names(user.client().get("/api/v2/models/?model_name=list-a").json()));
        assertEquals(List.of("list-sd2"), names(user.client().get("/api/v2/models/?base_models=sd-2").json()));
        List<String> bySd2First = names(user.client().get("/api/v2/models/?base_models=sd-2&base_models=sd-1").json());
        assertEquals("list-sd2", bySd2First.getFirst(), "several bases are listed base by base in the order asked");
        assertTrue(names(user.client().get("/api/v2/models/?base_models=sdxl").json()).isEmpty());
        assertTrue(names(user.client().get("/api/v2/models/?model_format=diffusers").json()).isEmpty());
        assertEquals(422, user.client().get("/api/v2/models/?base_models=sd-9").status());
        assertEquals(422, user.client().get("/api/v2/models/?order_by=colour").status());
        assertEquals(422, user.client().get("/api/v2/models/?direction=UP").status());
        assertEquals(200, user.client().get("/api/v2/models?order_by=default").status(), "without the trailing slash too");
        assertEquals(404, user.client().get("/api/v2/models/get_by_attrs?name=list-a&type=main&base=sd-2").status());
        assertEquals("No model found with these attributes",
                user.client().get("/api/v2/models/get_by_attrs?name=list-a&type=main&base=sd-2").detail());
        assertEquals(422, user.client().get("/api/v2/models/get_by_attrs?name=list-a").status());
        assertEquals(404, user.client().get("/api/v2/models/get_by_hash?hash=blake3:00").status());
        assertFalse(List.of(a, b, sd2).contains(""));
    }

    @Test
    void scanFolderFindsModelFoldersAndZipsAndSaysWhichAreInstalled() throws IOException {
        Path scanned = sources.resolve("scan");
        Path installed = TinyModels.sd15().writeTo(scanned.resolve("deep/installed"));
        Path fresh = TinyModels.sd15().writeTo(scanned.resolve("fresh"));
        Path zip = ModelInstalls.zip(fresh, scanned.resolve("fresh.zip"), true);
        Files.writeString(scanned.resolve("notes.txt"), "not a model");
        ModelInstalls.installKey(admin.client(), installed);

        TestResponse scan = admin.client().get("/api/v2/models/scan_folder?scan_path="
                + URLEncoder.encode(scanned.toString(), StandardCharsets.UTF_8));
        assertEquals(200, scan.status(), scan.toString());
        Map<String, Boolean> found = new LinkedHashMap<>();
        scan.json().forEach(entry -> found.put(entry.path("path").asText(), entry.path("is_installed").asBoolean()));
        assertEquals(Map.of(installed.toString(), true, fresh.toString(), false, zip.toString(), false), found);

        for (String bad : List.of(scanned.resolve("nowhere").toString(), scanned.resolve("notes.txt").toString())) {
            TestResponse refused = admin.client().get("/api/v2/models/scan_folder?scan_path=" + URLEncoder.encode(bad, StandardCharsets.UTF_8));
            assertEquals(400, refused.status(), refused.toString());
            assertEquals("The search path '" + bad + "' could not be scanned", refused.detail(), "the same answer: no existence oracle");
        }
        assertEquals(400, admin.client().get("/api/v2/models/scan_folder").status());
    }

    @Test
    void aCoverImageIsUploadedByAnAdministratorAndServedToAnyone() throws IOException {
        String key = install("pictured");
        BufferedImage picture = new BufferedImage(600, 300, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        ImageIO.write(picture, "png", png);
        TestImages.Form form = TestImages.form("image", png.toByteArray(), "image/png", Map.of());
        assertEquals(403, user.client().send("PATCH", "/api/v2/models/i/" + key + "/image", form.contentType(), form.body()).status());
        TestResponse set = admin.client().send("PATCH", "/api/v2/models/i/" + key + "/image", form.contentType(), form.body());
        assertEquals(200, set.status(), set.toString());
        assertTrue(user.client().get("/api/v2/models/i/" + key).json().path("cover_image").asText()
                .startsWith("api/v2/models/i/" + key + "/image?"));

        TestResponse image = server.client().get("/api/v2/models/i/" + key + "/image");
        assertEquals(200, image.status(), "the image is public, as in InvokeAI");
        assertEquals("image/png", image.header("Content-Type").orElseThrow());
        BufferedImage served = ImageIO.read(new ByteArrayInputStream(image.body()));
        assertEquals(256, served.getWidth());
        assertEquals(128, served.getHeight());

        TestImages.Form notImage = TestImages.form("image", "nope".getBytes(), "image/png", Map.of());
        assertEquals(415, admin.client().send("PATCH", "/api/v2/models/i/" + key + "/image", notImage.contentType(), notImage.body()).status());
        assertEquals(415, admin.client().send("PATCH", "/api/v2/models/i/" + key + "/image", "image/png", png.toByteArray()).status(),
                "the picture comes in InvokeAI's multipart form");
        TestImages.Form wrongField = TestImages.form("file", png.toByteArray(), "image/png", Map.of());
        assertEquals(422, admin.client().send("PATCH", "/api/v2/models/i/" + key + "/image", wrongField.contentType(), wrongField.body()).status());
        assertEquals(204, admin.client().delete("/api/v2/models/i/" + key + "/image").status());
        assertEquals(404, server.client().get("/api/v2/models/i/" + key + "/image").status());
        assertTrue(admin.client().get("/api/v2/models/i/" + key).json().path("cover_image").isNull());
    }

    @Test
    void anAllowListLimitsWhoMayGenerateWithAModel() {
        String key = install("restricted");
        ModelService models = service();
        assertEquals(key, models.requireUsable(actor(user, false), key).config().key(), "without a list everyone may");
        assertEquals(root.resolve("models").resolve(key), models.requireUsable(actor(user, false), key).folder());

        TestResponse set = admin.client().put("/api/v2/models/i/" + key + "/allowed_users", Map.of("user_ids", List.of(user.userId())));
        assertEquals(200, set.status(), set.toString());
        assertEquals(List.of(user.userId()), names(set.json(), "user_ids"));
        assertEquals(List.of(user.userId()), names(admin.client().get("/api/v2/models/i/" + key + "/allowed_users").json(), "user_ids"));
        assertEquals(403, user.client().get("/api/v2/models/i/" + key + "/allowed_users").status());

        models.requireUsable(actor(user, false), key);
        models.requireUsable(actor(admin, true), key);
        DomainException refused = assertThrows(DomainException.class, () -> models.requireUsable(actor(other, false), key));
        assertEquals(DomainException.Kind.FORBIDDEN, refused.kind());
        assertEquals("You may not generate with model 'restricted'", refused.getMessage());
        assertEquals(200, other.client().get("/api/v2/models/i/" + key).status(), "listing and reading stay open to all");

        DomainException unknown = assertThrows(DomainException.class, () -> models.requireUsable(actor(user, false), "nope"));
        assertEquals(DomainException.Kind.NOT_FOUND, unknown.kind());

        TestResponse stranger = admin.client().put("/api/v2/models/i/" + key + "/allowed_users", Map.of("user_ids", List.of("ghost")));
        assertEquals(422, stranger.status(), stranger.toString());
        assertTrue(stranger.detail().contains("ghost"));

        assertEquals(200, admin.client().put("/api/v2/models/i/" + key + "/allowed_users", Map.of("user_ids", List.of())).status());
        models.requireUsable(actor(other, false), key);
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("models").forEach(model -> names.add(model.path("name").asText()));
        return names;
    }

    private static List<String> names(JsonNode body, String field) {
        List<String> values = new ArrayList<>();
        body.path(field).forEach(value -> values.add(value.asText()));
        assertNotNull(body.get(field), body.toString());
        return values;
    }
}

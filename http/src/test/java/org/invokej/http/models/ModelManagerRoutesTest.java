package org.invokej.http.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.core.models.ModelConfig;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.http.fakes.RefusedCallers;
import org.invokej.http.fakes.TestUser;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model manager's housekeeping routes that InvokeAI's web UI calls from its Models tab: bulk
 * deletes and re-identification, orphaned files, the model cache, and what comes from Hugging Face or
 * conversion (none here, said so). All of it is for administrators.
 */
@ServerTest
class ModelManagerRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();
    private static final String M = "/api/v2/models";

    private final TestClient anonymous;
    private final TestUser user;
    private final TestUser admin;

    ModelManagerRoutesTest(URI uri) {
        this.anonymous = RouteTestServer.client(uri);
        this.user = CORE.caller(anonymous, "user", false);
        this.admin = CORE.caller(anonymous, "admin", true);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RouteTestServer.configure(server, CORE);
    }

    @AfterAll
    static void close() {
        CORE.close();
    }

    /** Every route, as each caller who may not call it gets it: 401 without valid credentials, 403 for a user. */
    @Test
    void onlyAdministratorsReachTheHousekeepingRoutes() {
        ModelConfig model = CORE.recordModel("Kept " + UUID.randomUUID(), true);
        CORE.loadedModels.load(100);
        List<String[]> routes = List.of(
                new String[]{"GET", M + "/starter_models", null},
                new String[]{"GET", M + "/hf_login", null},
                new String[]{"POST", M + "/hf_login", "{\"token\": \"hf_x\"}"},
                new String[]{"DELETE", M + "/hf_login", null},
                new String[]{"GET", M + "/hugging_face?hugging_face_repo=a/b", null},
                new String[]{"GET", M + "/sync/orphaned", null},
                new String[]{"DELETE", M + "/sync/orphaned", "{\"paths\": [\"x\"]}"},
                new String[]{"POST", M + "/empty_model_cache", null},
                new String[]{"PUT", M + "/convert/" + model.key(), null},
                new String[]{"POST", M + "/i/bulk_delete", "{\"keys\": [\"" + model.key() + "\"]}"},
                new String[]{"POST", M + "/i/bulk_reidentify", "{\"keys\": [\"" + model.key() + "\"]}"},
                new String[]{"POST", M + "/i/" + model.key() + "/reidentify", null},
                new String[]{"POST", M + "/install/1/pause", null});
        Map<String, TestClient> refused = RefusedCallers.of(CORE, anonymous);
        for (String[] route : routes) {
            for (Map.Entry<String, TestClient> caller : refused.entrySet()) {
                TestResponse response = send(caller.getValue(), route);
                assertEquals(401, response.status(), caller.getKey() + " " + route[0] + " " + route[1] + ": " + response);
            }
            TestResponse response = send(user.client(), route);
            assertEquals(403, response.status(), "user " + route[0] + " " + route[1] + ": " + response);
            assertEquals("Admin privileges required", response.detail());
        }
        assertEquals(model.name(), admin.client().get(M + "/i/" + model.key()).json().path("name").asText(), "nothing was deleted");
        assertEquals(1, CORE.loadedModels.emptyUnused().modelsCleared(), "nothing was unloaded");
    }

    @Test
    void thereAreNoStarterModelsNoHuggingFaceTokenAndNoHub() {
        TestResponse starters = admin.client().get(M + "/starter_models");
        assertEquals(200, starters.status(), starters.toString());
        assertEquals(0, starters.json().path("starter_models").size());
        assertTrue(starters.json().path("starter_bundles").isObject() && starters.json().path("starter_bundles").isEmpty());
        assertEquals("invalid", admin.client().get(M + "/hf_login").json().asText(), "no token is set");
        assertEquals("invalid", admin.client().delete(M + "/hf_login").json().asText());
        TestResponse login = admin.client().post(M + "/hf_login", Map.of("token", "hf_secret"));
        assertEquals(400, login.status(), login.toString());
        assertTrue(login.detail().contains("Hugging Face"), login.detail());
        assertEquals("invalid", admin.client().get(M + "/hf_login").json().asText(), "the token was not kept");
        TestResponse repo = admin.client().get(M + "/hugging_face?hugging_face_repo=stabilityai/sd-turbo");
        assertEquals(400, repo.status(), repo.toString());
        assertTrue(repo.detail().contains("ONNX export"), repo.detail());
    }

    @Test
    void convertingIsRefusedWithHowToLinkAnExport() {
        ModelConfig model = CORE.recordModel("Convertible", true);
        TestResponse convert = admin.client().put(M + "/convert/" + model.key(), null);
        assertEquals(400, convert.status(), convert.toString());
        assertTrue(convert.detail().contains("invokej models link " + model.key()), convert.detail());
        assertTrue(convert.detail().contains("/onnx_export"), convert.detail());
        assertEquals(404, admin.client().put(M + "/convert/no-such-key", null).status());
        assertEquals("Convertible", admin.client().get(M + "/i/" + model.key()).json().path("name").asText());
    }

    @Test
    void bulkDeleteDeletesWhatItCanAndSaysWhyNotForTheRest() {
        ModelConfig first = CORE.recordModel("Bulk one", true);
        ModelConfig second = CORE.recordModel("Bulk two", true);
        TestResponse deleted = admin.client().post(M + "/i/bulk_delete", Map.of("keys", List.of(first.key(), "no-such-key", second.key())));
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(List.of(first.key(), second.key()), texts(deleted.json().path("deleted")));
        JsonNode failed = deleted.json().path("failed");
        assertEquals(1, failed.size(), failed.toString());
        assertEquals("no-such-key", failed.get(0).path("key").asText());
        assertEquals("model not found", failed.get(0).path("error").asText());
        assertEquals(404, admin.client().get(M + "/i/" + first.key()).status());
        assertFalse(Files.exists(CORE.models.folderOf(second)), "the files went with the record");

        for (Object body : List.of(Map.of(), Map.of("keys", "all"), Map.of("keys", List.of(""))) ) {
            TestResponse bad = admin.client().post(M + "/i/bulk_delete", body);
            assertEquals(422, bad.status(), bad.toString());
            assertFalse(bad.detail().isBlank());
        }
    }

    @Test
    void reidentifyingReportsEachModelThatCannotBeIdentified() {
        // The route tests' inspector finds no model anywhere, as for a folder whose export was replaced by junk.
        ModelConfig model = CORE.recordModel("Reidentified", true);
        TestResponse one = admin.client().post(M + "/i/" + model.key() + "/reidentify", null);
        assertEquals(422, one.status(), one.toString());
        assertTrue(one.detail().contains("model_index.json"), one.detail());
        assertEquals(404, admin.client().post(M + "/i/no-such-key/reidentify", null).status());
        ModelConfig gone = CORE.recordModel("Files gone", false);
        TestResponse bulk = admin.client().post(M + "/i/bulk_reidentify", Map.of("keys", List.of(model.key(), gone.key())));
        assertEquals(200, bulk.status(), bulk.toString());
        assertEquals(List.of(), texts(bulk.json().path("succeeded")));
        assertEquals(2, bulk.json().path("failed").size(), bulk.toString());
        assertTrue(bulk.json().path("failed").get(1).path("error").asText().contains("missing its files"), bulk.toString());
        assertEquals("sd-1", admin.client().get(M + "/i/" + model.key()).json().path("base").asText(), "unchanged");
    }

    @Test
    void orphanedFilesAreListedAndOnlyThoseAreDeleted() throws IOException {
        Path models = CORE.folder.resolve("models");
        ModelConfig installed = CORE.recordModel("Not an orphan", true);
        Files.writeString(CORE.models.folderOf(installed).resolve("model.onnx"), "installed");
        String leftover = "leftover-" + UUID.randomUUID();
        Files.createDirectories(models.resolve(leftover).resolve("unet"));
        Files.writeString(models.resolve(leftover).resolve("unet/model.onnx"), "12345");
        Files.writeString(models.resolve(leftover).resolve("model_index.json"), "{}");
        Files.createDirectories(models.resolve(".install-1-x"));
        Files.writeString(models.resolve(".install-1-x/model.onnx"), "an install under way");
        Files.createDirectories(models.resolve("notes-" + UUID.randomUUID()));

        TestResponse listed = admin.client().get(M + "/sync/orphaned");
        assertEquals(200, listed.status(), listed.toString());
        JsonNode orphan = null;
        for (JsonNode entry : listed.json()) {
            assertFalse(entry.path("path").asText().startsWith("."), "hidden folders are never listed: " + listed);
            assertFalse(entry.path("path").asText().equals(installed.key()), "an installed model is not orphaned: " + listed);
            if (entry.path("path").asText().equals(leftover)) {
                orphan = entry;
            }
        }
        assertTrue(orphan != null, "the leftover folder is listed: " + listed);
        assertEquals(models.resolve(leftover).toAbsolutePath().normalize().toString(), orphan.path("absolute_path").asText());
        assertEquals(List.of("unet/model.onnx"), texts(orphan.path("files")));
        assertEquals(5, orphan.path("size_bytes").asLong());

        TestResponse deleted = admin.client().json("DELETE", M + "/sync/orphaned",
                Map.of("paths", List.of(leftover, installed.key(), "../outside", ".install-1-x")));
        assertEquals(200, deleted.status(), deleted.toString());
        assertEquals(List.of(leftover), texts(deleted.json().path("deleted")));
        assertEquals(3, deleted.json().path("errors").size(), deleted.toString());
        assertFalse(Files.exists(models.resolve(leftover)));
        assertTrue(Files.exists(CORE.models.folderOf(installed).resolve("model.onnx")), "the installed model's files stay");
        assertTrue(Files.exists(models.resolve(".install-1-x/model.onnx")), "the install under way keeps its files");
        assertEquals(422, admin.client().json("DELETE", M + "/sync/orphaned", Map.of("paths", "all")).status());
    }

    @Test
    void emptyingTheModelCacheSaysWhatWasUnloaded() {
        CORE.loadedModels.emptyUnused();
        CORE.loadedModels.load(1000);
        CORE.loadedModels.load(234);
        TestResponse emptied = admin.client().post(M + "/empty_model_cache", null);
        assertEquals(200, emptied.status(), emptied.toString());
        assertEquals(2, emptied.json().path("models_cleared").asInt());
        assertEquals(1234, emptied.json().path("bytes_freed").asLong());
        assertEquals(0, admin.client().post(M + "/empty_model_cache", null).json().path("models_cleared").asInt());
    }

    @Test
    void localInstallsHaveNoDownloadToPauseOrRestart() {
        TestResponse unknown = admin.client().post(M + "/install/987654/pause", null);
        assertTrue(unknown.status() == 404 || unknown.status() == 415, unknown.toString());
        assertFalse(unknown.detail().isBlank());
        assertEquals(422, admin.client().post(M + "/install/x/resume", null).status());
    }

    private static TestResponse send(TestClient client, String[] route) {
        byte[] body = route[2] == null ? new byte[0] : route[2].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return client.send(route[0], route[1], route[2] == null ? null : "application/json", body);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }
}

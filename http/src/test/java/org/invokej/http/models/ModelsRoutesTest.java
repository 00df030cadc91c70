package org.invokej.http.models;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.core.models.ModelConfig;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.TestUser;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v2/models}: everyone lists and reads models; installing, changing and deleting them is for administrators. */
@ServerTest
class ModelsRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestClient anonymous;
    private final TestUser user;
    private final TestUser admin;

    ModelsRoutesTest(URI uri) {
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

    @Test
    void usersListAndReadModels() {
        ModelConfig model = CORE.recordModel("Listed " + java.util.UUID.randomUUID(), true);
        assertTrue(names(user.client().get("/api/v2/models/")).contains(model.name()));
        assertTrue(names(user.client().get("/api/v2/models/?base_models=sd-1&model_type=main")).contains(model.name()));
        assertFalse(names(user.client().get("/api/v2/models/?base_models=sdxl")).contains(model.name()));
        TestResponse read = user.client().get("/api/v2/models/i/" + model.key());
        assertEquals(200, read.status(), read.toString());
        assertEquals(model.name(), read.json().path("name").asText());
        assertEquals(404, user.client().get("/api/v2/models/i/no-such-key").status());
        assertEquals(401, anonymous.get("/api/v2/models/").status());
    }

    @Test
    void onlyAdministratorsInstallChangeAndDelete() {
        ModelConfig model = CORE.recordModel("Guarded", true);
        TestResponse install = user.client().post("/api/v2/models/install?source=/tmp/some-model", null);
        assertEquals(403, install.status(), install.toString());
        assertEquals(403, user.client().get("/api/v2/models/install").status());
        assertEquals(403, user.client().patch("/api/v2/models/i/" + model.key(), Map.of("name", "Renamed")).status());
        assertEquals(403, user.client().delete("/api/v2/models/i/" + model.key()).status());
        assertEquals(403, user.client().get("/api/v2/models/scan_folder?scan_path=/tmp").status());
        assertEquals("Guarded", user.client().get("/api/v2/models/i/" + model.key()).json().path("name").asText());

        TestResponse renamed = admin.client().patch("/api/v2/models/i/" + model.key(), Map.of("name", "Renamed"));
        assertEquals(200, renamed.status(), renamed.toString());
        assertEquals("Renamed", renamed.json().path("name").asText());
        assertEquals(204, admin.client().delete("/api/v2/models/i/" + model.key()).status());
        assertEquals(404, admin.client().get("/api/v2/models/i/" + model.key()).status());
    }

    @Test
    void anInstallOfSomethingThatIsNotAModelIsRefusedWithADetail() {
        TestResponse missing = admin.client().post("/api/v2/models/install?source=/no/such/folder", null);
        assertTrue(missing.status() >= 400 && missing.status() < 500, missing.toString());
        assertFalse(missing.detail().isBlank());
        TestResponse notAModel = admin.client().post("/api/v2/models/install?source=" + CORE.folder.resolve("images"), null);
        assertEquals(422, notAModel.status(), notAModel.toString());
        assertTrue(notAModel.detail().contains("model_index.json"), notAModel.detail());
        assertEquals(0, admin.client().get("/api/v2/models/install").json().size(), "no job was started");
    }

    @Test
    void badParametersAndBodiesAre4xxWithADetail() {
        ModelConfig model = CORE.recordModel("Target", true);
        for (TestResponse response : List.of(
                user.client().get("/api/v2/models/?base_models=sd-99"),
                user.client().get("/api/v2/models/?direction=UP"),
                user.client().get("/api/v2/models/get_by_attrs?name=x"),
                admin.client().post("/api/v2/models/install", null),
                admin.client().get("/api/v2/models/install/not-a-number"),
                admin.client().patch("/api/v2/models/i/" + model.key(), Map.of("name", 42)),
                admin.client().patch("/api/v2/models/i/" + model.key(), "{"),
                admin.client().json("PUT", "/api/v2/models/i/" + model.key() + "/allowed_users", Map.of("user_ids", "everyone")))) {
            assertTrue(response.status() >= 400 && response.status() < 500, response.toString());
            assertFalse(response.detail().isBlank(), response.toString());
        }
        assertEquals("Target", admin.client().get("/api/v2/models/i/" + model.key()).json().path("name").asText());
    }

    @Test
    void onlyAdministratorsLinkAModelToAnOnnxExportAndOnlyModelsThatNeedOne() {
        ModelConfig onnx = CORE.recordModel("Already ONNX", true);
        ModelConfig checkpoint = new ModelConfig(java.util.UUID.randomUUID().toString(), "blake3:c", "c/model.safetensors", 64,
                "A checkpoint", null, "c", "path", null, null, null, "main", null, null, "sd-1", "checkpoint", "epsilon", "normal",
                null, Map.of(), null).withInvokeaiFields(Map.of());
        CORE.store.write(tx -> {
            CORE.modelRecords.insert(tx, checkpoint);
            return null;
        });
        String link = "/api/v2/models/i/" + checkpoint.key() + "/onnx_export";
        Map<String, String> body = Map.of("path", CORE.folder.resolve("images").toString());
        assertEquals(401, anonymous.put(link, body).status());
        assertEquals(403, user.client().put(link, body).status());
        assertEquals(403, user.client().delete(link).status());

        TestResponse notAnExport = admin.client().put(link, body);
        assertTrue(notAnExport.status() >= 400 && notAnExport.status() < 500, notAnExport.toString());
        assertTrue(notAnExport.detail().contains("model_index.json"), notAnExport.toString());
        TestResponse relative = admin.client().put(link, Map.of("path", "exports/model"));
        assertEquals(422, relative.status(), relative.toString());
        TestResponse nothingBeside = admin.client().put(link, null);
        assertEquals(422, nothingBeside.status(), nothingBeside.toString());
        assertTrue(nothingBeside.detail().contains("model-onnx"), "names where it looked: " + nothingBeside);
        TestResponse already = admin.client().put("/api/v2/models/i/" + onnx.key() + "/onnx_export", body);
        assertEquals(409, already.status(), already.toString());
        assertEquals(404, admin.client().put("/api/v2/models/i/nope/onnx_export", body).status());
        TestResponse notLinked = admin.client().delete(link);
        assertEquals(409, notLinked.status(), notLinked.toString());
        assertFalse(admin.client().get("/api/v2/models/i/" + checkpoint.key()).json().path("runnable").asBoolean());
    }

    private static List<String> names(TestResponse listing) {
        assertEquals(200, listing.status(), listing.toString());
        List<String> names = new ArrayList<>();
        for (JsonNode model : listing.json().path("models")) {
            names.add(model.path("name").asText());
        }
        return names;
    }
}

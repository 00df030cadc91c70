package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.ModelInstalls;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestImages;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/v1/style_presets}, {@code /api/v1/system_prompts} and {@code /api/v1/model_relationships}
 * with InvokeAI 6.14's shapes and multi-user rules (its test_style_presets.py, test_system_prompts_multiuser.py,
 * test_model_relationships.py).
 */
class PresetsAndPromptsTest {

    @TempDir
    static Path root;
    private static ContentWorld world;

    @BeforeAll
    static void start() {
        world = new ContentWorld(root);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    static String data(String name, String type, boolean isPublic) {
        return "{\"name\": \"" + name + "\", \"positive_prompt\": \"" + name + " {prompt}\", \"negative_prompt\": \"blurry\", "
                + "\"type\": \"" + type + "\", \"is_public\": " + isPublic + "}";
    }

    static TestResponse create(TestClient client, String data, byte[] image) {
        TestImages.Form form = image == null
                ? TestImages.form("unused", new byte[0], "text/plain", Map.of("data", data))
                : TestImages.form("image", image, "image/png", Map.of("data", data));
        return client.send("POST", "/api/v1/style_presets/", form.contentType(), form.body());
    }

    static String createId(TestClient client, String name, String type, boolean isPublic) {
        TestResponse created = create(client, data(name, type, isPublic), null);
        assertEquals(200, created.status(), created.toString());
        return created.json().path("id").asText();
    }

    private static List<String> names(TestResponse listing) {
        assertEquals(200, listing.status(), listing.toString());
        List<String> names = new ArrayList<>();
        listing.json().forEach(item -> names.add(item.path("name").asText()));
        return names;
    }

    @Test
    void aPresetHasInvokeAisShapeAndItsImage() {
        TestResponse created = create(world.user1.client(), data("Watercolour", "user", false), TestImages.png(600, 300));
        assertEquals(200, created.status(), created.toString());
        JsonNode preset = created.json();
        List<String> fields = new ArrayList<>();
        preset.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("name", "preset_data", "type", "is_public", "id", "user_id", "image"), fields);
        assertEquals("Watercolour {prompt}", preset.path("preset_data").path("positive_prompt").asText());
        assertEquals("blurry", preset.path("preset_data").path("negative_prompt").asText());
        assertEquals(world.user1.userId(), preset.path("user_id").asText());
        String id = preset.path("id").asText();
        assertEquals("api/v1/style_presets/i/" + id + "/image", preset.path("image").asText());
        TestResponse image = world.user1.client().get("/" + preset.path("image").asText());
        assertEquals(200, image.status());
        assertEquals("image/png", image.header("Content-Type").orElse(""));

        TestImages.Form change = TestImages.form("unused", new byte[0], "text/plain", Map.of("data", data("Watercolor", "user", true)));
        TestResponse updated = world.user1.client().send("PATCH", "/api/v1/style_presets/i/" + id, change.contentType(), change.body());
        assertEquals(200, updated.status(), updated.toString());
        assertEquals("Watercolor", updated.json().path("name").asText());
        assertTrue(updated.json().path("is_public").asBoolean());
        assertNull(updated.json().path("image").textValue(), "as in InvokeAI, a change without an image removes it");
        assertEquals(404, world.user1.client().get("/api/v1/style_presets/i/" + id + "/image").status());
    }

    @Test
    void visibilityAndOwnership() {
        String privateOne = createId(world.user1.client(), "Mine", "user", false);
        String publicOne = createId(world.user1.client(), "Ours", "user", true);
        String catalogue = createId(world.admin.client(), "Catalogue", "default", false);
        List<String> seen = names(world.user2.client().get("/api/v1/style_presets/"));
        assertTrue(seen.contains("Ours") && seen.contains("Catalogue") && !seen.contains("Mine"), seen.toString());
        assertTrue(names(world.admin.client().get("/api/v1/style_presets/")).contains("Mine"));
        List<String> sorted = new ArrayList<>(seen);
        sorted.sort(String.CASE_INSENSITIVE_ORDER);
        assertEquals(sorted, seen, "by name, case-folded");

        TestResponse hidden = world.user2.client().get("/api/v1/style_presets/i/" + privateOne);
        assertEquals(403, hidden.status());
        assertEquals("Not authorized to access this style preset", hidden.detail());
        assertEquals(200, world.user2.client().get("/api/v1/style_presets/i/" + publicOne).status());
        TestResponse notTheirs = world.user2.client().delete("/api/v1/style_presets/i/" + publicOne);
        assertEquals(403, notTheirs.status());
        assertEquals("Not authorized to modify this style preset", notTheirs.detail());
        TestResponse defaults = world.user1.client().delete("/api/v1/style_presets/i/" + catalogue);
        assertEquals("Default style presets cannot be modified", defaults.detail());
        TestResponse onlyAdmins = create(world.user1.client(), data("Sneaky", "default", false), null);
        assertEquals(403, onlyAdmins.status());
        assertEquals("Only admins can create default presets", onlyAdmins.detail());
        assertEquals(200, world.admin.client().delete("/api/v1/style_presets/i/" + privateOne).status());
        assertEquals(404, world.user1.client().get("/api/v1/style_presets/i/" + privateOne).status());
        assertEquals(401, world.anonymous().get("/api/v1/style_presets/").status());
    }

    @Test
    void badPresetsAreRefusedAndChangeNothing() {
        int before = world.admin.client().get("/api/v1/style_presets/").json().size();
        assertEquals(400, create(world.user1.client(), "{not json", null).status());
        assertEquals(400, create(world.user1.client(), "{\"name\": \"x\"}", null).status());
        assertEquals(400, create(world.user1.client(), data("x", "global", false), null).status());
        TestImages.Form notAnImage = TestImages.form("image", "hello".getBytes(StandardCharsets.UTF_8), "text/plain",
                Map.of("data", data("x", "user", false)));
        assertEquals(415, world.user1.client().send("POST", "/api/v1/style_presets/", notAnImage.contentType(), notAnImage.body()).status());
        TestImages.Form unreadable = TestImages.form("image", "hello".getBytes(StandardCharsets.UTF_8), "image/png",
                Map.of("data", data("x", "user", false)));
        assertEquals(415, world.user1.client().send("POST", "/api/v1/style_presets/", unreadable.contentType(), unreadable.body()).status());
        assertEquals(before, world.admin.client().get("/api/v1/style_presets/").json().size());
    }

    private static TestResponse importFile(TestClient client, String contentType, String content) {
        TestImages.Form form = TestImages.form("file", content.getBytes(StandardCharsets.UTF_8), contentType, Map.of());
        return client.send("POST", "/api/v1/style_presets/import", form.contentType(), form.body());
    }

    @Test
    void importAndExportAreForAdministrators() {
        TestClient admin = world.admin.client();
        TestResponse csv = importFile(admin, "text/csv", "name,prompt,negative_prompt\n"
                + "Noir,\"{prompt}, black and white, \"\"film\"\"\",colour\n Sketch , pencil {prompt},\n");
        assertEquals(200, csv.status(), csv.toString());
        TestResponse json = importFile(admin, "application/json",
                "[{\"name\": \"Poster\", \"positive_prompt\": \"poster of {prompt}\", \"negative_prompt\": \"\"}]");
        assertEquals(200, json.status(), json.toString());
        List<String> all = names(admin.get("/api/v1/style_presets/"));
        assertTrue(all.containsAll(List.of("Noir", "Sketch", "Poster")), all.toString());
        assertFalse(names(world.user1.client().get("/api/v1/style_presets/")).contains("Noir"), "imported presets are private");

        TestResponse export = admin.get("/api/v1/style_presets/export");
        assertEquals(200, export.status());
        assertTrue(export.header("Content-Type").orElse("").startsWith("text/csv"));
        assertEquals("attachment; filename=prompt_templates.csv", export.header("Content-Disposition").orElse(""));
        String text = export.text();
        assertTrue(text.startsWith("name,prompt,negative_prompt"), text);
        assertTrue(text.contains("Noir,\"{prompt}, black and white, \"\"film\"\"\",colour"), text);
        assertFalse(text.contains("Catalogue"), "default presets are not exported");

        int before = all.size();
        assertEquals(400, importFile(admin, "text/csv", "name,prompt,negative_prompt\n,blank name,\n").status());
        assertEquals(400, importFile(admin, "text/csv", "title,prompt\nx,y\n").status());
        assertEquals(400, importFile(admin, "application/json", "{\"name\": \"not a list\"}").status());
        assertEquals(415, importFile(admin, "text/plain", "name\nx\n").status());
        assertEquals(before, admin.get("/api/v1/style_presets/").json().size(), "a refused file imports nothing");

        assertEquals(403, world.user1.client().get("/api/v1/style_presets/export").status());
        assertEquals(403, importFile(world.user1.client(), "text/csv", "name,prompt,negative_prompt\nx,y,z\n").status());
    }

    @Test
    void systemPromptsArePrivateUntilShared() {
        TestResponse created = world.user1.client().post("/api/v1/system_prompts/", Map.of("name", "Terse", "content", "Be brief."));
        assertEquals(200, created.status(), created.toString());
        JsonNode prompt = created.json();
        assertFalse(prompt.path("is_public").asBoolean());
        assertEquals(world.user1.userId(), prompt.path("user_id").asText());
        assertTrue(prompt.path("created_at").asText().contains("T"), prompt.toString());
        String id = prompt.path("id").asText();

        assertEquals(403, world.user2.client().get("/api/v1/system_prompts/i/" + id).status());
        assertFalse(world.user2.client().get("/api/v1/system_prompts/").text().contains(id));
        TestResponse refused = world.user2.client().patch("/api/v1/system_prompts/i/" + id, Map.of("name", "Mine now"));
        assertEquals(403, refused.status());
        assertEquals("Not authorized to update this system prompt", refused.detail());

        JsonNode shared = world.user1.client().patch("/api/v1/system_prompts/i/" + id, Map.of("is_public", true)).json();
        assertTrue(shared.path("is_public").asBoolean());
        assertEquals("Be brief.", shared.path("content").asText());
        assertEquals(200, world.user2.client().get("/api/v1/system_prompts/i/" + id).status());
        assertEquals(403, world.user2.client().delete("/api/v1/system_prompts/i/" + id).status());
        assertEquals(422, world.user1.client().post("/api/v1/system_prompts/", Map.of("name", "", "content", "x")).status());
        assertEquals(422, world.user1.client().post("/api/v1/system_prompts/", Map.of("name", "x", "content", "y", "extra", 1)).status());
        assertEquals(422, world.user1.client().patch("/api/v1/system_prompts/i/" + id, Map.of("content", "")).status());
        assertEquals(200, world.admin.client().delete("/api/v1/system_prompts/i/" + id).status());
        assertEquals(404, world.user1.client().get("/api/v1/system_prompts/i/" + id).status());
    }

    @Test
    void modelRelationshipsAreReadByAllAndChangedByAdministrators(@TempDir Path sources) {
        TestClient admin = world.admin.client();
        String first = ModelInstalls.installKey(admin, TinyModels.sd15().writeTo(sources.resolve("tiny-first")));
        String second = ModelInstalls.installKey(admin, TinyModels.sd15().writeTo(sources.resolve("tiny-second")));
        Map<String, String> pair = new LinkedHashMap<>();
        pair.put("model_key_1", second);
        pair.put("model_key_2", first);
        assertEquals(403, world.user1.client().post("/api/v1/model_relationships/", pair).status());
        TestResponse added = admin.post("/api/v1/model_relationships/", pair);
        assertEquals(204, added.status(), added.toString());
        assertEquals(204, admin.post("/api/v1/model_relationships/", pair).status(), "relating again changes nothing");
        assertEquals(List.of(second), List.of(world.user1.client().get("/api/v1/model_relationships/i/" + first).json().get(0).asText()));
        assertEquals(1, world.user1.client().get("/api/v1/model_relationships/i/" + second).json().size());
        JsonNode batch = world.user1.client().post("/api/v1/model_relationships/batch", Map.of("model_keys", List.of(first, second, "unknown"))).json();
        assertEquals(2, batch.size());

        assertEquals(400, admin.post("/api/v1/model_relationships/", Map.of("model_key_1", first, "model_key_2", first)).status());
        assertEquals(404, admin.post("/api/v1/model_relationships/", Map.of("model_key_1", first, "model_key_2", "nope")).status());
        assertEquals(422, admin.post("/api/v1/model_relationships/", Map.of("model_key_1", first)).status());
        assertEquals(403, world.user1.client().json("DELETE", "/api/v1/model_relationships/", pair).status());
        assertEquals(204, admin.json("DELETE", "/api/v1/model_relationships/", pair).status());
        assertEquals(404, admin.json("DELETE", "/api/v1/model_relationships/", pair).status());
        assertEquals("[]", world.user1.client().get("/api/v1/model_relationships/i/" + first).text().strip());

        admin.post("/api/v1/model_relationships/", pair);
        assertEquals(204, admin.delete("/api/v2/models/i/" + second).status());
        assertEquals("[]", admin.get("/api/v1/model_relationships/i/" + first).text().strip(),
                "a deleted model's relationships go with it");
    }
}

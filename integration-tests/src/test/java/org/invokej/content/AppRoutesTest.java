package org.invokej.content;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /api/v1/app}: InvokeAI's shapes, what users may read, and what only administrators may. */
class AppRoutesTest {

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

    @Test
    void versionIsPublicTheRestNeedsAToken() {
        TestResponse version = world.anonymous().get("/api/v1/app/version");
        assertEquals(200, version.status(), version.toString());
        assertEquals("6.14.0", version.json().path("version").asText());
        for (String path : List.of("app_deps", "patchmatch_status", "generation_device_options", "runtime_config",
                "logging", "invocation_cache/status", "external_providers/status")) {
            assertEquals(401, world.anonymous().get("/api/v1/app/" + path).status(), path);
        }
    }

    @Test
    void usersReadWhatTheServerIs() {
        TestClient user = world.user1.client();
        JsonNode deps = user.get("/api/v1/app/app_deps").json();
        assertTrue(deps.has("InvokeJ") && deps.has("Java") && deps.has("CUDA"), deps.toString());
        List<String> keys = new ArrayList<>();
        deps.fieldNames().forEachRemaining(keys::add);
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(String.CASE_INSENSITIVE_ORDER);
        assertEquals(sorted, keys, "sorted case-insensitively, as InvokeAI");

        TestResponse patchmatch = user.get("/api/v1/app/patchmatch_status");
        assertEquals("false", patchmatch.text().strip());

        JsonNode devices = user.get("/api/v1/app/generation_device_options").json();
        assertEquals("cpu", devices.get(0).path("device").asText());
        assertFalse(devices.get(0).path("name").asText().isBlank());

        assertEquals("[]", user.get("/api/v1/app/external_providers/status").text().strip());
    }

    @Test
    void settingsLoggingAndCacheAreForAdministrators() {
        TestClient user = world.user1.client();
        for (String path : List.of("runtime_config", "logging", "invocation_cache/status", "external_providers/config")) {
            TestResponse refused = user.get("/api/v1/app/" + path);
            assertEquals(403, refused.status(), path + " " + refused);
        }
        assertEquals(403, user.post("/api/v1/app/logging", 10).status());
        assertEquals(403, user.put("/api/v1/app/invocation_cache/enable", null).status());
        assertEquals(403, user.delete("/api/v1/app/invocation_cache").status());
        assertEquals(403, user.patch("/api/v1/app/runtime_config", Map.of()).status());
    }

    @Test
    void runtimeConfigShowsTheSettingsAndRefusesWhatCannotChange() {
        TestClient admin = world.admin.client();
        JsonNode config = admin.get("/api/v1/app/runtime_config").json();
        assertTrue(config.path("config").path("multiuser").asBoolean(), config.toString());
        assertTrue(config.path("config").has("port") && config.path("config").has("log_level"), config.toString());
        List<String> set = new ArrayList<>();
        config.path("set_fields").forEach(field -> set.add(field.asText()));
        assertTrue(set.contains("multiuser") && set.contains("bcrypt_cost"), set.toString());
        assertFalse(set.contains("host"), "an unchanged default is not a set field: " + set);

        TestResponse same = admin.patch("/api/v1/app/runtime_config", Map.of("image_subfolder_strategy", "flat"));
        assertEquals(200, same.status(), same.toString());
        assertEquals(config, same.json());
        TestResponse refused = admin.patch("/api/v1/app/runtime_config", Map.of("max_queue_history", 5));
        assertEquals(400, refused.status(), refused.toString());
        assertTrue(refused.detail().contains("max_queue_history"), refused.detail());
        assertEquals(422, admin.patch("/api/v1/app/runtime_config", List.of(1)).status());
    }

    @Test
    void logLevelReadsBackWhatWasSet() {
        TestClient admin = world.admin.client();
        int before = admin.get("/api/v1/app/logging").json().asInt();
        try {
            assertEquals(40, admin.post("/api/v1/app/logging", 40).json().asInt());
            assertEquals(40, admin.get("/api/v1/app/logging").json().asInt());
            assertEquals(50, admin.post("/api/v1/app/logging", 50).json().asInt());
            assertEquals(50, admin.get("/api/v1/app/logging").json().asInt());
            TestResponse bad = admin.post("/api/v1/app/logging", 15);
            assertEquals(422, bad.status(), bad.toString());
            assertEquals(422, admin.post("/api/v1/app/logging", "\"debug\"").status());
            assertEquals(50, admin.get("/api/v1/app/logging").json().asInt(), "a refused level changes nothing");
        } finally {
            admin.post("/api/v1/app/logging", before);
        }
    }

    @Test
    void theInvocationCacheIsAlwaysOffAndEmpty() {
        TestClient admin = world.admin.client();
        JsonNode status = admin.get("/api/v1/app/invocation_cache/status").json();
        assertEquals(0, status.path("size").asInt());
        assertEquals(0, status.path("max_size").asInt());
        assertFalse(status.path("enabled").asBoolean());
        assertTrue(status.has("hits") && status.has("misses"), status.toString());
        assertEquals(200, admin.put("/api/v1/app/invocation_cache/enable", null).status());
        assertEquals(200, admin.delete("/api/v1/app/invocation_cache").status());
        assertEquals(200, admin.put("/api/v1/app/invocation_cache/disable", null).status());
        assertEquals(status, admin.get("/api/v1/app/invocation_cache/status").json(),
                "with no room for a cache, enabling it changes nothing (as InvokeAI with max_cache_size 0)");
    }
}

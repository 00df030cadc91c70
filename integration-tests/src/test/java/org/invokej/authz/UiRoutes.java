package org.invokej.authz;

import org.invokej.testing.TestImages;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.invokej.authz.Who.ADMIN;
import static org.invokej.authz.Who.OTHER;
import static org.invokej.authz.Who.OWNER;

/**
 * The matrix rows of the routes InvokeAI's web UI calls beyond the core ones: {@code /api/v1/app},
 * {@code client_state}, {@code gallery}, {@code virtual_boards}, {@code videos}, {@code style_presets},
 * {@code system_prompts}, {@code model_relationships}, the bulk download under {@code images/download},
 * {@code utilities}, {@code image_moves}, {@code custom_nodes} and the API's description.
 */
final class UiRoutes {

    private static final String CS = "/api/v1/client_state/default/";

    private UiRoutes() {
    }

    private static String board(MatrixWorld w, String visibility) {
        return w.memo("ui.board." + visibility, () -> {
            String id = TestImages.board(w.owner.client(), "ui " + visibility);
            if (!visibility.equals("private")) {
                TestImages.visibility(w.owner.client(), id, visibility);
            }
            return id;
        });
    }

    private static String image(MatrixWorld w) {
        return w.memo("ui.image", () -> TestImages.uploadPng(w.owner.client(), board(w, "private")));
    }

    private static TestImages.Form presetForm(String type, boolean isPublic) {
        return TestImages.form("unused", new byte[0], "text/plain", Map.of("data", "{\"name\": \"m\", \"positive_prompt\": \"p\", "
                + "\"negative_prompt\": \"n\", \"type\": \"" + type + "\", \"is_public\": " + isPublic + "}"));
    }

    private static String freshPreset(MatrixWorld w, boolean isPublic) {
        TestImages.Form form = presetForm("user", isPublic);
        return w.owner.client().send("POST", "/api/v1/style_presets/", form.contentType(), form.body()).json().path("id").asText();
    }

    private static String preset(MatrixWorld w, boolean isPublic) {
        return w.memo("ui.preset." + isPublic, () -> freshPreset(w, isPublic));
    }

    private static String freshPrompt(MatrixWorld w) {
        return w.owner.client().post("/api/v1/system_prompts/", Map.of("name", "m", "content", "c")).json().path("id").asText();
    }

    private static String prompt(MatrixWorld w) {
        return w.memo("ui.prompt", () -> freshPrompt(w));
    }

    /** A finished zip of the owner's image, made fresh for each call (fetching one deletes it). */
    private static String freshDownload(MatrixWorld w) {
        String name = w.owner.client().post("/api/v1/images/download", Map.of("image_names", List.of(image(w))))
                .json().path("bulk_download_item_name").asText();
        Path zip = w.server.root().resolve("outputs/bulk_downloads").resolve(name);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!Files.exists(zip)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The bulk download " + name + " was not written");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return name;
    }

    /** A private workflow of the owner's with a thumbnail. */
    private static String workflow(MatrixWorld w) {
        return w.memo("ui.workflow", () -> {
            Map<String, Object> doc = new java.util.LinkedHashMap<>(Map.of("name", "wf", "author", "", "description", "",
                    "version", "1.0.0", "contact", "", "tags", "", "notes", "", "exposedFields", List.of(),
                    "meta", Map.of("version", "3.0.0", "category", "user"), "nodes", List.of()));
            doc.put("edges", List.of());
            String id = w.owner.client().post("/api/v1/workflows/", Map.of("workflow", doc)).json().path("workflow_id").asText();
            TestImages.Form form = thumbnail().apply(w);
            w.owner.client().send("PUT", "/api/v1/workflows/i/" + id + "/thumbnail", form.contentType(), form.body());
            return id;
        });
    }

    private static Function<MatrixWorld, TestImages.Form> thumbnail() {
        return w -> TestImages.form("image", TestImages.png(8, 8), "image/png", Map.of());
    }

    private static RouteCase everyUser(String method, String path) {
        return RouteCase.of(method, path).expect(200, OWNER, OTHER, ADMIN);
    }

    private static RouteCase adminOnly(String method, String path) {
        return RouteCase.of(method, path).expect(200, ADMIN).expect(403, OWNER, OTHER);
    }

    private static Function<MatrixWorld, TestImages.Form> csv() {
        return w -> TestImages.form("file", "name,prompt,negative_prompt\nm,p,n\n".getBytes(StandardCharsets.UTF_8), "text/csv", Map.of());
    }

    static List<RouteCase> cases() {
        return List.of(
                // App
                everyUser("GET", "/api/v1/app/app_deps"),
                everyUser("GET", "/api/v1/app/patchmatch_status"),
                everyUser("GET", "/api/v1/app/generation_device_options"),
                everyUser("GET", "/api/v1/app/external_providers/status"),
                adminOnly("GET", "/api/v1/app/external_providers/config"),
                adminOnly("GET", "/api/v1/app/runtime_config"),
                adminOnly("PATCH", "/api/v1/app/runtime_config").body(w -> Map.of()),
                adminOnly("GET", "/api/v1/app/logging"),
                RouteCase.of("POST", "/api/v1/app/logging").body(w -> 20).expect(200, ADMIN).expect(403, OWNER, OTHER),
                adminOnly("GET", "/api/v1/app/invocation_cache/status"),
                adminOnly("DELETE", "/api/v1/app/invocation_cache"),
                adminOnly("PUT", "/api/v1/app/invocation_cache/enable"),
                adminOnly("PUT", "/api/v1/app/invocation_cache/disable"),

                // Utilities and image moves
                everyUser("POST", "/api/v1/utilities/dynamicprompts").body(w -> Map.of("prompt", "a {red|blue} fox")),
                // No language models here: refused (400) to everyone signed in, as a request InvokeAI cannot serve.
                RouteCase.of("POST", "/api/v1/utilities/expand-prompt").body(w -> Map.of("prompt", "a fox", "model_key", "none"))
                        .expect(400, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/utilities/image-to-prompt").body(w -> Map.of("image_name", "none.png", "model_key", "none"))
                        .expect(400, OWNER, OTHER, ADMIN),

                // Custom node packs: none can be loaded; all for administrators, as in InvokeAI
                adminOnly("GET", "/api/v2/custom_nodes/"),
                adminOnly("POST", "/api/v2/custom_nodes/install").body(w -> Map.of("source", "https://example.com/pack.git")),
                adminOnly("POST", "/api/v2/custom_nodes/reload"),
                adminOnly("DELETE", "/api/v2/custom_nodes/some-pack"),
                adminOnly("GET", "/api/v1/image_moves/status"),
                RouteCase.of("POST", "/api/v1/image_moves/recover").expect(202, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("POST", "/api/v1/image_moves/start").expect(409, ADMIN).expect(403, OWNER, OTHER),

                // The API's description and its page: public, as FastAPI serves them
                RouteCase.of("GET", "/openapi.json").everyone(200),
                RouteCase.of("GET", "/docs").everyone(200),
                RouteCase.of("GET", "/docs/assets/swagger-ui-bundle.js").everyone(200),

                // Client state: always the caller's own
                everyUser("GET", CS + "get_by_key?key=matrix"),
                everyUser("POST", CS + "set_by_key?key=matrix").body(w -> "\"value\""),
                everyUser("GET", CS + "get_keys_by_prefix?prefix=m"),
                everyUser("POST", CS + "delete_by_key?key=matrix"),
                everyUser("POST", CS + "delete"),

                // Gallery and date boards
                everyUser("GET", "/api/v1/gallery/item_names"),
                everyUser("GET", "/api/v1/gallery/items/?limit=5"),
                everyUser("GET", "/api/v1/gallery/items/names"),
                RouteCase.of("GET", "/api/v1/gallery/item_names?board_id={private}", w -> "/api/v1/gallery/item_names?board_id=" + board(w, "private"))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("GET", "/api/v1/gallery/items/?board_id={private}", w -> "/api/v1/gallery/items/?board_id=" + board(w, "private"))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("GET", "/api/v1/gallery/item_names?board_id={shared}", w -> "/api/v1/gallery/item_names?board_id=" + board(w, "shared"))
                        .expect(200, OWNER, OTHER, ADMIN),
                everyUser("GET", "/api/v1/virtual_boards/by_date"),
                everyUser("GET", "/api/v1/virtual_boards/by_date/2025-01-02/item_names"),
                everyUser("GET", "/api/v1/virtual_boards/by_date/2025-01-02/image_names"),
                everyUser("GET", "/api/v1/videos/"),
                everyUser("GET", "/api/v1/videos/names"),

                // Bulk download
                RouteCase.of("POST", "/api/v1/images/download (owner's private image)", w -> "/api/v1/images/download")
                        .body(w -> Map.of("image_names", List.of(image(w)))).expect(202, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("POST", "/api/v1/images/download (private board)", w -> "/api/v1/images/download")
                        .body(w -> Map.of("board_id", board(w, "private"))).expect(202, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("GET", "/api/v1/images/download/{owner's zip}", w -> "/api/v1/images/download/" + freshDownload(w))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),

                // Style presets
                everyUser("GET", "/api/v1/style_presets/"),
                RouteCase.of("POST", "/api/v1/style_presets/").form(w -> presetForm("user", false)).expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", "/api/v1/style_presets/ (default type)", w -> "/api/v1/style_presets/")
                        .form(w -> presetForm("default", false)).expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", "/api/v1/style_presets/i/{private}", w -> "/api/v1/style_presets/i/" + preset(w, false))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("GET", "/api/v1/style_presets/i/{public}", w -> "/api/v1/style_presets/i/" + preset(w, true))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", "/api/v1/style_presets/i/{private}/image", w -> "/api/v1/style_presets/i/" + preset(w, false) + "/image")
                        .expect(404, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("PATCH", "/api/v1/style_presets/i/{public}", w -> "/api/v1/style_presets/i/" + preset(w, true))
                        .form(w -> presetForm("user", true)).expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("DELETE", "/api/v1/style_presets/i/{fresh}", w -> "/api/v1/style_presets/i/" + freshPreset(w, true))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                adminOnly("GET", "/api/v1/style_presets/export"),
                adminOnly("POST", "/api/v1/style_presets/import").form(csv()),

                // Workflow thumbnails
                RouteCase.of("GET", "/api/v1/workflows/i/{private}/thumbnail", w -> "/api/v1/workflows/i/" + workflow(w) + "/thumbnail")
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("PUT", "/api/v1/workflows/i/{private}/thumbnail", w -> "/api/v1/workflows/i/" + workflow(w) + "/thumbnail")
                        .form(thumbnail()).expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("DELETE", "/api/v1/workflows/i/{private}/thumbnail", w -> "/api/v1/workflows/i/" + workflow(w) + "/thumbnail")
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),

                // System prompts
                everyUser("GET", "/api/v1/system_prompts/"),
                everyUser("POST", "/api/v1/system_prompts/").body(w -> Map.of("name", "m", "content", "c")),
                RouteCase.of("GET", "/api/v1/system_prompts/i/{private}", w -> "/api/v1/system_prompts/i/" + prompt(w))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("PATCH", "/api/v1/system_prompts/i/{private}", w -> "/api/v1/system_prompts/i/" + prompt(w))
                        .body(w -> Map.of("content", "changed")).expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("DELETE", "/api/v1/system_prompts/i/{fresh}", w -> "/api/v1/system_prompts/i/" + freshPrompt(w))
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),

                // Model relationships: reads for everyone, changes for administrators (who then learn the keys are unknown)
                everyUser("GET", "/api/v1/model_relationships/i/some-key"),
                everyUser("POST", "/api/v1/model_relationships/batch").body(w -> Map.of("model_keys", List.of("some-key"))),
                RouteCase.of("POST", "/api/v1/model_relationships/").body(w -> Map.of("model_key_1", "a", "model_key_2", "b"))
                        .expect(404, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", "/api/v1/model_relationships/").body(w -> Map.of("model_key_1", "a", "model_key_2", "b"))
                        .expect(404, ADMIN).expect(403, OWNER, OTHER));
    }
}

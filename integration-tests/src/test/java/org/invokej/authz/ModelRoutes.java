package org.invokej.authz;

import org.invokej.testing.ModelInstalls;
import org.invokej.testing.TestImages;
import org.invokej.inference.testmodels.TinyModels;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import org.invokej.testing.TestServer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.invokej.authz.Who.ADMIN;
import static org.invokej.authz.Who.OTHER;
import static org.invokej.authz.Who.OWNER;

/**
 * The matrix rows of {@code /api/v2/models}: reads for every user, changes and installs for
 * administrators (invokeai-multiuser.md §6.10), and the public cover image.
 */
final class ModelRoutes {

    private ModelRoutes() {
    }

    private static final String M = "/api/v2/models";

    /** The tiny model's folder, written once. */
    private static Path source(MatrixWorld w) {
        return w.memo("model-source", () -> TinyModels.sd15().writeTo(w.server.root().resolve("sources/matrix-tiny")));
    }

    /** A model installed once (with a cover image), for rows that read or change it. */
    private static String model(MatrixWorld w) {
        return w.memo("model", () -> {
            String key = ModelInstalls.installKey(w.admin.client(), source(w));
            setImage(w, key);
            return key;
        });
    }

    /** A new model, for a row that deletes one. */
    private static String freshModel(MatrixWorld w) {
        return ModelInstalls.installKey(w.admin.client(), TinyModels.sd15()
                .writeTo(w.server.root().resolve("sources/fresh-" + UUID.randomUUID())));
    }

    /** A checkpoint record as InvokeAI writes one (this engine cannot run it), for the ONNX export rows. */
    private static String checkpoint(MatrixWorld w) {
        return w.memo("checkpoint", () -> {
            String key = UUID.randomUUID().toString();
            String config = "{\"key\":\"" + key + "\",\"hash\":\"blake3:" + key + "\",\"path\":\"" + key + "/matrix.safetensors\","
                    + "\"file_size\":64,\"name\":\"matrix-checkpoint\",\"description\":null,\"source\":\"matrix\","
                    + "\"source_type\":\"path\",\"type\":\"main\",\"format\":\"checkpoint\",\"base\":\"sd-1\"}";
            try (Connection db = TestServer.database(w.server.root());
                 PreparedStatement insert = db.prepareStatement("INSERT INTO models (id, config) VALUES (?, ?)")) {
                insert.setString(1, key);
                insert.setString(2, config);
                insert.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            return key;
        });
    }

    /** The checkpoint, linked to the tiny model standing in for its ONNX export. */
    private static String linkedCheckpoint(MatrixWorld w) {
        String key = checkpoint(w);
        w.admin.client().put(M + "/i/" + key + "/onnx_export", Map.of("path", source(w).toString()));
        return key;
    }

    private static long job(MatrixWorld w) {
        return w.memo("job", () -> {
            model(w);
            return w.admin.client().get(M + "/install").json().get(0).path("id").asLong();
        });
    }

    /** The job of a new install (the rows above prune finished jobs). */
    private static long freshJob(MatrixWorld w) {
        return ModelInstalls.install(w.admin.client(), TinyModels.sd15()
                .writeTo(w.server.root().resolve("sources/job-" + UUID.randomUUID()))).path("id").asLong();
    }

    private static String encoded(Object value) {
        return URLEncoder.encode(value.toString(), StandardCharsets.UTF_8);
    }

    private static void setImage(MatrixWorld w, String key) {
        TestImages.Form form = TestImages.form("image", TestImages.png(8, 8), "image/png", Map.of());
        w.admin.client().send("PATCH", M + "/i/" + key + "/image", form.contentType(), form.body());
    }

    static List<RouteCase> cases() {
        return List.of(
                RouteCase.of("GET", M + "/").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", M + "/missing").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", M + "/i/{key}", w -> M + "/i/" + model(w)).expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", M + "/get_by_attrs", w -> M + "/get_by_attrs?name=matrix-tiny&type=main&base=sd-1&k=" + model(w))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", M + "/get_by_hash", w -> M + "/get_by_hash?hash="
                        + encoded(w.admin.client().get(M + "/i/" + model(w)).json().path("hash").asText()))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PATCH", M + "/i/{key}", w -> M + "/i/" + model(w)).body(w -> Map.of("description", "changed"))
                        .expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", M + "/i/{fresh}", w -> M + "/i/" + freshModel(w)).expect(204, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", M + "/i/{key}/image", w -> M + "/i/" + model(w) + "/image").everyone(200),
                RouteCase.of("PATCH", M + "/i/{key}/image", w -> M + "/i/" + model(w) + "/image").form(w -> TestImages.form("image", TestImages.png(8, 8), "image/png", Map.of()))
                        .expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", M + "/i/{key}/image", w -> {
                    String key = model(w);
                    setImage(w, key);
                    return M + "/i/" + key + "/image";
                }).expect(204, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", M + "/i/{key}/allowed_users", w -> M + "/i/" + model(w) + "/allowed_users")
                        .expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("PUT", M + "/i/{key}/allowed_users", w -> M + "/i/" + model(w) + "/allowed_users")
                        .body(w -> Map.of("user_ids", List.of())).expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("PUT", M + "/i/{checkpoint}/onnx_export", w -> M + "/i/" + checkpoint(w) + "/onnx_export")
                        .body(w -> Map.of("path", source(w).toString())).expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", M + "/i/{checkpoint}/onnx_export", w -> M + "/i/" + linkedCheckpoint(w) + "/onnx_export")
                        .expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", M + "/scan_folder", w -> M + "/scan_folder?scan_path=" + encoded(w.server.root().resolve("sources")))
                        .expect(200, ADMIN).expect(403, OWNER, OTHER),
                // A folder of its own each time: a folder installed before is refused (409) whoever asks.
                RouteCase.of("POST", M + "/install", w -> M + "/install?source=" + encoded(TinyModels.sd15()
                                .writeTo(w.server.root().resolve("sources/install-" + UUID.randomUUID()))))
                        .body(w -> Map.of("name", "matrix-" + UUID.randomUUID())).expect(201, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", M + "/install").expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", M + "/install/{id}", w -> M + "/install/" + job(w)).expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", M + "/install/{id}", w -> M + "/install/" + job(w)).expect(201, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", M + "/install").expect(204, ADMIN).expect(403, OWNER, OTHER),
                // A local install has no download to pause, resume or restart: refused (409) to the administrator.
                RouteCase.of("POST", M + "/install/{id}/pause", w -> M + "/install/" + freshJob(w) + "/pause").expect(409, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("POST", M + "/install/{id}/resume", w -> M + "/install/" + freshJob(w) + "/resume").expect(409, ADMIN).expect(403, OWNER, OTHER),

                // The model manager's housekeeping: all of it for administrators (invokeai-multiuser.md §6.10).
                RouteCase.of("POST", M + "/i/{key}/reidentify", w -> M + "/i/" + model(w) + "/reidentify").expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("POST", M + "/i/bulk_reidentify").body(w -> Map.of("keys", List.of(model(w)))).expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("POST", M + "/i/bulk_delete").body(w -> Map.of("keys", List.of(freshModel(w)))).expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("PUT", M + "/convert/{key}", w -> M + "/convert/" + model(w)).expect(400, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", M + "/starter_models").expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", M + "/hf_login").expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("POST", M + "/hf_login").body(w -> Map.of("token", "hf_matrix")).expect(400, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", M + "/hf_login").expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", M + "/hugging_face?hugging_face_repo=owner/model").expect(400, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("GET", M + "/sync/orphaned").expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("DELETE", M + "/sync/orphaned").body(w -> Map.of("paths", List.of("not-there"))).expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("POST", M + "/empty_model_cache").expect(200, ADMIN).expect(403, OWNER, OTHER));
    }
}

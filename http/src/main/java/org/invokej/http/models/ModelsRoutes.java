package org.invokej.http.models;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.DomainException;
import org.invokej.core.models.BulkOutcome;
import org.invokej.core.models.DefaultSettings;
import org.invokej.core.models.InstallEvents;
import org.invokej.core.models.InstallJob;
import org.invokej.core.models.InstallOverrides;
import org.invokej.core.models.LoadedModels;
import org.invokej.core.models.ModelChanges;
import org.invokej.core.models.ModelConfig;
import org.invokej.core.models.ModelInstaller;
import org.invokej.core.models.ModelQuery;
import org.invokej.core.models.ModelService;
import org.invokej.core.models.OnnxExports;
import org.invokej.core.models.OrphanedModelFolders;
import org.invokej.http.Json;
import org.invokej.http.MultipartForm;
import org.invokej.http.QueryParams;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v2/models}: InvokeAI's model manager routes for ONNX models. Everyone signed in lists and
 * reads models; administrators install, change and delete them; a model's cover image is public, as in
 * InvokeAI. Beyond InvokeAI, {@code /i/{key}/allowed_users} holds who may generate with a model, and
 * {@code /i/{key}/onnx_export} links a model InvokeAI installed to an ONNX export this engine runs.
 * What InvokeAI does through Hugging Face (starter models, its token, repository installs) and model
 * conversion have no counterpart here: the routes answer so (no starter models, no token) or refuse
 * with what to do instead.
 */
public final class ModelsRoutes implements HttpService {

    static final String PREFIX = "/api/v2/models";

    /** One install job in InvokeAI's {@code ModelInstallJob} shape. */
    record InstallJobDto(long id, String status, String errorReason, InstallOverrides configIn, ModelConfig configOut,
                         boolean inplace, InstallEvents.LocalSource source, String localPath, long bytes, long totalBytes,
                         Object sourceMetadata, List<Object> downloadParts, String error, String errorTraceback) {
        static InstallJobDto of(InstallJob job) {
            InstallJob.View view = job.view();
            return new InstallJobDto(view.id(), view.status().wireName(), view.errorType(), view.overrides(), view.config(),
                    view.inplace(), ModelInstaller.source(job), view.source().toString(), view.bytes(), view.totalBytes(),
                    null, List.of(), view.error(), null);
        }
    }

    /** The PATCH body: a field that is absent stays, one that is {@code null} is cleared. */
    record ChangesBody(JsonNode name, JsonNode description, JsonNode defaultSettings, JsonNode triggerPhrases) {
    }

    /** Beyond InvokeAI: who besides administrators may generate with a model (empty: everyone). */
    record AllowedUsers(List<String> userIds) {
        AllowedUsers {
            if (userIds == null || userIds.stream().anyMatch(id -> id == null || id.isBlank())) {
                throw DomainException.unprocessable("user_ids must be a list of user ids");
            }
        }
    }

    /** The PUT body of {@code onnx_export}: the export's absolute folder, or none to use the one found beside the model. */
    record OnnxExportBody(String path) {
    }

    /** The body of {@code bulk_delete} and {@code bulk_reidentify}. */
    record Keys(List<String> keys) {
    }

    /** InvokeAI's {@code BulkDeleteModelsResponse}. */
    record BulkDeleted(List<String> deleted, List<BulkOutcome.Failure> failed) {
    }

    /** InvokeAI's {@code BulkReidentifyModelsResponse}. */
    record BulkReidentified(List<String> succeeded, List<BulkOutcome.Failure> failed) {
    }

    /** The body of {@code DELETE sync/orphaned}. */
    record OrphanPaths(List<String> paths) {
    }

    /** InvokeAI's {@code StarterModelResponse}: none, since every starter model is a Hugging Face download. */
    record StarterModels(List<String> starterModels, Map<String, List<String>> starterBundles) {
        static final StarterModels NONE = new StarterModels(List.of(), Map.of());
    }

    /** InvokeAI's {@code HFTokenStatus} when no token is set. */
    static final String NO_HF_TOKEN = "invalid";
    static final String NO_HUB = "This server does not download from Hugging Face: download the model's ONNX export"
            + " (optimum's layout) and install it from its folder or a zip of it";

    private final Json json;
    private final ModelService models;
    private final ModelInstaller installer;
    private final OnnxExports exports;
    private final OrphanedModelFolders orphans;
    private final LoadedModels loaded;
    private final long maxUploadBytes;

    /**
     * @param loaded         the generation engine's model cache in this process
     * @param maxUploadBytes the largest cover image upload (the whole multipart body)
     */
    public ModelsRoutes(Json json, ModelService models, ModelInstaller installer, OnnxExports exports, LoadedModels loaded,
                        long maxUploadBytes) {
        this.json = json;
        this.models = models;
        this.installer = installer;
        this.exports = exports;
        this.orphans = new OrphanedModelFolders(models);
        this.loaded = loaded;
        this.maxUploadBytes = maxUploadBytes;
    }

    /** Who may call what (invokeai-multiuser.md §6.10); the auth filter applies it. */
    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.PUBLIC, PREFIX + "/i/*/image", Method.GET)
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/i/*/image")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/i/*/allowed_users")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/i/*/onnx_export")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/i/*", Method.PATCH, Method.DELETE)
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/scan_folder")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/install/**")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/i/bulk_delete", Method.POST)
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/i/bulk_reidentify", Method.POST)
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/i/*/reidentify")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/convert/*")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/starter_models")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/hf_login")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/hugging_face")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/sync/orphaned")
                .route(Requirement.ADMIN_OR_DEFAULT, PREFIX + "/empty_model_cache")
                .route(Requirement.USER_OR_DEFAULT, PREFIX + "/**");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .get("/missing", (req, res) -> json.send(res, Map.of("models", models.missing())))
                .get("/get_by_attrs", (req, res) -> json.send(res, models.getByAttributes(QueryParams.required(req, "name"),
                        QueryParams.required(req, "type"), QueryParams.required(req, "base"))))
                .get("/get_by_hash", (req, res) -> json.send(res, models.getByHash(QueryParams.required(req, "hash"))))
                .get("/scan_folder", (req, res) -> json.send(res,
                        models.scanFolder(Caller.actor(req), QueryParams.text(req, "scan_path").orElse(""))))
                .post("/install", this::install)
                .get("/install", (req, res) -> json.send(res,
                        installer.jobs(Caller.actor(req)).stream().map(InstallJobDto::of).toList()))
                .delete("/install", (req, res) -> {
                    installer.prune(Caller.actor(req));
                    res.status(Status.NO_CONTENT_204).send();
                })
                .get("/install/{id}", (req, res) -> json.send(res, InstallJobDto.of(installer.job(Caller.actor(req), jobId(req)))))
                .delete("/install/{id}", (req, res) -> {
                    installer.cancel(Caller.actor(req), jobId(req));
                    json.send(res, Status.CREATED_201, null);
                })
                .post("/install/{id}/pause", (req, res) -> refuseJobControl(req, "paused"))
                .post("/install/{id}/resume", (req, res) -> refuseJobControl(req, "resumed"))
                .post("/install/{id}/restart_failed", (req, res) -> refuseJobControl(req, "restarted"))
                .post("/install/{id}/restart_file", (req, res) -> refuseJobControl(req, "restarted"))
                .get("/starter_models", (req, res) -> json.send(res, StarterModels.NONE))
                .get("/hf_login", (req, res) -> json.send(res, NO_HF_TOKEN))
                .delete("/hf_login", (req, res) -> json.send(res, NO_HF_TOKEN))
                .post("/hf_login", (req, res) -> {
                    throw DomainException.invalid(NO_HUB + "; it keeps no Hugging Face token");
                })
                .get("/hugging_face", (req, res) -> {
                    throw DomainException.invalid(NO_HUB);
                })
                .get("/sync/orphaned", (req, res) -> json.send(res, orphans.find(Caller.actor(req))))
                .delete("/sync/orphaned", (req, res) -> {
                    OrphanPaths body = json.read(req, OrphanPaths.class);
                    json.send(res, orphans.delete(Caller.actor(req), body == null ? null : body.paths()));
                })
                .post("/empty_model_cache", (req, res) -> json.send(res, loaded.emptyUnused()))
                .put("/convert/{key}", (req, res) -> {
                    ModelConfig model = models.get(key(req));
                    throw DomainException.invalid("InvokeJ does not convert models: it runs ONNX exports. Export '" + model.name()
                            + "' to ONNX (optimum-cli export onnx) and link the export to it: invokej models link " + model.key()
                            + " --onnx DIR, or PUT " + PREFIX + "/i/" + model.key() + "/onnx_export");
                })
                .post("/i/bulk_delete", (req, res) -> {
                    BulkOutcome outcome = models.deleteAll(Caller.actor(req), keys(req));
                    json.send(res, new BulkDeleted(outcome.done(), outcome.failed()));
                })
                .post("/i/bulk_reidentify", (req, res) -> {
                    BulkOutcome outcome = installer.reidentifyAll(Caller.actor(req), keys(req));
                    json.send(res, new BulkReidentified(outcome.done(), outcome.failed()));
                })
                .post("/i/{key}/reidentify", (req, res) -> json.send(res, installer.reidentify(Caller.actor(req), key(req))))
                .get("/i/{key}", (req, res) -> json.send(res, models.get(key(req))))
                .patch("/i/{key}", this::update)
                .delete("/i/{key}", (req, res) -> {
                    models.delete(Caller.actor(req), key(req));
                    res.status(Status.NO_CONTENT_204).send();
                })
                .get("/i/{key}/image", this::image)
                .patch("/i/{key}/image", this::setImage)
                .delete("/i/{key}/image", (req, res) -> {
                    models.deleteCoverImage(Caller.actor(req), key(req));
                    res.status(Status.NO_CONTENT_204).send();
                })
                .get("/i/{key}/allowed_users", (req, res) -> json.send(res,
                        new AllowedUsers(List.copyOf(models.allowedUsers(Caller.actor(req), key(req))))))
                .put("/i/{key}/allowed_users", (req, res) -> {
                    AllowedUsers body = json.read(req, AllowedUsers.class);
                    Set<String> allowed = models.setAllowedUsers(Caller.actor(req), key(req), new LinkedHashSet<>(body.userIds()));
                    json.send(res, new AllowedUsers(List.copyOf(allowed)));
                })
                .put("/i/{key}/onnx_export", (req, res) -> {
                    OnnxExportBody body = req.content().hasEntity() ? json.read(req, OnnxExportBody.class) : new OnnxExportBody(null);
                    json.send(res, exports.link(Caller.actor(req), key(req), body == null ? null : body.path()));
                })
                .delete("/i/{key}/onnx_export", (req, res) -> json.send(res, exports.unlink(Caller.actor(req), key(req))));
    }

    private void list(ServerRequest req, ServerResponse res) {
        String direction = QueryParams.choice(req, "direction", "ASC", List.of("ASC", "DESC"));
        ModelQuery query = new ModelQuery(QueryParams.all(req, "base_models"), QueryParams.text(req, "model_type").orElse(null),
                QueryParams.text(req, "model_name").orElse(null), QueryParams.text(req, "model_format").orElse(null),
                QueryParams.text(req, "order_by").orElse(null), direction.equals("DESC"));
        json.send(res, Map.of("models", models.list(query)));
    }

    private void install(ServerRequest req, ServerResponse res) {
        String source = QueryParams.required(req, "source");
        boolean inplace = QueryParams.bool(req, "inplace").orElse(false);
        InstallOverrides overrides = req.content().hasEntity() ? json.read(req, InstallOverrides.class) : InstallOverrides.NONE;
        InstallJob job = installer.install(Caller.actor(req), source, inplace, overrides);
        json.send(res, Status.CREATED_201, InstallJobDto.of(job));
    }

    private void update(ServerRequest req, ServerResponse res) {
        ChangesBody body = json.read(req, ChangesBody.class);
        String name = null;
        if (body.name() != null) {
            if (!body.name().isTextual()) {
                throw DomainException.unprocessable("Invalid value for 'name': expected a string");
            }
            name = body.name().asText();
        }
        Optional<String[]> phrases = field(body.triggerPhrases(), "trigger_phrases", String[].class);
        ModelChanges changes = new ModelChanges(name,
                field(body.description(), "description", String.class),
                field(body.defaultSettings(), "default_settings", DefaultSettings.class),
                phrases == null ? null : phrases.map(List::of));
        json.send(res, models.update(Caller.actor(req), key(req), changes));
    }

    /** Null when the field was absent, empty when it was {@code null}, else its value. */
    private <T> Optional<T> field(JsonNode node, String name, Class<T> type) {
        if (node == null) {
            return null;
        }
        if (node.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.mapper().treeToValue(node, type));
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof DomainException domain) {
                throw domain;
            }
            throw DomainException.unprocessable("Invalid value for '" + name + "'");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw DomainException.unprocessable("Invalid value for '" + name + "'");
        }
    }

    private void image(ServerRequest req, ServerResponse res) {
        Path file = models.coverImage(key(req)).orElseThrow(() -> DomainException.notFound("Model image not found"));
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        res.header(HeaderNames.CONTENT_TYPE, "image/png");
        res.send(bytes);
    }

    /** InvokeAI's upload: a multipart form whose {@code image} part is the picture; answers {@code null}. */
    private void setImage(ServerRequest req, ServerResponse res) {
        MultipartForm form = MultipartForm.read(req, maxUploadBytes);
        MultipartForm.Part image = form.part("image").orElseThrow(() -> DomainException.unprocessable("Field required: image"));
        models.setCoverImage(Caller.actor(req), key(req), image.bytes());
        json.send(res, null);
    }

    private List<String> keys(ServerRequest req) {
        Keys body = json.read(req, Keys.class);
        return body == null ? null : body.keys();
    }

    /** Local installs copy and check files; there is no download to pause, resume or restart. */
    private void refuseJobControl(ServerRequest req, String what) {
        InstallJob job = installer.job(Caller.actor(req), jobId(req));
        throw DomainException.conflict("Install job " + job.view().id() + " installs from a local path: there is no download to be "
                + what + " (this server does not download models)");
    }

    private static String key(ServerRequest req) {
        return req.path().pathParameters().get("key");
    }

    private static long jobId(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw DomainException.unprocessable("Job id must be a whole number, not '" + raw + "'");
        }
    }
}

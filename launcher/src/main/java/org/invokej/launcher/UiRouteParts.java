package org.invokej.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.clientstate.ClientStateService;
import org.invokej.core.content.BulkDownloads;
import org.invokej.core.content.ImageService;
import org.invokej.core.content.WorkflowThumbnails;
import org.invokej.core.events.EventSink;
import org.invokej.core.models.ModelRelationships;
import org.invokej.core.models.ModelService;
import org.invokej.core.prompts.StylePresetService;
import org.invokej.core.prompts.SystemPromptService;
import org.invokej.core.store.Transactions;
import org.invokej.http.ApiServer;
import org.invokej.http.AppRoutes;
import org.invokej.http.Json;
import org.invokej.http.SchedulerChoice;
import org.invokej.inference.schedulers.SchedulerName;
import org.invokej.http.LogLevel;
import org.invokej.http.auth.RouteAccess;
import org.invokej.http.content.BulkDownloadRoutes;
import org.invokej.http.content.GalleryRoutes;
import org.invokej.http.content.VideosRoutes;
import org.invokej.http.content.VirtualBoardsRoutes;
import org.invokej.http.ui.ClientStateRoutes;
import org.invokej.http.ui.ModelRelationshipsRoutes;
import org.invokej.http.ui.StylePresetsRoutes;
import org.invokej.http.ui.SystemPromptsRoutes;
import org.invokej.persistence.DiskPreviewImages;
import org.invokej.persistence.SqlModelRelationshipRepository;
import org.invokej.persistence.SqlStylePresetRepository;
import org.invokej.persistence.SqlSystemPromptRepository;
import org.invokej.persistence.SqlWorkflowRepository;
import org.invokej.persistence.SqlClientStateRepository;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.invokej.http.openapi.OpenApiRoutes;
import org.invokej.http.ui.CustomNodesRoutes;
import org.invokej.http.ui.ImageMovesRoutes;
import org.invokej.http.ui.UtilitiesRoutes;
import java.util.TreeMap;

/**
 * The routes InvokeAI's web UI calls besides the core ones (app information, its saved state, the
 * gallery's listings, presets, prompts, model relationships, bulk downloads), assembled for the server.
 */
final class UiRouteParts {

    private final List<ApiServer.Mount> mounts;
    private final WorkflowThumbnails workflowThumbnails;
    private final AppRoutes app;

    UiRouteParts(Path root, InvokeConfig config, Json json, Transactions transactions, ImageService images,
                 ModelService models, EventSink events, Clock clock) {
        long maxUpload = Math.min(config.maxUploadSize(), config.maxRequestSize());
        this.workflowThumbnails = new WorkflowThumbnails(transactions, new SqlWorkflowRepository(),
                new DiskPreviewImages(root.resolve("workflow_thumbnails")), config.maxImagePixels());
        List<ApiServer.Mount> all = new ArrayList<>();
        this.app = new AppRoutes(json, appInfo(config, json), new LogLevel(), SchedulerName.available().stream()
                .map(name -> new SchedulerChoice(name.invokeName(), name.label())).toList());
        all.add(new ApiServer.Mount("/api/v1/client_state", new ClientStateRoutes(json,
                new ClientStateService(transactions, new SqlClientStateRepository()))));
        all.add(new ApiServer.Mount("/api/v1/gallery", new GalleryRoutes(json, images)));
        // Beside /api/v1/images, which has no route of its own under /download.
        all.add(new ApiServer.Mount("/api/v1/images/download", new BulkDownloadRoutes(json,
                new BulkDownloads(images, config.imagesDir(root).resolveSibling("bulk_downloads"), events, clock))));
        all.add(new ApiServer.Mount("/api/v1/virtual_boards", new VirtualBoardsRoutes(json, images)));
        all.add(new ApiServer.Mount("/api/v1/videos", new VideosRoutes(json)));
        all.add(new ApiServer.Mount("/api/v1/style_presets", new StylePresetsRoutes(json, new StylePresetService(transactions,
                new SqlStylePresetRepository(), new DiskPreviewImages(root.resolve("style_presets")), config.maxImagePixels()),
                maxUpload)));
        all.add(new ApiServer.Mount("/api/v1/system_prompts", new SystemPromptsRoutes(json,
                new SystemPromptService(transactions, new SqlSystemPromptRepository(), config.multiuser()))));
        all.add(new ApiServer.Mount("/api/v1/model_relationships", new ModelRelationshipsRoutes(json,
                new ModelRelationships(transactions, new SqlModelRelationshipRepository(), models))));
        all.add(new ApiServer.Mount("/api/v1/utilities", new UtilitiesRoutes(json)));
        all.add(new ApiServer.Mount("/api/v1/image_moves", new ImageMovesRoutes(json)));
        all.add(new ApiServer.Mount("/api/v2/custom_nodes", new CustomNodesRoutes(json)));
        this.mounts = List.copyOf(all);
    }

    static void access(RouteAccess.Builder access) {
        ClientStateRoutes.access(access);
        GalleryRoutes.access(access);
        BulkDownloadRoutes.access(access);
        VirtualBoardsRoutes.access(access);
        VideosRoutes.access(access);
        StylePresetsRoutes.access(access);
        SystemPromptsRoutes.access(access);
        ModelRelationshipsRoutes.access(access);
        UtilitiesRoutes.access(access);
        ImageMovesRoutes.access(access);
        CustomNodesRoutes.access(access);
        OpenApiRoutes.access(access);
    }

    List<ApiServer.Mount> mounts() {
        return mounts;
    }

    /** {@code /api/v1/app}, mounted with the core route families. */
    AppRoutes app() {
        return app;
    }

    /** For the workflow library's routes, which show and change thumbnails. */
    WorkflowThumbnails workflowThumbnails() {
        return workflowThumbnails;
    }

    /** What {@code /api/v1/app} tells: versions of what runs, the devices, and the settings (none secret). */
    private static AppRoutes.Info appInfo(InvokeConfig config, Json json) {
        TreeMap<String, String> components = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        components.put("InvokeJ", Version.current());
        components.put("Java", Runtime.version().toString());
        components.put("CUDA", config.device().startsWith("cuda") ? config.device() : "N/A");
        List<AppRoutes.Device> devices = new ArrayList<>();
        devices.add(new AppRoutes.Device("cpu", "CPU"));
        if (config.device().startsWith("cuda")) {
            devices.add(new AppRoutes.Device(config.device(), "CUDA device " + config.device().substring("cuda".length()).replace(":", "")));
        }
        return new AppRoutes.Info(Version.current(), components, devices, config, setFields(config, json));
    }

    /** The settings whose values differ from the defaults, by their {@code invokeai.yaml} keys. */
    private static List<String> setFields(InvokeConfig config, Json json) {
        JsonNode actual = json.mapper().valueToTree(config);
        JsonNode defaults = json.mapper().valueToTree(InvokeConfig.defaults());
        List<String> set = new ArrayList<>();
        for (Iterator<String> names = actual.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!actual.get(name).equals(defaults.get(name))) {
                set.add(name);
            }
        }
        return set;
    }
}

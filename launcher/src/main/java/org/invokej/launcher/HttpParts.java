package org.invokej.launcher;

import org.invokej.core.auth.Sessions;
import org.invokej.core.models.LoadedModels;
import org.invokej.http.ApiRoutes;
import org.invokej.http.ApiServer;
import org.invokej.http.AppRoutes;
import org.invokej.http.ContentSecurityPolicy;
import org.invokej.http.CorsPolicy;
import org.invokej.http.Json;
import org.invokej.http.WorkersHealth;
import org.invokej.http.SecurityHeaders;
import org.invokej.http.TlsFiles;
import org.invokej.http.WebUiFolder;
import org.invokej.http.Problems;
import org.invokej.http.auth.ApiKeysRoutes;
import org.invokej.http.auth.AuditRoutes;
import org.invokej.http.auth.AuthRoutes;
import org.invokej.http.auth.ClientAddresses;
import org.invokej.http.auth.MediaCookie;
import org.invokej.http.content.BoardImagesRoutes;
import org.invokej.http.content.BoardsRoutes;
import org.invokej.http.content.ImagesRoutes;
import org.invokej.http.content.WorkflowsRoutes;
import org.invokej.http.models.ModelsRoutes;
import org.invokej.http.queue.SessionQueueRoutes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.invokej.http.openapi.OpenApiRoutes;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** The HTTP API: the filters every request passes (the route-access table among them) and each resource family's routes. */
final class HttpParts {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private HttpParts() {
    }

    /** The certificate and key to serve HTTPS with, read and checked now: a bad file stops start-up with one line. */
    static Optional<TlsFiles> tls(Path root, InvokeConfig config) {
        return config.tlsPaths(root).map(paths -> {
            try {
                return TlsFiles.read(paths.certFile(), paths.keyFile());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("ssl_certfile / ssl_keyfile: " + e.getMessage());
            }
        });
    }

    /** The server, not yet started. */
    static ApiServer assemble(Path root, InvokeConfig config, Json json, Repositories repositories, AccountServices accounts,
                              Sessions sessions, ContentParts content, ModelParts models, LoadedModels loadedModels,
                              QueueParts queue, LiveEvents live,
                              Optional<WebUiFolder> webUi, Optional<TlsFiles> tls, ObjectNode invocationSchemas, Clock clock) {
        UiRouteParts ui = new UiRouteParts(root, config, json, repositories.transactions(), content.images(), models.service(),
                live.sink(), clock);
        long maxUpload = Math.min(config.maxUploadSize(), config.maxRequestSize());
        ClientAddresses clients = new ClientAddresses(config.trustedProxies());
        MediaCookie mediaCookie = new MediaCookie(config.baseUrl(), clients);
        List<ApiServer.Mount> mounts = Stream.concat(ui.mounts().stream(), new ApiRoutes(ui.app(),
                new AuthRoutes(json, accounts.users(), sessions, mediaCookie, clients, accounts.transfers()),
                new ApiKeysRoutes(json, accounts.apiKeys(), clients, clock),
                new AuditRoutes(json, repositories.transactions(), accounts.auditLog()),
                new BoardsRoutes(json, content.boards(), accounts.transfers(), clients),
                new BoardImagesRoutes(json, content.boardImages()),
                new ImagesRoutes(json, content.images(), config.multiuser(), maxUpload),
                new WorkflowsRoutes(json, content.workflows(), ui.workflowThumbnails(), maxUpload),
                new SessionQueueRoutes(json, queue.service()),
                new ModelsRoutes(json, models.service(), models.installer(), models.exports(), loadedModels, maxUpload)).mounts().stream()).toList();
        // /openapi.json lists the routes of every family above, with the access the table gives each.
        OpenApiRoutes openApi = new OpenApiRoutes(json, Version.current(), mounts,
                ApiRoutes.access(live.sockets().settings(), UiRouteParts::access), invocationSchemas);
        return new ApiServer(
                new ApiServer.Settings(config.host(), config.port(), config.maxRequestSize(), SHUTDOWN_GRACE, tls),
                new Problems(json),
                // The security headers come first, so that every answer carries them, refusals included.
                Stream.concat(Stream.of(new SecurityHeaders(
                                webUi.isPresent() ? ContentSecurityPolicy.webUiFolder() : ContentSecurityPolicy.builtInUi(),
                                new CorsPolicy(config.allowOrigins(), config.allowCredentials(), config.allowMethods(), config.allowHeaders()),
                                config.baseUrl(), json)),
                        ApiRoutes.filters(live.sockets(), sessions, config.baseUrl(), UiRouteParts::access).stream()).toList(),
                Stream.concat(mounts.stream(), Stream.of(new ApiServer.Mount("/", openApi))).toList(),
                live.sockets().routing(), webUi, List.of(new WorkersHealth(queue.dispatcher()::workers)));
    }
}

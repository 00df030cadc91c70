package org.invokej.launcher;

import org.invokej.core.auth.Sessions;
import org.invokej.http.ApiServer;
import org.invokej.http.AppService;
import org.invokej.http.Json;
import org.invokej.http.Problems;
import org.invokej.http.auth.AuditService;
import org.invokej.http.auth.AuthFilter;
import org.invokej.http.auth.AuthService;
import org.invokej.http.auth.ClientAddresses;
import org.invokej.http.auth.MediaCookie;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;
import org.invokej.http.content.BoardImagesService;
import org.invokej.http.content.BoardsService;
import org.invokej.http.content.ImagesService;
import org.invokej.http.content.WorkflowsService;
import org.invokej.http.models.ModelsService;
import org.invokej.http.queue.SessionQueueService;
import org.invokej.http.socketio.EngineIoHandshake;

import java.time.Duration;
import java.util.List;

/**
 * The HTTP API: the one route-access table, the filters every request passes, and each resource family
 * mounted at its InvokeAI path.
 */
final class HttpParts {

    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(10);

    private HttpParts() {
    }

    /** The server, not yet started. */
    static ApiServer assemble(InvokeConfig config, Json json, Repositories repositories, AccountServices accounts,
                              Sessions sessions, ContentParts content, ModelParts models, QueueParts queue, LiveEvents live) {
        long maxUpload = Math.min(config.maxUploadSize(), config.maxRequestSize());
        ClientAddresses clients = new ClientAddresses(config.trustedProxies());
        MediaCookie mediaCookie = new MediaCookie(config.baseUrl(), clients);
        RouteAccess.Builder access = RouteAccess.builder()
                .route(Requirement.PUBLIC, "/api/v1/app/version")
                .route(Requirement.PUBLIC, "/observe/health/**")
                .route(Requirement.ADMIN_OR_DEFAULT, "/observe/**");
        AuthService.access(access);
        AuditService.access(access);
        ModelsService.access(access);
        BoardsService.access(access);
        BoardImagesService.access(access);
        ImagesService.access(access);
        WorkflowsService.access(access);
        SessionQueueService.access(access);
        EngineIoHandshake.access(access, live.settings());
        return new ApiServer(
                new ApiServer.Settings(config.host(), config.port(), config.maxRequestSize(), SHUTDOWN_GRACE),
                new Problems(json),
                List.of(new EngineIoHandshake(live.settings()), new AuthFilter(access.build(), sessions, config.baseUrl())),
                List.of(new ApiServer.Mount("/api/v1/app", new AppService(json, Version.current())),
                        new ApiServer.Mount("/api/v1/auth", new AuthService(json, accounts.users(), sessions, mediaCookie, clients,
                                accounts.transfers())),
                        new ApiServer.Mount("/api/v1/audit", new AuditService(json, repositories.transactions(), accounts.auditLog())),
                        new ApiServer.Mount("/api/v1/boards", new BoardsService(json, content.boards(), accounts.transfers(), clients)),
                        new ApiServer.Mount("/api/v1/board_images", new BoardImagesService(json, content.boardImages())),
                        new ApiServer.Mount("/api/v1/images", new ImagesService(json, content.images(), config.multiuser(), maxUpload)),
                        new ApiServer.Mount("/api/v1/workflows", new WorkflowsService(json, content.workflows())),
                        new ApiServer.Mount("/api/v1/queue", new SessionQueueService(json, queue.service())),
                        new ApiServer.Mount("/api/v2/models", new ModelsService(json, models.service(), models.installer(), maxUpload))),
                live.sockets().routing());
    }
}

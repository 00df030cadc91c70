package org.invokej.http;

import io.helidon.http.Method;
import io.helidon.webserver.http.Filter;
import org.invokej.core.auth.ApiKeyScope;
import org.invokej.core.auth.Sessions;
import org.invokej.http.auth.ApiKeysRoutes;
import org.invokej.http.auth.AuditRoutes;
import org.invokej.http.auth.AuthFilter;
import org.invokej.http.auth.AuthRoutes;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;
import org.invokej.http.content.BoardImagesRoutes;
import org.invokej.http.content.BoardsRoutes;
import org.invokej.http.content.ImagesRoutes;
import org.invokej.http.content.WorkflowsRoutes;
import org.invokej.http.models.ModelsRoutes;
import org.invokej.http.queue.SessionQueueRoutes;
import org.invokej.http.socketio.EngineIoHandshake;
import org.invokej.http.socketio.LiveSockets;
import org.invokej.http.socketio.SocketSettings;

import java.util.List;
import java.util.function.Consumer;

/**
 * Every API route family, where it is mounted, and the filters that guard them. The server and the route
 * tests both assemble their routing from here, so a test exercises the very table and paths the server uses.
 */
public record ApiRoutes(AppRoutes app, AuthRoutes auth, ApiKeysRoutes apiKeys, AuditRoutes audit, BoardsRoutes boards, BoardImagesRoutes boardImages,
                        ImagesRoutes images, WorkflowsRoutes workflows, SessionQueueRoutes queue, ModelsRoutes models) {

    /** The filters, in order: the Engine.IO handshake, then the auth filter over the one route-access table. */
    public static List<Filter> filters(LiveSockets sockets, Sessions sessions, String basePath) {
        return filters(sockets, sessions, basePath, more -> {
        });
    }

    /** As {@link #filters(LiveSockets, Sessions, String)}, with the rows of more route families (mounted beside these). */
    public static List<Filter> filters(LiveSockets sockets, Sessions sessions, String basePath,
                                       Consumer<RouteAccess.Builder> moreRoutes) {
        return List.of(new EngineIoHandshake(sockets.settings(), sockets),
                new AuthFilter(access(sockets.settings(), moreRoutes), sessions, basePath));
    }

    /** The route-access table: each family declares its own rows. */
    public static RouteAccess access(SocketSettings sockets) {
        return access(sockets, more -> {
        });
    }

    /** The route-access table with the rows of more route families, tried after these. */
    public static RouteAccess access(SocketSettings sockets, Consumer<RouteAccess.Builder> moreRoutes) {
        RouteAccess.Builder access = RouteAccess.builder()
                // Liveness is for load balancers and monitors; the full health names hosts, processes and
                // running items (the workers), so it is for administrators, like metrics.
                .route(Requirement.PUBLIC, "/observe/health/live")
                .route(Requirement.ADMIN_OR_DEFAULT, "/observe/**")
                // Read-only API keys read whatever their user may read; each family adds what queue keys may call.
                .keys(ApiKeyScope.READ_ONLY, "/**", Method.GET, Method.HEAD);
        AppRoutes.access(access);
        AuthRoutes.access(access);
        ApiKeysRoutes.access(access);
        AuditRoutes.access(access);
        ModelsRoutes.access(access);
        BoardsRoutes.access(access);
        BoardImagesRoutes.access(access);
        ImagesRoutes.access(access);
        WorkflowsRoutes.access(access);
        SessionQueueRoutes.access(access);
        EngineIoHandshake.access(access, sockets);
        moreRoutes.accept(access);
        return access.build();
    }

    public List<ApiServer.Mount> mounts() {
        return List.of(new ApiServer.Mount("/api/v1/app", app),
                new ApiServer.Mount("/api/v1/auth/api-keys", apiKeys),
                new ApiServer.Mount("/api/v1/auth", auth),
                new ApiServer.Mount("/api/v1/audit", audit),
                new ApiServer.Mount("/api/v1/boards", boards),
                new ApiServer.Mount("/api/v1/board_images", boardImages),
                new ApiServer.Mount("/api/v1/images", images),
                new ApiServer.Mount("/api/v1/workflows", workflows),
                new ApiServer.Mount("/api/v1/queue", queue),
                new ApiServer.Mount("/api/v2/models", models));
    }
}

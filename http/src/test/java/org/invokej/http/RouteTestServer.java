package org.invokej.http;

import io.helidon.webserver.WebServerConfig;
import org.invokej.core.content.WorkflowThumbnails;
import org.invokej.http.auth.ApiKeysRoutes;
import org.invokej.http.auth.AuditRoutes;
import org.invokej.http.auth.AuthRoutes;
import org.invokej.http.auth.ClientAddresses;
import org.invokej.http.auth.MediaCookie;
import org.invokej.http.content.BoardImagesRoutes;
import org.invokej.http.content.BoardsRoutes;
import org.invokej.http.content.ImagesRoutes;
import org.invokej.http.content.WorkflowsRoutes;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.http.fakes.TempDirPreviewImages;
import org.invokej.http.models.ModelsRoutes;
import org.invokej.http.queue.SessionQueueRoutes;
import org.invokej.http.socketio.SocketSettings;

import org.invokej.testing.TestClient;

import java.net.URI;
import java.time.Duration;
import org.invokej.core.auth.SocketAccess;
import org.invokej.http.socketio.LiveSockets;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.invokej.http.auth.RouteAccess;

/**
 * The API as the server runs it (the same route families, mounts, filters, route-access table, error
 * answers and listener limits, from {@link ApiRoutes} and {@link ApiServer#configure}) in front of the
 * core on fakes. A route test class is a Helidon {@code @ServerTest} whose {@code @SetUpServer} calls
 * {@link #configure}.
 */
public final class RouteTestServer {

    /** The request size limit of route tests' servers (the server's default is larger; small keeps the 413 test cheap). */
    public static final long MAX_REQUEST_BYTES = 2L << 20;

    private RouteTestServer() {
    }

    public static void configure(WebServerConfig.Builder server, CoreOnFakes core) {
        configure(server, core, List.of(), more -> {
        });
    }

    /**
     * As {@link #configure(WebServerConfig.Builder, CoreOnFakes)}, with more route families mounted beside
     * the core ones and their rows in the route-access table (as the launcher adds the web UI's routes).
     */
    public static void configure(WebServerConfig.Builder server, CoreOnFakes core, List<ApiServer.Mount> moreMounts,
                                 Consumer<RouteAccess.Builder> moreAccess) {
        Json json = new Json();
        SocketSettings sockets = SocketSettings.of("", Duration.ofSeconds(25), Duration.ofSeconds(20), Duration.ofSeconds(60));
        ClientAddresses clients = new ClientAddresses(List.of());
        ApiRoutes routes = new ApiRoutes(new AppRoutes(json, "route-test", List.of(new SchedulerChoice("euler", "Euler"),
                new SchedulerChoice("dpmpp_3m_k", "DPM++ 3M Karras"))),
                new AuthRoutes(json, core.users, core.sessions, new MediaCookie("", clients), clients, core.transfers),
                new ApiKeysRoutes(json, core.apiKeys, clients, core.clock),
                new AuditRoutes(json, core.store, core.auditLog),
                new BoardsRoutes(json, core.boards, core.transfers, clients),
                new BoardImagesRoutes(json, core.boardImages),
                new ImagesRoutes(json, core.images, core.multiuser, MAX_REQUEST_BYTES),
                new WorkflowsRoutes(json, core.workflows, new WorkflowThumbnails(core.store, core.workflowRepository,
                        new TempDirPreviewImages(core.folder.resolve("workflow_thumbnails")), 1_000_000), MAX_REQUEST_BYTES),
                new SessionQueueRoutes(json, core.queue),
                new ModelsRoutes(json, core.models, core.installer, core.exports, core.loadedModels, MAX_REQUEST_BYTES));
        ApiServer.configure(server, new ApiServer.Settings("127.0.0.1", 0, MAX_REQUEST_BYTES, Duration.ofSeconds(1)),
                new Problems(json), ApiRoutes.filters(new LiveSockets(new SocketAccess(core.sessions, core.store, core.userRepository),
                        userId -> { }, json.mapper(), core.clock, sockets), core.sessions, "", moreAccess),
                Stream.concat(moreMounts.stream(), routes.mounts().stream()).toList());
    }

    /** A client of the server at {@code uri} (as the extension injects it, without the trailing slash). */
    public static TestClient client(URI uri) {
        String base = uri.toString();
        return new TestClient(URI.create(base.endsWith("/") ? base : base + "/"));
    }
}

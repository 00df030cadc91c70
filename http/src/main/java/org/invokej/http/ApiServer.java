package org.invokej.http;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.accesslog.AccessLogFeature;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsRouting;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The Helidon web server with InvokeJ's routing: filters first, then the API services, then the browser
 * UI from the classpath, and the WebSocket endpoints. Every error, unknown routes included, becomes {@code {"detail": …}}.
 */
public final class ApiServer {

    /** Where the browser UI lives on the classpath (the {@code static} module). */
    public static final String UI_CLASSPATH_LOCATION = "web";

    /** Listener settings. */
    public record Settings(String host, int port, long maxRequestBytes, Duration shutdownGrace) {
        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        }
    }

    /** An API service and the path it answers under, e.g. {@code /api/v1/app}. */
    public record Mount(String path, HttpService service) {
    }

    private final WebServer server;

    /**
     * @param webSockets the WebSocket endpoints (their upgrade requests pass the filters first)
     */
    public ApiServer(Settings settings, Problems problems, List<Filter> filters, List<Mount> mounts, WsRouting.Builder webSockets) {
        WebServerConfig.Builder builder = WebServer.builder();
        configure(builder, settings, problems, filters, mounts);
        this.server = builder
                // The launcher owns shutdown: the database must close after the last request finishes.
                .shutdownHook(false)
                .addRouting(webSockets)
                .build();
    }

    /**
     * Sets up a server as InvokeJ's: its listener limits, error answers, features and HTTP routing. The
     * route tests configure their server with this too.
     */
    public static void configure(WebServerConfig.Builder server, Settings settings, Problems problems, List<Filter> filters,
                                 List<Mount> mounts) {
        server.host(settings.host())
                .port(settings.port())
                .maxPayloadSize(settings.maxRequestBytes())
                // Without TCP_NODELAY a response written in several pieces waits for the client's delayed
                // ACK (about 40 ms on Linux): measured on image listings of 100 items.
                .connectionOptions(options -> options.tcpNoDelay(true))
                .shutdownGracePeriod(settings.shutdownGrace())
                .directHandlers(handlers -> {
                    for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
                        handlers.addHandler(type, problems.directHandler());
                    }
                })
                // Explicit features only: nothing joins the server because it happens to be on the classpath.
                .featuresDiscoverServices(false)
                .addFeature(AccessLogFeature.create())
                .addFeature(ObserveFeature.just(HealthObserver.create(), MetricsObserver.create()))
                .routing(routing -> routing(routing, problems, filters, mounts));
    }

    static void routing(HttpRouting.Builder routing, Problems problems, List<Filter> filters, List<Mount> mounts) {
        problems.register(routing);
        filters.forEach(routing::addFilter);
        mounts.forEach(mount -> routing.register(mount.path(), mount.service()));
        routing.register("/", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location(UI_CLASSPATH_LOCATION)
                .welcome("index.html")
                .build()));
    }

    public ApiServer start() {
        server.start();
        return this;
    }

    /** The bound port (the real one when the settings asked for port 0). */
    public int port() {
        return server.port();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** Stops accepting connections and lets requests in flight finish, up to the grace period. */
    public void stop() {
        server.stop();
    }
}

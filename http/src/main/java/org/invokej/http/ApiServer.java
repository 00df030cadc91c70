package org.invokej.http;

import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.accesslog.AccessLogFeature;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpService;
import io.helidon.health.HealthCheck;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import io.helidon.webserver.staticcontent.ClasspathHandlerConfig;
import io.helidon.webserver.staticcontent.StaticContentFeature;
import io.helidon.webserver.websocket.WsRouting;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The Helidon web server with InvokeJ's routing: filters first, then the API services, then the browser
 * UI from the classpath, and the WebSocket endpoints. Every error, unknown routes included, becomes {@code {"detail": …}}.
 */
public final class ApiServer {

    /** Where the browser UI lives on the classpath (the {@code static} module). */
    public static final String UI_CLASSPATH_LOCATION = "web";

    /** Listener settings; with {@code tls}, the listener speaks HTTPS (and WSS) only. */
    public record Settings(String host, int port, long maxRequestBytes, Duration shutdownGrace, Optional<TlsFiles> tls) {
        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(shutdownGrace, "shutdownGrace");
            Objects.requireNonNull(tls, "tls");
        }

        /** Plain HTTP. */
        public Settings(String host, int port, long maxRequestBytes, Duration shutdownGrace) {
            this(host, port, maxRequestBytes, shutdownGrace, Optional.empty());
        }
    }

    /** An API service and the path it answers under, e.g. {@code /api/v1/app}. */
    public record Mount(String path, HttpService service) {
    }

    /** The listener could not be opened; the message names the address and what to do. */
    public static final class CannotListen extends RuntimeException {
        CannotListen(String message) {
            super(message);
        }
    }

    private final WebServer server;
    private final Settings settings;

    /**
     * @param webSockets the WebSocket endpoints (their upgrade requests pass the filters first)
     */
    public ApiServer(Settings settings, Problems problems, List<Filter> filters, List<Mount> mounts, WsRouting.Builder webSockets) {
        this(settings, problems, filters, mounts, webSockets, Optional.empty());
    }

    /**
     * @param webUi a built web UI to serve at {@code /} instead of the built-in one ({@code web_ui_dir})
     */
    public ApiServer(Settings settings, Problems problems, List<Filter> filters, List<Mount> mounts, WsRouting.Builder webSockets,
                     Optional<WebUiFolder> webUi) {
        this(settings, problems, filters, mounts, webSockets, webUi, List.of());
    }

    /**
     * @param healthChecks checks {@code /observe/health} reports besides Helidon's (the generation workers)
     */
    public ApiServer(Settings settings, Problems problems, List<Filter> filters, List<Mount> mounts, WsRouting.Builder webSockets,
                     Optional<WebUiFolder> webUi, List<HealthCheck> healthChecks) {
        this.settings = settings;
        WebServerConfig.Builder builder = WebServer.builder();
        configure(builder, settings, problems, filters, mounts, webUi, healthChecks);
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
        configure(server, settings, problems, filters, mounts, Optional.empty());
    }

    /** As {@link #configure(WebServerConfig.Builder, Settings, Problems, List, List)}, with a web UI folder in place of the built-in UI. */
    public static void configure(WebServerConfig.Builder server, Settings settings, Problems problems, List<Filter> filters,
                                 List<Mount> mounts, Optional<WebUiFolder> webUi) {
        configure(server, settings, problems, filters, mounts, webUi, List.of());
    }

    private static void configure(WebServerConfig.Builder server, Settings settings, Problems problems, List<Filter> filters,
                                  List<Mount> mounts, Optional<WebUiFolder> webUi, List<HealthCheck> healthChecks) {
        HealthObserver health = healthChecks.isEmpty() ? HealthObserver.create()
                : HealthObserver.builder().details(true).addChecks(healthChecks.toArray(HealthCheck[]::new)).build();
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
                .addFeature(ObserveFeature.just(health, MetricsObserver.create()))
                .routing(routing -> routing(routing, problems, filters, mounts, webUi));
        settings.tls().ifPresent(files -> server.tls(tls -> tls.privateKey(files.key()).privateKeyCertChain(files.chain())));
    }

    static void routing(HttpRouting.Builder routing, Problems problems, List<Filter> filters, List<Mount> mounts,
                        Optional<WebUiFolder> webUi) {
        problems.register(routing);
        filters.forEach(routing::addFilter);
        mounts.forEach(mount -> routing.register(mount.path(), mount.service()));
        if (webUi.isPresent()) {
            routing.register("/", webUi.get());
            return;
        }
        routing.register("/", StaticContentFeature.createService(ClasspathHandlerConfig.builder()
                .location(UI_CLASSPATH_LOCATION)
                .welcome("index.html")
                .build()));
    }

    /**
     * Starts listening.
     *
     * @throws CannotListen when the port is taken or not ours to open (Helidon itself would only log it and go on serving nothing)
     */
    public ApiServer start() {
        if (settings.port() != 0) {
            // Tried first so that the common case, a port in use, gives one line instead of Helidon's stack trace.
            try (ServerSocket probe = new ServerSocket()) {
                probe.setReuseAddress(true);
                probe.bind(new InetSocketAddress(settings.host(), settings.port()));
            } catch (IOException e) {
                throw cannotListen(e.getMessage());
            }
        }
        server.start();
        if (!server.isRunning() || server.port() < 0) {
            server.stop();
            throw cannotListen("see the log above");
        }
        return this;
    }

    private CannotListen cannotListen(String cause) {
        return new CannotListen("Cannot listen on port " + settings.port() + " of " + settings.host() + " (" + cause
                + "): another program (perhaps another InvokeJ or InvokeAI) may be using it. Stop that program,"
                + " or choose another port with --port or 'port:' in invokeai.yaml");
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

package org.invokej.http.socketio;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import org.invokej.http.auth.Requirement;
import org.invokej.http.auth.RouteAccess;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Every HTTP request to the Engine.IO endpoint passes here first. Bad ones get the reference (Node)
 * server's 400s in its order: an unknown transport, an unknown {@code sid}, a request on a transport
 * the session no longer uses, a handshake that is not a GET, a WebSocket request without
 * {@code Upgrade: websocket}, an {@code EIO} other than 4. Long-polling requests are then served here
 * ({@link EngineIoPolling}); good WebSocket upgrades, new or of a polling session, go on to the
 * WebSocket. (Helidon 4.5 runs HTTP filters before a routed WebSocket upgrade, which is what lets these
 * answers carry a JSON body.) Who the client is gets decided later, at the Socket.IO CONNECT.
 */
public final class EngineIoHandshake implements Filter {

    /** An Engine.IO refusal: its code and message as the reference (Node) server words them. */
    enum Refusal {
        UNKNOWN_TRANSPORT(0, "Transport unknown"),
        UNKNOWN_SID(1, "Session ID unknown"),
        BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
        BAD_REQUEST(3, "Bad request"),
        TOO_LARGE(3, "Payload too large"),
        FORBIDDEN(4, "Forbidden"),
        TOO_MANY_SESSIONS(4, "Too many long-polling sessions"),
        UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

        final int code;
        final String message;

        Refusal(int code, String message) {
            this.code = code;
            this.message = message;
        }

        byte[] body() {
            return ("{\"code\":" + code + ",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    private final Set<String> paths = new HashSet<>();
    private final LiveSockets hub;
    private final EngineIoPolling polling;

    public EngineIoHandshake(SocketSettings settings, LiveSockets hub) {
        for (String path : settings.paths()) {
            paths.add(path);
            paths.add(path + "/");
        }
        this.hub = hub;
        this.polling = new EngineIoPolling(hub, settings);
    }

    /** The endpoint is public as far as HTTP goes: a socket authenticates at the Socket.IO CONNECT. */
    public static void access(RouteAccess.Builder access, SocketSettings settings) {
        settings.paths().forEach(path -> access.route(Requirement.PUBLIC, path + "/**"));
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (!paths.contains(request.path().absolute().path())) {
            chain.proceed();
            return;
        }
        Method method = request.prologue().method();
        UriQuery query = request.query();
        Optional<String> sid = query.first("sid").asOptional();
        Optional<EngineIoSession> session = sid.flatMap(hub::session);
        Optional<Refusal> refusal = check(method, query, request.headers().first(HeaderNames.UPGRADE), session);
        if (refusal.isPresent()) {
            refuse(response, Status.BAD_REQUEST_400, refusal.get());
            return;
        }
        if (query.first("transport").asOptional().filter("websocket"::equals).isPresent()) {
            chain.proceed();
            return;
        }
        // Browsers poll from the page's own origin only (the UI is served by this server): no CORS.
        if (!sameOrigin(request)) {
            refuse(response, Status.FORBIDDEN_403, Refusal.FORBIDDEN);
            return;
        }
        try {
            if (session.isEmpty()) {
                polling.handshake(request, response);
            } else if (method == Method.GET) {
                polling.get(session.get(), response);
            } else {
                polling.post(session.get(), request, response);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.ifPresent(open -> open.close(Outbox.GOING_AWAY, "server stopping"));
        }
    }

    /** What is wrong with a request, in the order the reference server checks. */
    static Optional<Refusal> check(Method method, UriQuery query, Optional<String> upgrade, Optional<EngineIoSession> session) {
        Optional<String> transport = query.first("transport").asOptional();
        if (transport.filter(name -> name.equals("websocket") || name.equals("polling")).isEmpty()) {
            return Optional.of(Refusal.UNKNOWN_TRANSPORT);
        }
        boolean webSocket = transport.get().equals("websocket");
        boolean upgrading = upgrade.filter("websocket"::equalsIgnoreCase).isPresent();
        if (query.contains("sid")) {
            if (session.isEmpty()) {
                return Optional.of(Refusal.UNKNOWN_SID);
            }
            if (webSocket) {
                // An upgrade: a GET with the header, of a session still polling and not already probing.
                return method == Method.GET && upgrading && session.get().upgradable()
                        ? Optional.empty() : Optional.of(Refusal.BAD_REQUEST);
            }
            return session.get().transport() == EngineIoSession.Transport.POLLING && (method == Method.GET || method == Method.POST)
                    ? Optional.empty() : Optional.of(Refusal.BAD_REQUEST);
        }
        if (method != Method.GET) {
            return Optional.of(Refusal.BAD_HANDSHAKE_METHOD);
        }
        if (webSocket && !upgrading) {
            return Optional.of(Refusal.BAD_REQUEST);
        }
        if (!query.first("EIO").asOptional().filter("4"::equals).isPresent()) {
            return Optional.of(Refusal.UNSUPPORTED_PROTOCOL_VERSION);
        }
        return Optional.empty();
    }

    /** No {@code Origin} (not a browser), or the one this request was sent to. */
    private static boolean sameOrigin(RoutingRequest request) {
        Optional<String> origin = request.headers().first(HeaderNames.ORIGIN);
        if (origin.isEmpty()) {
            return true;
        }
        Optional<String> host = request.headers().first(HeaderNames.HOST);
        try {
            URI uri = URI.create(origin.get());
            if (uri.getHost() == null || host.isEmpty()) {
                return false;
            }
            String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return authority.toLowerCase(Locale.ROOT).equals(host.get().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static void refuse(RoutingResponse response, Status status, Refusal refusal) {
        response.status(status);
        response.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
        response.send(refusal.body());
    }
}

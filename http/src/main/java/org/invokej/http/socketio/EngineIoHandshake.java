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

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the HTTP request that opens an Engine.IO connection, and answers the ones this WebSocket-only
 * endpoint cannot take with the reference server's 400s: long-polling ({@code transport=polling},
 * whatever the method), {@code sid=} (no long-polling session ever exists here), a method other than
 * GET, no {@code Upgrade: websocket}, an {@code EIO} other than 4. Only good upgrades reach the
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

    public EngineIoHandshake(SocketSettings settings) {
        for (String path : settings.paths()) {
            paths.add(path);
            paths.add(path + "/");
        }
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
        Optional<Refusal> refusal = check(request.prologue().method(), request.query(),
                request.headers().first(HeaderNames.UPGRADE));
        if (refusal.isEmpty()) {
            chain.proceed();
            return;
        }
        response.status(Status.BAD_REQUEST_400);
        response.header(HeaderNames.CONTENT_TYPE, MediaTypes.APPLICATION_JSON.text());
        response.send(refusal.get().body());
    }

    /** What is wrong with an opening request, in the order the reference server checks. */
    static Optional<Refusal> check(Method method, UriQuery query, Optional<String> upgrade) {
        if (!query.first("transport").asOptional().filter("websocket"::equals).isPresent()) {
            return Optional.of(Refusal.UNKNOWN_TRANSPORT);
        }
        if (query.contains("sid")) {
            return Optional.of(Refusal.UNKNOWN_SID);
        }
        if (method != Method.GET) {
            return Optional.of(Refusal.BAD_HANDSHAKE_METHOD);
        }
        if (upgrade.filter("websocket"::equalsIgnoreCase).isEmpty()) {
            return Optional.of(Refusal.BAD_REQUEST);
        }
        if (!query.first("EIO").asOptional().filter("4"::equals).isPresent()) {
            return Optional.of(Refusal.UNSUPPORTED_PROTOCOL_VERSION);
        }
        return Optional.empty();
    }
}

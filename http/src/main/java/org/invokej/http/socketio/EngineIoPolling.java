package org.invokej.http.socketio;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Engine.IO v4's HTTP long-polling transport, as python-engineio and the {@code engine.io} server
 * serve it: a GET without {@code sid} opens a session and answers its open packet; a GET with it waits
 * for the session's packets (the server's ping comes at least every {@code pingInterval}); a POST
 * carries the client's packets. A payload is packets joined by the record separator {@code \x1e},
 * binary ones as {@code b} and base64 (this server sends none and takes none).
 */
final class EngineIoPolling {

    /** Joins the packets of a payload. */
    static final char SEPARATOR = '\u001e';
    private static final String TEXT = "text/plain; charset=UTF-8";

    private final LiveSockets hub;
    private final SocketSettings settings;

    EngineIoPolling(LiveSockets hub, SocketSettings settings) {
        this.hub = hub;
        this.settings = settings;
    }

    /** The opening GET: a new session and its open packet, unless too many are open. */
    void handshake(RoutingRequest request, RoutingResponse response) throws InterruptedException {
        Optional<EngineIoSession> session = hub.openPollingSession(request.headers().first(HeaderNames.AUTHORIZATION));
        if (session.isEmpty()) {
            EngineIoHandshake.refuse(response, Status.FORBIDDEN_403, EngineIoHandshake.Refusal.TOO_MANY_SESSIONS);
            return;
        }
        get(session.get(), response);
    }

    /** A GET: the waiting packets; a second GET at the same time ends the session with a 400, as the reference does. */
    void get(EngineIoSession session, RoutingResponse response) throws InterruptedException {
        switch (session.poll()) {
            case EngineIoSession.Poll.Packets packets -> {
                response.header(HeaderNames.CONTENT_TYPE, TEXT);
                response.header(HeaderNames.CACHE_CONTROL, "no-store");
                response.send(encode(packets.packets()).getBytes(StandardCharsets.UTF_8));
            }
            case EngineIoSession.Poll.Overlap ignored ->
                    EngineIoHandshake.refuse(response, Status.BAD_REQUEST_400, EngineIoHandshake.Refusal.BAD_REQUEST);
            case EngineIoSession.Poll.Gone ignored ->
                    EngineIoHandshake.refuse(response, Status.BAD_REQUEST_400, EngineIoHandshake.Refusal.UNKNOWN_SID);
        }
    }

    /** A POST: the client's packets, at most {@code maxPayload} bytes of them, answered {@code ok}. */
    void post(EngineIoSession session, RoutingRequest request, RoutingResponse response) {
        if (!session.beginPost()) {
            EngineIoHandshake.refuse(response, Status.BAD_REQUEST_400, EngineIoHandshake.Refusal.BAD_REQUEST);
            return;
        }
        try {
            Optional<String> body = body(request);
            if (body.isEmpty()) {
                session.close(Outbox.TOO_BIG, "payload larger than maxPayload");
                EngineIoHandshake.refuse(response, Status.REQUEST_ENTITY_TOO_LARGE_413, EngineIoHandshake.Refusal.TOO_LARGE);
                return;
            }
            for (String packet : decode(body.get())) {
                if (packet.startsWith("b")) {
                    session.protocolError("binary packets are not accepted");
                    EngineIoHandshake.refuse(response, Status.BAD_REQUEST_400, EngineIoHandshake.Refusal.BAD_REQUEST);
                    return;
                }
                if (!session.received(packet)) {
                    EngineIoHandshake.refuse(response, Status.BAD_REQUEST_400, EngineIoHandshake.Refusal.BAD_REQUEST);
                    return;
                }
            }
            response.header(HeaderNames.CONTENT_TYPE, "text/html");
            response.send("ok".getBytes(StandardCharsets.US_ASCII));
        } finally {
            session.endPost();
        }
    }

    /** The body as text, or empty when it is larger than {@code maxPayload} bytes. */
    private Optional<String> body(RoutingRequest request) {
        if (!request.content().hasEntity()) {
            return Optional.of("");
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] bytes = in.readNBytes(settings.maxPayload() + 1);
            if (bytes.length > settings.maxPayload()) {
                return Optional.empty();
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Packets joined by the record separator. */
    static String encode(List<String> packets) {
        return String.join(String.valueOf(SEPARATOR), packets);
    }

    /** A payload's packets (a binary one keeps its {@code b} prefix: it is refused as a whole). */
    static List<String> decode(String payload) {
        return List.of(payload.split(String.valueOf(SEPARATOR), -1));
    }
}

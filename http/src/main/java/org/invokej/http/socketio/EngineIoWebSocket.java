package org.invokej.http.socketio;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;

import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One WebSocket of the endpoint (Helidon makes one per connection and calls it from the connection's
 * reader thread). Without {@code sid} it carries a new {@link EngineIoSession} from the start; with the
 * {@code sid} of a long-polling session it is that session's upgrade, as the reference servers do it:
 * the client sends {@code 2probe}, gets {@code 3probe} (and its pending GET a {@code 6} noop), then
 * sends {@code 5}, and from then on this WebSocket carries the session. One Engine.IO packet per
 * WebSocket message; a message over {@code maxPayload} bytes or a binary one ends the session.
 */
final class EngineIoWebSocket implements WsListener {

    private static final Logger LOG = Logger.getLogger(EngineIoWebSocket.class.getName());

    /** Where this WebSocket stands in its session's life. */
    private enum State {
        /** An upgrade that waits for {@code 2probe}. */
        AWAITING_PROBE,
        /** An upgrade that waits for {@code 5}. */
        AWAITING_UPGRADE,
        /** It carries its session. */
        CARRYING,
        /** It carries nothing (an upgrade that failed). */
        DONE
    }

    private final LiveSockets hub;
    private final SocketSettings settings;

    private Optional<String> authorization = Optional.empty();
    private Optional<String> upgradeSid = Optional.empty();
    private volatile EngineIoSession session;
    private volatile State state = State.DONE;
    private final StringBuilder partial = new StringBuilder();
    private int partialBytes;

    EngineIoWebSocket(LiveSockets hub, SocketSettings settings) {
        this.hub = hub;
        this.settings = settings;
    }

    /** Keeps the opening request's {@code Authorization} header and {@code sid} (the handshake filter already checked the rest). */
    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        authorization = headers.first(HeaderNames.AUTHORIZATION);
        upgradeSid = prologue.query().first("sid").asOptional();
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession webSocket) {
        if (upgradeSid.isEmpty()) {
            session = hub.openWebSocketSession(authorization, webSocket);
            state = State.CARRYING;
            return;
        }
        Optional<EngineIoSession> polling = hub.session(upgradeSid.get()).filter(EngineIoSession::beginUpgrade);
        if (polling.isEmpty()) {
            // The session ended, or another probe runs, since the handshake filter looked.
            webSocket.close(Outbox.POLICY_VIOLATION, "Session ID unknown");
            return;
        }
        session = polling.get();
        state = State.AWAITING_PROBE;
    }

    @Override
    public void onMessage(WsSession webSocket, String text, boolean last) {
        if (state == State.DONE) {
            return;
        }
        partialBytes += EngineIoSession.utf8Length(text);
        if (partialBytes > settings.maxPayload()) {
            fail(webSocket, Outbox.TOO_BIG, "message larger than maxPayload");
            return;
        }
        if (!last) {
            partial.append(text);
            return;
        }
        String message = partial.isEmpty() ? text : partial.append(text).toString();
        partial.setLength(0);
        partialBytes = 0;
        switch (state) {
            case AWAITING_PROBE -> {
                if (!message.equals("2probe")) {
                    failUpgrade(webSocket, "no probe");
                    return;
                }
                // Written directly: the python client takes the very next message as the probe's answer.
                webSocket.send("3probe", true);
                state = State.AWAITING_UPGRADE;
                session.probed();
            }
            case AWAITING_UPGRADE -> {
                if (message.equals("6")) {
                    return;
                }
                if (!message.equals("5") || !session.completeUpgrade(webSocket)) {
                    failUpgrade(webSocket, "no upgrade packet");
                    return;
                }
                state = State.CARRYING;
            }
            case CARRYING -> session.received(message);
            case DONE -> {
            }
        }
    }

    @Override
    public void onMessage(WsSession webSocket, BufferData buffer, boolean last) {
        fail(webSocket, buffer.available() > settings.maxPayload() ? Outbox.TOO_BIG : Outbox.UNSUPPORTED_DATA,
                "binary messages are not accepted");
    }

    @Override
    public void onClose(WsSession webSocket, int status, String reason) {
        gone("transport close");
    }

    @Override
    public void onError(WsSession webSocket, Throwable t) {
        LOG.log(Level.FINE, "Socket " + (session == null ? "" : session.sid()) + " failed", t);
        gone("transport error");
    }

    private void gone(String reason) {
        State was = state;
        state = State.DONE;
        switch (was) {
            case CARRYING -> session.transportGone(reason);
            case AWAITING_PROBE, AWAITING_UPGRADE -> session.abortUpgrade();
            case DONE -> {
            }
        }
    }

    /** Ends the session over a broken message: as it is carried, or just the probe when still upgrading. */
    private void fail(WsSession webSocket, int code, String why) {
        if (state == State.CARRYING) {
            session.close(code, why);
        } else if (state != State.DONE) {
            failUpgrade(webSocket, why);
        }
    }

    private void failUpgrade(WsSession webSocket, String why) {
        LOG.fine(() -> "Upgrade of socket " + session.sid() + " failed: " + why);
        state = State.DONE;
        session.abortUpgrade();
        webSocket.close(Outbox.PROTOCOL_ERROR, why);
    }
}

package org.invokej.http.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.websocket.WsListener;
import io.helidon.websocket.WsSession;
import org.invokej.core.auth.SocketUser;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Engine.IO v4 connection over a WebSocket, carrying Socket.IO v5's default namespace: the server
 * speaks first (the open packet), pings every {@code pingInterval} after the last pong and gives the
 * connection up when a pong is {@code pingTimeout} late, authenticates the Socket.IO CONNECT and
 * handles the client's few events. One Engine.IO packet per WebSocket message; anything that breaks
 * the protocol closes the connection. Helidon makes one instance per connection and calls it from
 * the connection's reader thread; timers and other threads only queue frames.
 */
final class EngineIoConnection implements WsListener {

    private static final Logger LOG = Logger.getLogger(EngineIoConnection.class.getName());

    /** What a refused CONNECT says, exactly as python-socketio says it for InvokeAI: nothing about why. */
    static final String REJECTED = "Connection rejected by server";
    private static final int MAX_QUEUE_ID = 256;

    private final LiveSockets hub;
    private final SocketSettings settings;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService timers;

    private volatile Optional<String> authorization = Optional.empty();
    private volatile String sid;
    private volatile Outbox outbox;
    private final StringBuilder partial = new StringBuilder();
    private int partialBytes;
    private boolean sawSocketIoPacket;

    /** Guards the fields below, which timers and other threads touch too. */
    private final Object lock = new Object();
    private ClientSocket socket;
    private ScheduledFuture<?> heartbeat;
    private boolean awaitingPong;
    private boolean ended;

    EngineIoConnection(LiveSockets hub, SocketSettings settings, ObjectMapper mapper, ScheduledExecutorService timers) {
        this.hub = hub;
        this.settings = settings;
        this.mapper = mapper;
        this.timers = timers;
    }

    /** Keeps the opening request's {@code Authorization} header for the CONNECT (the handshake filter already checked the rest). */
    @Override
    public Optional<Headers> onHttpUpgrade(HttpPrologue prologue, Headers headers) {
        authorization = headers.first(HeaderNames.AUTHORIZATION);
        return Optional.empty();
    }

    @Override
    public void onOpen(WsSession session) {
        sid = hub.newId();
        outbox = new Outbox(session, settings.outboxFrames(), sid, () -> end("client too slow"));
        Map<String, Object> open = new LinkedHashMap<>();
        open.put("sid", sid);
        open.put("upgrades", List.of());
        open.put("pingInterval", settings.pingInterval().toMillis());
        open.put("pingTimeout", settings.pingTimeout().toMillis());
        open.put("maxPayload", settings.maxPayload());
        outbox.send("0" + write(open));
        hub.opened(this);
        synchronized (lock) {
            heartbeat = schedule(this::ping, settings.pingInterval());
        }
        schedule(this::closeIfNoNamespace, settings.connectTimeout());
    }

    @Override
    public void onMessage(WsSession session, String text, boolean last) {
        if (hasEnded()) {
            return;
        }
        partialBytes += utf8Length(text);
        if (partialBytes > settings.maxPayload()) {
            close(Outbox.TOO_BIG, "message larger than maxPayload");
            return;
        }
        if (!last) {
            partial.append(text);
            return;
        }
        String message = partial.isEmpty() ? text : partial.append(text).toString();
        partial.setLength(0);
        partialBytes = 0;
        engineIoPacket(message);
    }

    @Override
    public void onMessage(WsSession session, BufferData buffer, boolean last) {
        close(buffer.available() > settings.maxPayload() ? Outbox.TOO_BIG : Outbox.UNSUPPORTED_DATA,
                "binary messages are not accepted");
    }

    @Override
    public void onClose(WsSession session, int status, String reason) {
        discardOutbox();
        end("transport close");
    }

    @Override
    public void onError(WsSession session, Throwable t) {
        LOG.log(Level.FINE, "Socket " + sid + " failed", t);
        discardOutbox();
        end("transport error");
    }

    private void engineIoPacket(String message) {
        if (message.isEmpty()) {
            protocolError("empty message");
            return;
        }
        switch (message.charAt(0)) {
            case '3' -> pong();
            // Clients should not ping in v4; answering is the lenient choice python-engineio makes.
            case '2' -> outbox.send("3" + message.substring(1));
            case '1' -> close(Outbox.NORMAL, "client close");
            case '4' -> socketIoPacket(message.substring(1));
            // Upgrade and noop belong to the long-polling upgrade, which never happens here.
            case '5', '6' -> {
            }
            default -> protocolError("unknown Engine.IO packet type");
        }
    }

    private void socketIoPacket(String text) {
        SocketIoPacket packet;
        try {
            packet = SocketIoPacket.parse(text, mapper);
        } catch (SocketIoPacket.MalformedPacket e) {
            protocolError(e.getMessage());
            return;
        }
        boolean first = !sawSocketIoPacket;
        sawSocketIoPacket = true;
        if (first && packet.type() != SocketIoPacket.Type.CONNECT) {
            protocolError("the first Socket.IO packet must be CONNECT");
            return;
        }
        boolean defaultNamespace = packet.namespace().equals(SocketIoPacket.DEFAULT_NAMESPACE);
        switch (packet.type()) {
            case CONNECT -> {
                if (!defaultNamespace) {
                    sendSocketIo(connectError(packet.namespace(), "Invalid namespace"));
                } else if (current() != null) {
                    protocolError("CONNECT for a namespace already connected");
                } else {
                    connect(packet.data());
                }
            }
            case DISCONNECT -> {
                ClientSocket connected = current();
                if (defaultNamespace && connected != null) {
                    forget(connected);
                }
            }
            case EVENT -> {
                ClientSocket connected = current();
                // Events for a namespace not connected (e.g. late ones after a 41) are dropped.
                if (defaultNamespace && connected != null && clientEvent(connected, packet.eventName(), packet.firstArgument())
                        && packet.ackId().isPresent()) {
                    sendSocketIo(new SocketIoPacket(SocketIoPacket.Type.ACK, SocketIoPacket.DEFAULT_NAMESPACE, packet.ackId(),
                            mapper.createArrayNode()).encode(mapper));
                }
            }
            // The server never asks for acknowledgements.
            case ACK -> {
            }
            default -> protocolError("a client does not send " + packet.type());
        }
    }

    private void connect(JsonNode auth) {
        Optional<SocketUser> user;
        try {
            user = hub.authenticate(token(auth, authorization));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Socket authentication failed; refusing the connection", e);
            user = Optional.empty();
        }
        if (user.isEmpty()) {
            // The connection stays open: the client closes it (closing first would make python-socketio retry).
            sendSocketIo(connectError(SocketIoPacket.DEFAULT_NAMESPACE, REJECTED));
            return;
        }
        ClientSocket connected = new ClientSocket(hub.newId(), this, user.get());
        // In the hub first, so that the client, once told it is connected, misses nothing; the lock
        // keeps events from going out before the reply.
        hub.register(connected);
        synchronized (lock) {
            if (!ended) {
                socket = connected;
                sendSocketIo(SocketIoPacket.of(SocketIoPacket.Type.CONNECT, SocketIoPacket.DEFAULT_NAMESPACE,
                        mapper.createObjectNode().put("sid", connected.id())).encode(mapper));
                return;
            }
        }
        hub.unregister(connected);
    }

    /**
     * The token of a CONNECT: {@code auth.token} when it is a non-empty string, else the opening
     * request's header when it begins with exactly {@code "Bearer "}. A token of another JSON type is
     * passed on as text (and fails); a bad {@code auth.token} never falls back to the header.
     */
    static Optional<String> token(JsonNode auth, Optional<String> authorization) {
        JsonNode token = auth == null ? null : auth.get("token");
        if (token != null && !token.isNull() && !(token.isTextual() && token.asText().isEmpty())) {
            return Optional.of(token.isTextual() ? token.asText() : token.toString());
        }
        return authorization.filter(value -> value.startsWith("Bearer "))
                .map(value -> value.substring("Bearer ".length()))
                .filter(value -> !value.isEmpty());
    }

    /** The client's events: queue subscriptions. True when the event is known (and so acknowledged). */
    private static boolean clientEvent(ClientSocket socket, String name, JsonNode argument) {
        switch (name) {
            case "subscribe_queue" -> queueId(argument).ifPresent(socket::subscribe);
            case "unsubscribe_queue" -> queueId(argument).ifPresent(socket::unsubscribe);
            // Bulk downloads do not exist yet; InvokeAI's UI subscribes anyway, so it gets its ack.
            case "subscribe_bulk_download", "unsubscribe_bulk_download" -> {
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> queueId(JsonNode argument) {
        JsonNode id = argument.path("queue_id");
        return id.isTextual() && !id.asText().isEmpty() && id.asText().length() <= MAX_QUEUE_ID
                ? Optional.of(id.asText()) : Optional.empty();
    }

    private String connectError(String namespace, String message) {
        return SocketIoPacket.of(SocketIoPacket.Type.CONNECT_ERROR, namespace,
                mapper.createObjectNode().put("message", message)).encode(mapper);
    }

    /** Sends a packet of {@code to} if it is still this connection's connected socket. */
    void sendPacket(ClientSocket to, String packet) {
        synchronized (lock) {
            if (socket == to) {
                sendSocketIo(packet);
            }
        }
    }

    /** Ends {@code which} from the server's side: {@code 41}, then the client closes (or is closed after a grace period). */
    void disconnect(ClientSocket which) {
        synchronized (lock) {
            if (socket != which) {
                return;
            }
            socket = null;
            sendSocketIo(SocketIoPacket.of(SocketIoPacket.Type.DISCONNECT, SocketIoPacket.DEFAULT_NAMESPACE, null).encode(mapper));
        }
        hub.unregister(which);
        schedule(this::closeIfNoNamespace, settings.disconnectGrace());
    }

    /** Closes the connection from the server's side, e.g. when the server stops. */
    void close(int code, String reason) {
        if (outbox != null) {
            outbox.close(code, reason);
        }
        end(reason);
    }

    /** Waits up to {@code wait} for what was queued before a {@link #close} to be written, close frame included. */
    boolean awaitWritten(Duration wait) throws InterruptedException {
        return outbox == null || outbox.awaitWritten(wait);
    }

    private void forget(ClientSocket which) {
        synchronized (lock) {
            if (socket != which) {
                return;
            }
            socket = null;
        }
        hub.unregister(which);
    }

    private void discardOutbox() {
        if (outbox != null) {
            outbox.discard();
        }
    }

    private boolean hasEnded() {
        synchronized (lock) {
            return ended;
        }
    }

    private ClientSocket current() {
        synchronized (lock) {
            return socket;
        }
    }

    private void sendSocketIo(String packet) {
        outbox.send("4" + packet);
    }

    private void ping() {
        synchronized (lock) {
            if (ended) {
                return;
            }
            awaitingPong = true;
            heartbeat = schedule(() -> close(Outbox.NORMAL, "ping timeout"), settings.pingTimeout());
        }
        outbox.send("2");
    }

    private void pong() {
        synchronized (lock) {
            if (ended || !awaitingPong) {
                return;
            }
            awaitingPong = false;
            heartbeat.cancel(false);
            heartbeat = schedule(this::ping, settings.pingInterval());
        }
    }

    private void closeIfNoNamespace() {
        if (current() == null) {
            close(Outbox.NORMAL, "no namespace connected");
        }
    }

    private void protocolError(String what) {
        LOG.fine(() -> "Socket " + sid + ": " + what + "; closing");
        close(Outbox.PROTOCOL_ERROR, what);
    }

    /** Runs the disconnect logic once, however the connection ended. */
    private void end(String reason) {
        ClientSocket connected;
        synchronized (lock) {
            if (ended) {
                return;
            }
            ended = true;
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            connected = socket;
            socket = null;
        }
        if (outbox != null) {
            outbox.close(Outbox.NORMAL, reason);
        }
        if (connected != null) {
            hub.unregister(connected);
        }
        hub.closed(this);
        LOG.fine(() -> "Socket " + sid + " ended: " + reason);
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return timers.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The UTF-8 size of {@code text}, without encoding it. */
    static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}

package org.invokej.http.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One Engine.IO v4 session carrying Socket.IO v5's default namespace, whichever transport carries it:
 * HTTP long-polling ({@link EngineIoPolling}), a WebSocket from the start, or long-polling upgraded to
 * a WebSocket ({@link EngineIoWebSocket}). The session pings every {@code pingInterval} after the last
 * pong and gives up when a pong is {@code pingTimeout} late, authenticates the Socket.IO CONNECT and
 * handles the client's few events; its packets go out through one bounded {@link Outbox}, which the
 * transport of the moment empties. Anything that breaks the protocol ends the session.
 */
final class EngineIoSession {

    private static final Logger LOG = Logger.getLogger(EngineIoSession.class.getName());

    /** What a refused CONNECT says, exactly as python-socketio says it for InvokeAI: nothing about why. */
    static final String REJECTED = "Connection rejected by server";
    /** What a CONNECT over long-polling is refused with when its user has too many polling sessions open. */
    static final String TOO_MANY_POLLING = "Too many long-polling connections for this user";
    private static final int MAX_QUEUE_ID = 256;
    /**
     * Packets in one long-polling payload: python-engineio's client refuses a payload of more than 16
     * ({@code Payload.max_decode_packets}) and drops the connection, losing what it held; the rest wait
     * for the next GET, which the client sends at once.
     */
    static final int MAX_PACKETS_PER_PAYLOAD = 16;

    /** Which transport carries the session now. */
    enum Transport {
        POLLING, WEBSOCKET
    }

    /** What a long-polling GET answers: packets to send, or a refusal that ends the session. */
    sealed interface Poll {
        /** Engine.IO packets for one payload. */
        record Packets(List<String> packets) implements Poll {
        }

        /** A second GET while one is pending: the reference server answers 400 and closes the session. */
        record Overlap() implements Poll {
        }

        /**
         * The server is stopping: the GET fails as one to an unknown session would, so that clients
         * reconnect to the next server (python-engineio takes a close packet as "do not come back").
         */
        record Gone() implements Poll {
        }
    }

    private final String sid;
    private final LiveSockets hub;
    private final SocketSettings settings;
    private final ObjectMapper mapper;
    private final ScheduledExecutorService timers;
    private final Optional<String> authorization;
    private final Outbox outbox;
    private final AtomicBoolean getPending = new AtomicBoolean();
    private final AtomicBoolean postPending = new AtomicBoolean();
    private volatile boolean sawSocketIoPacket;

    /** Guards the fields below, which timers and other threads touch too. */
    private final Object lock = new Object();
    private Transport transport;
    private boolean upgrading;
    private WebSocketWriter writer;
    private ClientSocket socket;
    private ScheduledFuture<?> heartbeat;
    private boolean awaitingPong;
    private boolean ended;

    /**
     * @param authorization the opening request's {@code Authorization} header, for the CONNECT
     */
    EngineIoSession(String sid, LiveSockets hub, SocketSettings settings, ObjectMapper mapper, ScheduledExecutorService timers,
                    Optional<String> authorization, Transport transport) {
        this.sid = sid;
        this.hub = hub;
        this.settings = settings;
        this.mapper = mapper;
        this.timers = timers;
        this.authorization = authorization;
        this.transport = transport;
        this.outbox = new Outbox(settings.outboxFrames(), settings.outboxChars(), () -> end("client too slow"));
    }

    String sid() {
        return sid;
    }

    /** Sends the open packet and starts the heartbeat and the connect deadline. */
    void start(WsSession webSocket) {
        Map<String, Object> open = new LinkedHashMap<>();
        open.put("sid", sid);
        // A WebSocket session lists no upgrade: the JS client would start another probe.
        open.put("upgrades", webSocket == null ? List.of("websocket") : List.of());
        open.put("pingInterval", settings.pingInterval().toMillis());
        open.put("pingTimeout", settings.pingTimeout().toMillis());
        open.put("maxPayload", settings.maxPayload());
        outbox.send("0" + write(open));
        synchronized (lock) {
            if (webSocket != null) {
                writer = new WebSocketWriter(webSocket, outbox, sid);
            }
            heartbeat = schedule(this::ping, settings.pingInterval());
        }
        schedule(this::closeIfNoNamespace, settings.connectTimeout());
    }

    Transport transport() {
        synchronized (lock) {
            return transport;
        }
    }

    /** Whether a WebSocket may start the upgrade now: the session is polling and no other probe runs. */
    boolean upgradable() {
        synchronized (lock) {
            return !ended && transport == Transport.POLLING && !upgrading;
        }
    }

    /** A WebSocket on this sid wants to upgrade; false when it may not (another probe, or not polling). */
    boolean beginUpgrade() {
        synchronized (lock) {
            if (!upgradable()) {
                return false;
            }
            upgrading = true;
            return true;
        }
    }

    /** The probe was answered: a GET still pending is released with a noop so that the client can pause polling. */
    void probed() {
        outbox.send("6");
    }

    /** The client sent {@code 5} on the probe WebSocket: from now on the WebSocket carries the session. */
    boolean completeUpgrade(WsSession webSocket) {
        synchronized (lock) {
            if (ended || !upgrading) {
                return false;
            }
            upgrading = false;
            transport = Transport.WEBSOCKET;
            writer = new WebSocketWriter(webSocket, outbox, sid);
        }
        hub.upgraded(this);
        return true;
    }

    /** The probe WebSocket went away or misbehaved: the session goes on polling. */
    void abortUpgrade() {
        synchronized (lock) {
            upgrading = false;
        }
    }

    /**
     * A long-polling GET: the waiting packets (at most {@value #MAX_PACKETS_PER_PAYLOAD}), waiting for the first up to a ping cycle. While an upgrade
     * is under way the answer is a noop, and packets wait for the WebSocket (as python-engineio does).
     */
    Poll poll() throws InterruptedException {
        if (!getPending.compareAndSet(false, true)) {
            close(Outbox.PROTOCOL_ERROR, "overlapping GET requests");
            return new Poll.Overlap();
        }
        try {
            synchronized (lock) {
                if (upgrading || transport == Transport.WEBSOCKET) {
                    return new Poll.Packets(List.of("6"));
                }
            }
            List<Outbox.Item> items = outbox.drain(settings.pingInterval().plus(settings.pingTimeout()), MAX_PACKETS_PER_PAYLOAD);
            if (items.isEmpty()) {
                // Not even a ping in a whole cycle: python-engineio gives the session up here too.
                close(Outbox.NORMAL, "poll timeout");
                return new Poll.Packets(List.of("1"));
            }
            boolean goingAway = items.getLast() instanceof Outbox.Close close && close.code() == Outbox.GOING_AWAY;
            List<String> packets = items.stream()
                    .filter(item -> !(goingAway && item instanceof Outbox.Close))
                    .map(item -> switch (item) {
                        case Outbox.Packet packet -> packet.text();
                        case Outbox.Close ignored -> "1";
                    }).toList();
            if (items.getLast() instanceof Outbox.Close close) {
                end(close.reason());
            }
            return packets.isEmpty() ? new Poll.Gone() : new Poll.Packets(packets);
        } finally {
            getPending.set(false);
        }
    }

    /** Marks a POST as under way; false when one already is (the reference server refuses the overlap). */
    boolean beginPost() {
        if (!postPending.compareAndSet(false, true)) {
            close(Outbox.PROTOCOL_ERROR, "overlapping POST requests");
            return false;
        }
        return true;
    }

    void endPost() {
        postPending.set(false);
    }

    /** One Engine.IO packet from the client, over either transport. False when it broke the protocol. */
    boolean received(String message) {
        if (hasEnded()) {
            return true;
        }
        if (message.isEmpty()) {
            protocolError("empty packet");
            return false;
        }
        switch (message.charAt(0)) {
            case '3' -> pong();
            // Clients should not ping in v4; answering is the lenient choice python-engineio makes.
            case '2' -> outbox.send("3" + message.substring(1));
            case '1' -> close(Outbox.NORMAL, "client close");
            case '4' -> {
                return socketIoPacket(message.substring(1));
            }
            // Upgrade and noop belong to the upgrade, which the WebSocket side handles; late ones are harmless.
            case '5', '6' -> {
            }
            default -> {
                protocolError("unknown Engine.IO packet type");
                return false;
            }
        }
        return true;
    }

    private boolean socketIoPacket(String text) {
        SocketIoPacket packet;
        try {
            packet = SocketIoPacket.parse(text, mapper);
        } catch (SocketIoPacket.MalformedPacket e) {
            protocolError(e.getMessage());
            return false;
        }
        boolean first = !sawSocketIoPacket;
        sawSocketIoPacket = true;
        if (first && packet.type() != SocketIoPacket.Type.CONNECT) {
            protocolError("the first Socket.IO packet must be CONNECT");
            return false;
        }
        boolean defaultNamespace = packet.namespace().equals(SocketIoPacket.DEFAULT_NAMESPACE);
        switch (packet.type()) {
            case CONNECT -> {
                if (!defaultNamespace) {
                    sendSocketIo(connectError(packet.namespace(), "Invalid namespace"));
                } else if (current() != null) {
                    protocolError("CONNECT for a namespace already connected");
                    return false;
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
            default -> {
                protocolError("a client does not send " + packet.type());
                return false;
            }
        }
        return true;
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
            // The session stays open: the client closes it (closing first would make python-socketio retry).
            sendSocketIo(connectError(SocketIoPacket.DEFAULT_NAMESPACE, REJECTED));
            return;
        }
        ClientSocket connected = new ClientSocket(hub.newId(), this, user.get());
        // In the hub first, so that the client, once told it is connected, misses nothing; the lock
        // keeps events from going out before the reply.
        if (!hub.register(connected)) {
            sendSocketIo(connectError(SocketIoPacket.DEFAULT_NAMESPACE, TOO_MANY_POLLING));
            return;
        }
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

    /** The user of this session's connected socket, if one is connected. */
    Optional<String> connectedUser() {
        ClientSocket connected = current();
        return connected == null ? Optional.empty() : Optional.of(connected.user().userId());
    }

    /** Sends a packet of {@code to} if it is still this session's connected socket. */
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

    /**
     * Ends the session from the server's side: a WebSocket closes with {@code code}, a long-polling
     * client gets the close packet with its next GET.
     */
    void close(int code, String reason) {
        outbox.close(code, reason);
        end(reason);
    }

    /** The transport under the session is gone (a WebSocket closed or failed): nothing more is written. */
    void transportGone(String reason) {
        outbox.discard();
        end(reason);
    }

    /** Waits up to {@code wait} for what was queued before a {@link #close} to be written, close frame included. */
    boolean awaitWritten(Duration wait) throws InterruptedException {
        WebSocketWriter current;
        synchronized (lock) {
            current = writer;
        }
        return current == null || current.awaitWritten(wait);
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

    boolean hasEnded() {
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

    void protocolError(String what) {
        LOG.fine(() -> "Socket " + sid + ": " + what + "; closing");
        close(Outbox.PROTOCOL_ERROR, what);
    }

    /** Runs the disconnect logic once, however the session ended. */
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
        outbox.close(Outbox.NORMAL, reason);
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

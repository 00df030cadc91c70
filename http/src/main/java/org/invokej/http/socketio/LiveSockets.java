package org.invokej.http.socketio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.webserver.websocket.WsRouting;
import io.helidon.websocket.WsSession;
import org.invokej.core.auth.SocketAccess;
import org.invokej.core.auth.SocketUser;
import org.invokej.core.events.Audience;
import org.invokej.core.events.EventPayload;
import org.invokej.core.events.WrittenPayload;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;
import org.invokej.core.users.User;
import org.invokej.core.users.UserAccessListener;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The live event endpoint (Socket.IO at {@code /ws/socket.io/}, over long-polling and WebSocket): the
 * Engine.IO sessions by id, the connected sockets,
 * delivery of {@link ServerEvent}s to them by {@link Audience}, and re-authorisation of open sockets.
 * When a user's access changes (in this process: {@link #accessChanged}; from another process, e.g.
 * {@code invoke-usermod}: found by a sweep every few seconds in multi-user mode) each of their sockets
 * is re-checked: deleted, deactivated or password changed ends it ({@code 41}, so clients do not
 * reconnect by themselves), a role change moves it into or out of the admin room.
 */
public final class LiveSockets implements EventSink, UserAccessListener, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LiveSockets.class.getName());

    /** Event names the JS client reserves; a packet carrying one makes it drop the connection. */
    static final Set<String> RESERVED_NAMES = Set.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");
    /** Failed sweeps in a row after which sockets leave the admin room until a read succeeds. */
    static final int FAILED_SWEEPS_BEFORE_DEMOTION = 3;
    /** How long stopping waits for the close frames to be written. */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final SocketAccess access;
    private final UserAccessListener changes;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final SocketSettings settings;
    private final SecureRandom random = new SecureRandom();
    private final ScheduledExecutorService timers =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("socket-timers").factory());
    private final ScheduledExecutorService sweeper =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("socket-sweep").factory());
    private final Set<ClientSocket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<String, EngineIoSession> sessions = new ConcurrentHashMap<>();
    /** Guards the count checks of new long-polling sessions and sockets against each other. */
    private final Object limits = new Object();
    private int failedSweeps;

    /**
     * @param changes where the sweep reports a user whose access changed elsewhere: every listener of
     *                access changes (this one among them), so that running work is stopped too
     */
    public LiveSockets(SocketAccess access, UserAccessListener changes, ObjectMapper mapper, Clock clock, SocketSettings settings) {
        this.access = access;
        this.changes = changes;
        this.mapper = mapper;
        this.clock = clock;
        this.settings = settings;
        if (access.multiuser()) {
            long every = settings.revalidation().toMillis();
            sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** The WebSocket endpoints: each path with and without the trailing slash clients add. */
    public WsRouting.Builder routing() {
        WsRouting.Builder routing = WsRouting.builder();
        for (String path : settings.paths()) {
            for (String variant : List.of(path, path + "/")) {
                routing.endpoint(variant, () -> new EngineIoWebSocket(this, settings));
            }
        }
        return routing;
    }

    /** How the endpoint runs. */
    public SocketSettings settings() {
        return settings;
    }

    /** How many sockets are connected (to the default namespace) now. */
    public int connectedSockets() {
        return sockets.size();
    }

    @Override
    public void publish(ServerEvent event) {
        if (RESERVED_NAMES.contains(event.name())) {
            LOG.warning(() -> "Event " + event.name() + " not sent: Socket.IO clients reserve that name");
            return;
        }
        long timestamp = clock.instant().getEpochSecond();
        Map<EventPayload, String> encoded = new IdentityHashMap<>();
        try {
            for (ClientSocket socket : sockets) {
                EventPayload payload = payloadFor(event, socket.rooms());
                if (payload != null) {
                    socket.send(encoded.computeIfAbsent(payload, p -> encode(event.name(), p, timestamp)));
                }
            }
        } catch (IllegalArgumentException e) {
            LOG.log(Level.SEVERE, "Event " + event.name() + " not sent: its payload cannot be written as JSON", e);
        }
    }

    /** What a socket in {@code rooms} receives of {@code event}: a payload, or null for nothing. */
    static EventPayload payloadFor(ServerEvent event, ClientSocket.Rooms rooms) {
        EventPayload full = event.payload();
        String userId = rooms.user().userId();
        return switch (event.audience()) {
            case Audience.Admins ignored -> rooms.admin() ? full : null;
            case Audience.User user -> userId.equals(user.userId()) ? full : null;
            case Audience.UserAndAdmins user -> userId.equals(user.userId()) || rooms.admin() ? full : null;
            case Audience.QueueItem item -> userId.equals(item.ownerId()) || rooms.admin() ? full
                    : rooms.isIn(item.queueId()) ? item.othersPayload() : null;
            case Audience.QueueByOwner bulk -> rooms.admin() ? full
                    : bulk.ownerPayloads().containsKey(userId) ? bulk.ownerPayloads().get(userId)
                    : rooms.isIn(bulk.queueId()) ? bulk.othersPayload() : null;
            case Audience.QueueRoom queue -> rooms.isIn(queue.queueId()) ? full : null;
            case Audience.Everyone ignored -> full;
        };
    }

    /**
     * {@code 2["name",payload]}: the payload record written as JSON (once per event and copy), with a
     * timestamp first when it has none.
     */
    private String encode(String name, EventPayload payload, long timestamp) {
        try {
            // A payload from another process (the outbox) was written there with the same mapper.
            JsonNode written = payload instanceof WrittenPayload text ? mapper.readTree(text.json()) : mapper.valueToTree(payload);
            if (!(written instanceof ObjectNode fields)) {
                throw new IllegalArgumentException("the payload of " + name + " is not a JSON object");
            }
            ObjectNode stamped = fields;
            if (!fields.has("timestamp")) {
                stamped = mapper.createObjectNode().put("timestamp", timestamp);
                stamped.setAll(fields);
            }
            return "2" + mapper.writeValueAsString(mapper.createArrayNode().add(name).add(stamped));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Re-checks the sockets of a user whose role, active flag, password or existence changed. */
    @Override
    public void accessChanged(String userId) {
        List<ClientSocket> theirs = sockets.stream().filter(socket -> socket.user().userId().equals(userId)).toList();
        if (theirs.isEmpty()) {
            return;
        }
        Optional<User> row;
        try {
            row = Optional.ofNullable(access.current(List.of(userId)).get(userId));
        } catch (RuntimeException e) {
            // Fail safe but not harsh: no admin-only events until a read succeeds, nobody cut off.
            LOG.log(Level.WARNING, "Cannot re-check the sockets of user " + userId + "; they leave the admin room", e);
            theirs.forEach(ClientSocket::leaveAdminRoom);
            return;
        }
        for (ClientSocket socket : theirs) {
            socket.user().recheck(row).ifPresentOrElse(socket::recheckedAs, socket::disconnect);
        }
    }

    /**
     * Reads every connected user once and reports those whose row no longer matches a socket of
     * theirs, which is how changes made by another process (the user commands, sqlite3) reach open
     * sockets.
     */
    void sweep() {
        try {
            if (sockets.isEmpty()) {
                return;
            }
            Map<String, List<ClientSocket>> byUser = sockets.stream()
                    .collect(Collectors.groupingBy(socket -> socket.user().userId()));
            Map<String, User> rows;
            try {
                rows = access.current(byUser.keySet());
                failedSweeps = 0;
            } catch (RuntimeException e) {
                failedSweeps++;
                LOG.log(Level.WARNING, "Cannot re-check open sockets (" + failedSweeps + " failed in a row)", e);
                if (failedSweeps >= FAILED_SWEEPS_BEFORE_DEMOTION) {
                    sockets.forEach(ClientSocket::leaveAdminRoom);
                }
                return;
            }
            byUser.forEach((userId, theirs) -> {
                Optional<User> row = Optional.ofNullable(rows.get(userId));
                if (theirs.stream().anyMatch(socket -> socket.user().isStale(row))) {
                    changes.accessChanged(userId);
                } else {
                    theirs.forEach(ClientSocket::restoreAdminRoom);
                }
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Socket re-check failed", e);
        }
    }

    Optional<SocketUser> authenticate(Optional<String> token) {
        return access.connect(token);
    }

    /**
     * Adds a connected socket; false when it is carried by long-polling and its user already has
     * {@code pollingSessionsPerUser} polling sessions with a socket.
     */
    boolean register(ClientSocket socket) {
        synchronized (limits) {
            if (socket.carriedByPolling()) {
                String userId = socket.user().userId();
                long theirs = sockets.stream().filter(other -> other.carriedByPolling() && other.user().userId().equals(userId)).count();
                if (theirs >= settings.pollingSessionsPerUser()) {
                    return false;
                }
            }
            sockets.add(socket);
            return true;
        }
    }

    void unregister(ClientSocket socket) {
        sockets.remove(socket);
    }

    /** A new session carried by {@code webSocket} from the start. */
    EngineIoSession openWebSocketSession(Optional<String> authorization, WsSession webSocket) {
        EngineIoSession session = new EngineIoSession(newId(), this, settings, mapper, timers, authorization,
                EngineIoSession.Transport.WEBSOCKET);
        sessions.put(session.sid(), session);
        session.start(webSocket);
        return session;
    }

    /** A new long-polling session, or none when {@code pollingSessions} are open already. */
    Optional<EngineIoSession> openPollingSession(Optional<String> authorization) {
        EngineIoSession session;
        synchronized (limits) {
            if (pollingSessions() >= settings.pollingSessions()) {
                return Optional.empty();
            }
            session = new EngineIoSession(newId(), this, settings, mapper, timers, authorization, EngineIoSession.Transport.POLLING);
            sessions.put(session.sid(), session);
        }
        session.start(null);
        return Optional.of(session);
    }

    /** How many open sessions use long-polling now. */
    public int pollingSessions() {
        return (int) sessions.values().stream().filter(session -> session.transport() == EngineIoSession.Transport.POLLING).count();
    }

    /** The open session {@code sid}. */
    Optional<EngineIoSession> session(String sid) {
        return Optional.ofNullable(sessions.get(sid));
    }

    /** A polling session now runs over its WebSocket: its socket no longer counts against the polling limits. */
    void upgraded(EngineIoSession session) {
        LOG.fine(() -> "Socket " + session.sid() + " upgraded to WebSocket");
    }

    void closed(EngineIoSession session) {
        sessions.remove(session.sid(), session);
    }

    /** A fresh unguessable id: 20 URL-safe characters, like the reference servers'. */
    String newId() {
        byte[] bytes = new byte[15];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Stops the timers and closes every connection ("going away": clients reconnect to the next
     * server), waiting a moment for the close frames to go out before the web server drops the sockets.
     */
    @Override
    public void close() {
        sweeper.shutdownNow();
        List<EngineIoSession> open = List.copyOf(sessions.values());
        open.forEach(session -> session.close(Outbox.GOING_AWAY, "server stopping"));
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        try {
            for (EngineIoSession connection : open) {
                connection.awaitWritten(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timers.shutdownNow();
    }
}

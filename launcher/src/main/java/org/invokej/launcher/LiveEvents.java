package org.invokej.launcher;

import org.invokej.core.auth.Sessions;
import org.invokej.core.auth.SocketAccess;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.OutboxRelay;
import org.invokej.core.events.SharedEvents;
import org.invokej.core.users.UserAccessListeners;
import org.invokej.http.Json;
import org.invokej.http.socketio.LiveSockets;
import org.invokej.http.socketio.SocketSettings;
import org.invokej.persistence.DatabaseLocation;
import org.invokej.persistence.OutboxNotifications;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The Socket.IO connections and where the server's events go: to the sockets of the audience an event
 * names, and to the embedding program's own sink; on PostgreSQL, where several web nodes may share the
 * database, also to the other web nodes through the outbox ({@link SharedEvents}), each event once.
 *
 * @param sink   where this node's services publish
 * @param local  this node's own delivery (sockets and the embedding program's sink): what the relay feeds
 * @param shared the outbox writer for the other web nodes; empty on SQLite (one web node per database)
 */
record LiveEvents(SocketSettings settings, LiveSockets sockets, EventSink sink, EventSink local,
                  Optional<SharedEvents> shared) implements AutoCloseable {

    /** Workers' events are relayed within 0.1 s on SQLite; kept 10 minutes for a web node that fell behind. */
    private static final OutboxRelay.Settings POLLING = new OutboxRelay.Settings(Duration.ofMillis(100), Duration.ofMinutes(10));
    /** With PostgreSQL's notifications the poll is only the safety net for a lost notification connection. */
    private static final OutboxRelay.Settings NOTIFIED = new OutboxRelay.Settings(Duration.ofSeconds(1), Duration.ofMinutes(10));

    /**
     * Joins {@code accessListeners}: a user who loses access loses their connections at once, on this
     * node and (through the outbox) on the others.
     */
    static LiveEvents assemble(InvokeConfig config, DatabaseLocation database, Repositories repositories, Sessions sessions,
                               UserAccessListeners accessListeners, Json json, Clock clock, EventSink observer) {
        SocketSettings settings = SocketSettings.of(config.baseUrl(),
                Duration.ofMillis(config.socketPingIntervalMs()), Duration.ofMillis(config.socketPingTimeoutMs()),
                Duration.ofSeconds(config.socketRevalidationSeconds()))
                .withPollingLimits(config.socketMaxPollingSessions(), config.socketMaxPollingSessionsPerUser());
        LiveSockets sockets = new LiveSockets(new SocketAccess(sessions, repositories.transactions(), repositories.users()),
                accessListeners, json.mapper(), clock, settings);
        accessListeners.add(sockets);
        EventSink local = event -> {
            sockets.publish(event);
            observer.publish(event);
        };
        if (!(database instanceof DatabaseLocation.PostgresServer)) {
            // SQLite serves one web node (RootLock, one host): nothing to share, no database write per event.
            return new LiveEvents(settings, sockets, local, local, Optional.empty());
        }
        SharedEvents shared = new SharedEvents(local, repositories.transactions(), repositories.outbox(), nodeName(), clock, json::text);
        accessListeners.add(shared);
        return new LiveEvents(settings, sockets, shared, local, Optional.of(shared));
    }

    /** This web node's name in the outbox: host, process and a random part, so that a restart is a new node. */
    private static String nodeName() {
        return QueueParts.hostName() + "/web/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * Starts reading the outbox: workers' events (and, with several web nodes, the other nodes' events
     * and access changes) reach this node's sockets. On PostgreSQL a {@code LISTEN} wakes the relay.
     */
    AutoCloseable startRelay(DatabaseLocation database, Repositories repositories, Clock clock) {
        OutboxRelay relay = shared
                .map(node -> new OutboxRelay(repositories.transactions(), repositories.outbox(), local, sockets, node.node(), clock, NOTIFIED))
                .orElseGet(() -> new OutboxRelay(repositories.transactions(), repositories.outbox(), local, clock,
                        database instanceof DatabaseLocation.PostgresServer ? NOTIFIED : POLLING))
                .start();
        Optional<OutboxNotifications> notifications = OutboxNotifications.start(database, relay::wake);
        return () -> {
            notifications.ifPresent(OutboxNotifications::close);
            relay.close();
        };
    }

    /** What an embedding program publishes: to this node's sockets and, when shared, the other nodes'. */
    EventSink forEmbedder() {
        return event -> {
            sockets.publish(event);
            shared.ifPresent(nodes -> nodes.share(event));
        };
    }

    @Override
    public void close() {
        sockets.close();
        shared.ifPresent(SharedEvents::close);
    }
}

package org.invokej.launcher;

import org.invokej.core.auth.Sessions;
import org.invokej.core.auth.SocketAccess;
import org.invokej.core.events.EventSink;
import org.invokej.core.users.UserAccessListeners;
import org.invokej.http.Json;
import org.invokej.http.socketio.LiveSockets;
import org.invokej.http.socketio.SocketSettings;

import java.time.Clock;
import java.time.Duration;

/**
 * The Socket.IO connections and where the server's events go: to the sockets of the audience an event
 * names, and to the embedding program's own sink.
 */
record LiveEvents(SocketSettings settings, LiveSockets sockets, EventSink sink) implements AutoCloseable {

    /** Joins {@code accessListeners}: a user who loses access loses their connections at once. */
    static LiveEvents assemble(InvokeConfig config, Repositories repositories, Sessions sessions,
                               UserAccessListeners accessListeners, Json json, Clock clock, EventSink observer) {
        SocketSettings settings = SocketSettings.of(config.baseUrl(),
                Duration.ofMillis(config.socketPingIntervalMs()), Duration.ofMillis(config.socketPingTimeoutMs()),
                Duration.ofSeconds(config.socketRevalidationSeconds()))
                .withPollingLimits(config.socketMaxPollingSessions(), config.socketMaxPollingSessionsPerUser());
        LiveSockets sockets = new LiveSockets(new SocketAccess(sessions, repositories.transactions(), repositories.users()),
                accessListeners, json.mapper(), clock, settings);
        accessListeners.add(sockets);
        EventSink sink = event -> {
            sockets.publish(event);
            observer.publish(event);
        };
        return new LiveEvents(settings, sockets, sink);
    }

    @Override
    public void close() {
        sockets.close();
    }
}

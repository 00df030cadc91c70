package org.invokej.http.socketio;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the live event endpoint runs.
 *
 * @param basePath          the public sub-path ("" at the root); the endpoint answers at
 *                          {@code /ws/socket.io/} and, when set, at {@code <basePath>/ws/socket.io/}
 * @param pingInterval      how often the server pings (Engine.IO's {@code pingInterval})
 * @param pingTimeout       how long it waits for the pong before it gives the connection up
 * @param maxPayload        the largest message accepted from a client, in bytes
 * @param connectTimeout    how long a connection may stay open without a connected namespace
 * @param disconnectGrace   how long after a server-side disconnect ({@code 41}) the client has to
 *                          close the connection itself before the server does
 * @param revalidation      how often open connections are re-checked against the users' rows (multi-user
 *                          mode), so that changes made by another process reach them
 * @param outboxFrames      how many frames may wait for a slow client before it is disconnected
 */
public record SocketSettings(String basePath, Duration pingInterval, Duration pingTimeout, int maxPayload,
                             Duration connectTimeout, Duration disconnectGrace, Duration revalidation, int outboxFrames) {

    /** The endpoint's path below the root or the base path. */
    public static final String PATH = "/ws/socket.io";

    /** Engine.IO's and InvokeAI's defaults, with the given base path, heartbeat and re-check interval. */
    public static SocketSettings of(String basePath, Duration pingInterval, Duration pingTimeout, Duration revalidation) {
        return new SocketSettings(basePath, pingInterval, pingTimeout, 1_000_000, Duration.ofSeconds(45),
                Duration.ofSeconds(5), revalidation, 10_000);
    }

    public SocketSettings {
        Objects.requireNonNull(basePath, "basePath");
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(pingTimeout, "pingTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(disconnectGrace, "disconnectGrace");
        Objects.requireNonNull(revalidation, "revalidation");
    }

    /** The endpoint's paths, without the trailing slash clients add (both forms are served). */
    public List<String> paths() {
        return basePath.isEmpty() ? List.of(PATH) : List.of(PATH, basePath + PATH);
    }
}

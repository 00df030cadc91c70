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
 * @param outboxFrames      how many packets may wait for a slow client before its session is closed
 * @param outboxChars       how many characters of packets may wait for a slow client before its session is closed
 * @param pollingSessions   the most long-polling sessions open at once (new ones are refused)
 * @param pollingSessionsPerUser the most long-polling sessions one user may have connected at once
 */
public record SocketSettings(String basePath, Duration pingInterval, Duration pingTimeout, int maxPayload,
                             Duration connectTimeout, Duration disconnectGrace, Duration revalidation, int outboxFrames,
                             long outboxChars, int pollingSessions, int pollingSessionsPerUser) {

    /** Default {@link #pollingSessions}: well above what a household's browsers need for the moment each takes to upgrade. */
    public static final int DEFAULT_POLLING_SESSIONS = 1000;
    /** Default {@link #pollingSessionsPerUser}. */
    public static final int DEFAULT_POLLING_SESSIONS_PER_USER = 10;

    /** The endpoint's path below the root or the base path. */
    public static final String PATH = "/ws/socket.io";

    /** Engine.IO's and InvokeAI's defaults, with the given base path, heartbeat and re-check interval. */
    public static SocketSettings of(String basePath, Duration pingInterval, Duration pingTimeout, Duration revalidation) {
        return new SocketSettings(basePath, pingInterval, pingTimeout, 1_000_000, Duration.ofSeconds(45),
                Duration.ofSeconds(5), revalidation, 10_000, 8L << 20, DEFAULT_POLLING_SESSIONS, DEFAULT_POLLING_SESSIONS_PER_USER);
    }

    /** These settings with other limits on long-polling sessions. */
    public SocketSettings withPollingLimits(int total, int perUser) {
        return new SocketSettings(basePath, pingInterval, pingTimeout, maxPayload, connectTimeout, disconnectGrace, revalidation,
                outboxFrames, outboxChars, total, perUser);
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

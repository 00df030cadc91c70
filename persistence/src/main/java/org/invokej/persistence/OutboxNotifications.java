package org.invokej.persistence;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;

/**
 * PostgreSQL's {@code LISTEN} on the outbox's channel ({@link SqlEventOutbox#CHANNEL}): one dedicated
 * connection outside the pool (a pooled connection would be handed to others and its notifications lost),
 * read by one thread with the driver's {@link PGConnection#getNotifications(int)}. Each batch of
 * notifications calls {@code wake} once, and so does every reconnection (rows may have come while it was
 * away); a lost connection is logged in one line and made again, waiting longer each time up to
 * {@link #MAX_BACKOFF}. The relay's slow poll stays as the safety net.
 */
public final class OutboxNotifications implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(OutboxNotifications.class.getName());
    private static final int WAIT_MILLIS = 500;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final DatabaseLocation.PostgresServer server;
    private final Runnable wake;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;
    private volatile boolean listening;

    private OutboxNotifications(DatabaseLocation.PostgresServer server, Runnable wake) {
        this.server = server;
        this.wake = wake;
        this.thread = new Thread(this::loop, "event-outbox-listen");
        this.thread.setDaemon(true);
    }

    /** Listens when {@code location} is PostgreSQL (SQLite has no notifications: empty). */
    public static Optional<OutboxNotifications> start(DatabaseLocation location, Runnable wake) {
        if (!(location instanceof DatabaseLocation.PostgresServer server)) {
            return Optional.empty();
        }
        OutboxNotifications notifications = new OutboxNotifications(server, wake);
        notifications.thread.start();
        return Optional.of(notifications);
    }

    /** Whether the connection is up and listening now. */
    public boolean listening() {
        return listening;
    }

    private void loop() {
        Duration backoff = Duration.ofMillis(250);
        boolean lost = false;
        while (running) {
            try (Connection listener = connect()) {
                connection = listener;
                try (Statement statement = listener.createStatement()) {
                    statement.execute("LISTEN " + SqlEventOutbox.CHANNEL);
                }
                listening = true;
                if (lost) {
                    LOG.info(() -> "Listening to " + server.describe() + " for events again");
                }
                backoff = Duration.ofMillis(250);
                wake.run();
                PGConnection notifications = listener.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] arrived = notifications.getNotifications(WAIT_MILLIS);
                    if (arrived != null && arrived.length > 0) {
                        wake.run();
                    }
                }
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (!running) {
                    return;
                }
                lost = true;
                Duration wait = backoff;
                LOG.warning(() -> "Lost the PostgreSQL notification connection to " + server.describe() + " ("
                        + Database.rootMessage(e) + "); reconnecting in " + wait.toMillis() + " ms, polling meanwhile");
                sleep(wait);
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            } finally {
                listening = false;
                connection = null;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (!server.user().isEmpty()) {
            properties.setProperty("user", server.user());
        }
        if (!server.password().isEmpty()) {
            properties.setProperty("password", server.password());
        }
        properties.setProperty("ApplicationName", "InvokeJ events");
        properties.setProperty("connectTimeout", "10");
        // Notices a server that vanished without closing the socket, so that the loop reconnects.
        properties.setProperty("tcpKeepAlive", "true");
        return DriverManager.getConnection(server.jdbcUrl(), properties);
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // Closing is all that is left to do; the thread ends either way.
            }
        }
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

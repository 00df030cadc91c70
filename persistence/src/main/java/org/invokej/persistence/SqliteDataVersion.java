package org.invokej.persistence;

import org.invokej.core.store.StoreChanges;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * {@link StoreChanges} for SQLite: {@code PRAGMA data_version}, read on a connection of its own.
 *
 * <p>SQLite's data version is per connection: it changes when a commit is made by any <em>other</em>
 * connection, in this process or another (the CLI, {@code sqlite3}), but not by the connection asking.
 * A pooled connection would miss the commits it made itself, so this connection never writes and is
 * kept out of the pool. The pragma reads the WAL index only, a few microseconds.
 */
public final class SqliteDataVersion implements StoreChanges, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SqliteDataVersion.class.getName());

    private final Connection connection;
    private final PreparedStatement pragma;
    private final ReentrantLock lock = new ReentrantLock();

    public SqliteDataVersion(Path databaseFile) {
        try {
            this.connection = DriverManager.getConnection("jdbc:sqlite:" + databaseFile.toAbsolutePath());
            this.pragma = connection.prepareStatement("PRAGMA data_version");
        } catch (SQLException e) {
            throw new DatabaseUnusableException("Cannot open " + databaseFile + " to watch for changes: " + e.getMessage());
        }
    }

    @Override
    public OptionalLong current() {
        lock.lock();
        try (ResultSet row = pragma.executeQuery()) {
            return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
        } catch (SQLException e) {
            // Not knowing only costs speed: every request then reads the rows.
            LOG.fine(() -> "PRAGMA data_version failed: " + e.getMessage());
            return OptionalLong.empty();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            pragma.close();
            connection.close();
        } catch (SQLException e) {
            LOG.fine(() -> "Closing the data-version connection: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }
}

package org.invokej.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.logging.Logger;

/** The connection pool of a PostgreSQL database, and what a failure to connect means for the person starting InvokeJ. */
final class PostgresConnections {

    private static final Logger LOG = Logger.getLogger(PostgresConnections.class.getName());

    private PostgresConnections() {
    }

    /**
     * A pool with one connection already made: a server that cannot be reached, a refused login or a
     * missing database stop start-up here, with one line that says what to do.
     */
    static HikariDataSource open(DatabaseLocation.PostgresServer server) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("invokeai-db");
        config.setJdbcUrl(server.jdbcUrl());
        if (!server.user().isEmpty()) {
            config.setUsername(server.user());
        }
        if (!server.password().isEmpty()) {
            config.setPassword(server.password());
        }
        config.setMaximumPoolSize(server.poolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.addDataSourceProperty("connectTimeout", "10");
        config.addDataSourceProperty("ApplicationName", "InvokeJ");
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new DatabaseUnusableException(explain(server, e), e);
        }
    }

    /** One line for a failed first connection, by PostgreSQL's error code where there is one. */
    static String explain(DatabaseLocation.PostgresServer server, Throwable failure) {
        SQLException sql = null;
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException found) {
                sql = found;
                break;
            }
        }
        String where = server.describe();
        String user = server.user().isEmpty() ? System.getProperty("user.name") : server.user();
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        String message = Database.rootMessage(failure);
        if (state.equals("28P01") || state.equals("28000") || message.contains("password")) {
            return "PostgreSQL at " + where + " refused the login of " + user + " (" + message + "): set database_user and "
                    + "database_password (or INVOKEAI_DATABASE_PASSWORD) to a role allowed in by the server's pg_hba.conf";
        }
        if (state.equals("3D000")) {
            return "The PostgreSQL database in " + where + " does not exist: create it with "
                    + "createdb --owner " + user + " --template template0 --encoding UTF8 --locale C " + databaseName(where)
                    + " (InvokeJ makes the tables)";
        }
        if (state.startsWith("08") || message.contains("Connection refused") || message.contains("UnknownHost")) {
            return "Cannot connect to PostgreSQL at " + where + " (" + message + "): check that the server runs and "
                    + "that database_url names its host and port";
        }
        return "Cannot use the PostgreSQL database " + where + ": " + message;
    }

    private static String databaseName(String url) {
        String path = url.substring(url.indexOf("//") + 2);
        int slash = path.indexOf('/');
        if (slash < 0) {
            return "invokeai";
        }
        String name = path.substring(slash + 1);
        int query = name.indexOf('?');
        return query < 0 ? name : name.substring(0, query);
    }

    /**
     * Names sort as in SQLite only under the "C" collation; another one (a cluster's default en_US.UTF-8)
     * still works, but lists sorted by name can come out in another order than on SQLite.
     */
    static void warnAboutCollation(HikariDataSource dataSource, DatabaseLocation.PostgresServer server) {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT datcollate FROM pg_database WHERE datname = current_database()")) {
            if (row.next() && !row.getString(1).equals("C") && !row.getString(1).equals("POSIX")) {
                LOG.warning("The PostgreSQL database " + server.describe() + " sorts text with the " + row.getString(1)
                        + " collation; create it with --locale C for the byte order SQLite uses");
            }
        } catch (SQLException e) {
            LOG.fine(() -> "Could not read the database's collation: " + e.getMessage());
        }
    }
}

package org.invokej.persistence;

import org.invokej.testing.TestPostgres;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/** Opens a fresh database of either dialect for a test: a SQLite file in the test's folder, or a new database on the test PostgreSQL server. */
final class TestDatabases {

    private TestDatabases() {
    }

    static Database open(SqlDialect dialect, Path folder) {
        return open(dialect, folder, Clock.systemUTC(), List.of());
    }

    static Database open(SqlDialect dialect, Path folder, Clock clock, List<String> extraMigrations) {
        return Database.open(location(dialect, folder), clock, extraMigrations);
    }

    /** Where a new database of {@code dialect} is: nothing is created yet for SQLite, an empty database for PostgreSQL. */
    static DatabaseLocation location(SqlDialect dialect, Path folder) {
        return switch (dialect) {
            case SQLITE -> new DatabaseLocation.SqliteFile(folder.resolve("databases").resolve("invokeai.db"));
            case POSTGRESQL -> postgres();
        };
    }

    /** A new, empty PostgreSQL database. */
    static DatabaseLocation.PostgresServer postgres() {
        TestPostgres server = TestPostgres.server();
        return new DatabaseLocation.PostgresServer(server.newDatabase(), server.user(), server.password(), 4);
    }
}

package org.invokej.persistence;

import java.nio.file.Path;

/** Where a root's database lives: the SQLite file of one machine, or a PostgreSQL server several processes share. */
public sealed interface DatabaseLocation {

    SqlDialect dialect();

    /** How the location is named in messages, never with a password. */
    String describe();

    /** A SQLite file (the default: {@code databases/invokeai.db} under the root). */
    record SqliteFile(Path file) implements DatabaseLocation {
        @Override
        public SqlDialect dialect() {
            return SqlDialect.SQLITE;
        }

        @Override
        public String describe() {
            return file.toString();
        }
    }

    /**
     * A PostgreSQL database.
     *
     * @param url      {@code postgresql://host[:port]/database} (or its {@code jdbc:} form)
     * @param user     the role to connect as (empty: the driver's default, the OS user)
     * @param password the role's password (empty: none)
     * @param poolSize the most connections this process holds open
     */
    record PostgresServer(String url, String user, String password, int poolSize) implements DatabaseLocation {

        public PostgresServer {
            if (!isPostgresUrl(url)) {
                throw new IllegalArgumentException("expected postgresql://host:port/database, got " + url);
            }
            if (poolSize < 1) {
                throw new IllegalArgumentException("pool size must be at least 1");
            }
        }

        /** Whether {@code url} names a PostgreSQL database. */
        public static boolean isPostgresUrl(String url) {
            return url != null && (url.startsWith("postgresql://") || url.startsWith("jdbc:postgresql://"));
        }

        /** The driver's URL. */
        public String jdbcUrl() {
            return url.startsWith("jdbc:") ? url : "jdbc:" + url;
        }

        @Override
        public SqlDialect dialect() {
            return SqlDialect.POSTGRESQL;
        }

        @Override
        public String describe() {
            // user:password@ in the URL itself is not shown
            return url.replaceFirst("//[^/@]*@", "//");
        }

        @Override
        public String toString() {
            return "PostgresServer[" + describe() + ", user=" + user + ", poolSize=" + poolSize + "]";
        }
    }
}

package org.invokej.persistence;

/**
 * The few things InvokeJ's SQL says differently in SQLite and PostgreSQL. Everything else the
 * repositories write is common SQL (upserts with {@code ON CONFLICT}, {@code RETURNING}, {@code TRUE}/
 * {@code FALSE}, {@code LOWER(...) LIKE}, {@code NULLS FIRST}); what cannot be, is here and only here.
 * Times are text in both ({@code YYYY-MM-DD HH:MM:SS.fff}, UTC), as InvokeAI's SQLite file holds them.
 */
public enum SqlDialect {

    SQLITE("classpath:db/migration", "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')", "-1", "rowid",
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
            // hidden 0: an ordinary column (2 and 3 are generated ones)
            "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid"),
    POSTGRESQL("classpath:db/postgresql", "invokej_now()", "ALL", "user_id",
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? "
                    + "AND is_generated = 'NEVER' ORDER BY ordinal_position");

    private final String migrations;
    private final String now;
    private final String noLimit;
    private final String userInsertionOrder;
    private final String tables;
    private final String storedColumns;

    SqlDialect(String migrations, String now, String noLimit, String userInsertionOrder, String tables, String storedColumns) {
        this.migrations = migrations;
        this.now = now;
        this.noLimit = noLimit;
        this.userInsertionOrder = userInsertionOrder;
        this.tables = tables;
        this.storedColumns = storedColumns;
    }

    /** The Flyway location of this dialect's SQL migrations (the Java ones are shared). */
    public String migrations() {
        return migrations;
    }

    /** An expression for the current time as stored text. */
    public String now() {
        return now;
    }

    /**
     * {@code LIMIT … OFFSET …} for a page; a null or negative limit means every row (as InvokeAI passes
     * it through). The numbers are written into the SQL: they are ints, never text from a client.
     */
    public String page(Integer limit, int offset) {
        String count = limit == null || limit < 0 ? noLimit : Integer.toString(limit);
        return " LIMIT " + count + " OFFSET " + offset;
    }

    /**
     * The tie-break after {@code users.created_at}: SQLite's rowid is the insertion order; PostgreSQL has
     * none, but stamps rows in microseconds, so ties are left to the id.
     */
    public String userInsertionOrder() {
        return userInsertionOrder;
    }

    /**
     * What ends a query that takes the rows it finds for this transaction and skips those another
     * transaction holds: PostgreSQL's {@code FOR UPDATE SKIP LOCKED}; nothing in SQLite, whose one
     * writer holds the whole database.
     */
    public String lockSkippingLocked() {
        return this == POSTGRESQL ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /** A query for the names ({@code name}) of the database's tables, Flyway's history included. */
    String tablesQuery() {
        return tables;
    }

    /** A query for the columns ({@code name}) of the table {@code ?} that hold data, generated ones left out. */
    String storedColumnsQuery() {
        return storedColumns;
    }

    /**
     * After rows were copied in with their ids: PostgreSQL's identity columns continue after the largest
     * id (SQLite's AUTOINCREMENT follows inserted ids by itself).
     */
    void continueIdentities(java.sql.Connection connection, String table) throws java.sql.SQLException {
        if (this != POSTGRESQL) {
            return;
        }
        java.util.List<String> identities = new java.util.ArrayList<>();
        try (var query = connection.prepareStatement("SELECT column_name FROM information_schema.columns "
                + "WHERE table_schema = current_schema() AND table_name = ? AND is_identity = 'YES'")) {
            query.setString(1, table);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    identities.add(rows.getString(1));
                }
            }
        }
        for (String column : identities) {
            try (var statement = connection.createStatement()) {
                statement.execute("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'), "
                        + "COALESCE(MAX(" + column + "), 0) + 1, false) FROM " + table);
            }
        }
    }
}

package org.invokej.persistence;

/**
 * The few things InvokeJ's SQL says differently in SQLite and PostgreSQL. Everything else the
 * repositories write is common SQL (upserts with {@code ON CONFLICT}, {@code RETURNING}, {@code TRUE}/
 * {@code FALSE}, {@code LOWER(...) LIKE}, {@code NULLS FIRST}); what cannot be, is here and only here.
 * Times are text in both ({@code YYYY-MM-DD HH:MM:SS.fff}, UTC), as InvokeAI's SQLite file holds them.
 */
public enum SqlDialect {

    SQLITE("classpath:db/migration", "STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')", "-1", "rowid"),
    POSTGRESQL("classpath:db/postgresql", "invokej_now()", "ALL", "user_id");

    private final String migrations;
    private final String now;
    private final String noLimit;
    private final String userInsertionOrder;

    SqlDialect(String migrations, String now, String noLimit, String userInsertionOrder) {
        this.migrations = migrations;
        this.now = now;
        this.noLimit = noLimit;
        this.userInsertionOrder = userInsertionOrder;
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
}

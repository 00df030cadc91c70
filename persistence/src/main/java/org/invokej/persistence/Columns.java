package org.invokej.persistence;

import io.helidon.dbclient.DbRow;

/**
 * Typed reads of row columns. sqlite-jdbc hands back an Integer or a Long for the same INTEGER column
 * depending on the value, and dbclient will not convert between them, so numbers are read as
 * {@link Number}. SQLite stores booleans as 0/1.
 */
public final class Columns {

    private Columns() {
    }

    public static long longOf(DbRow row, String column) {
        return ((Number) value(row, column)).longValue();
    }

    public static int intOf(DbRow row, String column) {
        return ((Number) value(row, column)).intValue();
    }

    /** A nullable INTEGER column. */
    public static Long longOrNull(DbRow row, String column) {
        Object value = row.column(column).asOptional().orElse(null);
        return value == null ? null : ((Number) value).longValue();
    }

    public static boolean boolOf(DbRow row, String column) {
        Object value = value(row, column);
        return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
    }

    /** The text of a column, or null when it is NULL. */
    public static String textOf(DbRow row, String column) {
        Object value = row.column(column).asOptional().orElse(null);
        return value == null ? null : value.toString();
    }

    private static Object value(DbRow row, String column) {
        return row.column(column).asOptional()
                .orElseThrow(() -> new IllegalStateException("Column " + column + " is NULL where a value is required"));
    }
}

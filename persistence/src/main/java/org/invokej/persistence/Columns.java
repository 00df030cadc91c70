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
        return ((Number) row.column(column).get()).longValue();
    }

    public static int intOf(DbRow row, String column) {
        return ((Number) row.column(column).get()).intValue();
    }

    public static boolean boolOf(DbRow row, String column) {
        Object value = row.column(column).get();
        return value instanceof Boolean b ? b : ((Number) value).intValue() != 0;
    }

    /** The text of a column, or null when it is NULL. */
    public static String textOf(DbRow row, String column) {
        Object value = row.column(column).get();
        return value == null ? null : value.toString();
    }
}

package org.invokej.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Copies every row of one InvokeJ database into another of the other dialect (a SQLite root's file into
 * PostgreSQL, or back), table by table in foreign-key order, in one transaction on the target, and then
 * checks that each table holds as many rows in both. Both databases are opened (so migrated) first; the
 * token secret moves with the data, so sessions stay valid.
 */
public final class DatabaseCopy {

    private static final int BATCH = 500;
    private static final String HISTORY = "flyway_schema_history";

    /** The rows of one table, copied and verified. */
    public record Copied(String table, long rows) {
    }

    /** The target held data already and {@code force} was not given; nothing was changed. */
    public static final class TargetNotEmpty extends RuntimeException {
        TargetNotEmpty(String message) {
            super(message);
        }
    }

    private final Database source;
    private final Database target;

    public DatabaseCopy(Database source, Database target) {
        this.source = source;
        this.target = target;
    }

    /**
     * Copies everything; {@code progress} hears one line per table.
     *
     * @param force replace what the target holds; without it a target with data of its own is refused
     * @return the tables copied, with their verified row counts
     */
    public List<Copied> run(boolean force, Consumer<String> progress) {
        try (Connection from = source.connection(); Connection to = target.connection()) {
            from.setAutoCommit(false);
            to.setAutoCommit(false);
            try {
                List<Copied> copied = copy(from, to, force, progress);
                to.commit();
                from.commit();
                verify(copied);
                return copied;
            } catch (SQLException | RuntimeException e) {
                to.rollback();
                from.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new MigrationException("Copying " + source.location().describe() + " to " + target.location().describe()
                    + " failed, the target was left as it was: " + Database.rootMessage(e), e);
        }
    }

    private List<Copied> copy(Connection from, Connection to, boolean force, Consumer<String> progress) throws SQLException {
        Set<String> sourceTables = tables(from, source.dialect());
        List<String> order = foreignKeyOrder(to, tables(to, target.dialect()));
        List<String> skipped = sourceTables.stream().filter(table -> !order.contains(table)).sorted().toList();
        if (!skipped.isEmpty()) {
            progress.accept("Not copied (not InvokeJ's tables): " + String.join(", ", skipped));
        }
        Map<String, Long> existing = ownRows(to, order);
        if (!existing.isEmpty() && !force) {
            throw new TargetNotEmpty(target.location().describe() + " already holds data (" + describe(existing)
                    + "); add --force to replace it");
        }
        List<String> reversed = new ArrayList<>(order);
        Collections.reverse(reversed);
        try (Statement statement = to.createStatement()) {
            for (String table : reversed) {
                statement.executeUpdate("DELETE FROM " + table);
            }
        }
        List<Copied> copied = new ArrayList<>();
        for (String table : order) {
            if (!sourceTables.contains(table)) {
                continue;
            }
            long started = System.nanoTime();
            long rows = copyTable(from, to, table);
            target.dialect().continueIdentities(to, table);
            copied.add(new Copied(table, rows));
            progress.accept(String.format("%-20s %8d rows  %6.2f s", table, rows, (System.nanoTime() - started) / 1e9));
        }
        return copied;
    }

    private long copyTable(Connection from, Connection to, String table) throws SQLException {
        List<String> targetColumns = columns(to, target.dialect(), table);
        Set<String> sourceColumns = new LinkedHashSet<>(columns(from, source.dialect(), table));
        List<String> shared = targetColumns.stream().filter(sourceColumns::contains).toList();
        String list = String.join(", ", shared);
        int[] types = new int[shared.size()];
        try (Statement probe = to.createStatement(); ResultSet empty = probe.executeQuery("SELECT " + list + " FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData meta = empty.getMetaData();
            for (int i = 0; i < types.length; i++) {
                types[i] = meta.getColumnType(i + 1);
            }
        }
        long rows = 0;
        try (Statement select = from.createStatement();
             PreparedStatement insert = to.prepareStatement("INSERT INTO " + table + " (" + list + ") VALUES ("
                     + SqlWhere.marks(shared.size()) + ")")) {
            select.setFetchSize(BATCH);
            try (ResultSet row = select.executeQuery("SELECT " + list + " FROM " + table)) {
                while (row.next()) {
                    for (int i = 0; i < types.length; i++) {
                        insert.setObject(i + 1, convert(row.getObject(i + 1), types[i]));
                    }
                    insert.addBatch();
                    if (++rows % BATCH == 0) {
                        insert.executeBatch();
                    }
                }
            }
            insert.executeBatch();
        }
        return rows;
    }

    /** A value as the target column's type takes it: SQLite keeps booleans as 0/1 and may hold any type in any column. */
    private static Object convert(Object value, int type) {
        if (value == null) {
            return null;
        }
        return switch (type) {
            case Types.BOOLEAN, Types.BIT -> value instanceof Boolean b ? b
                    : value instanceof Number n ? n.longValue() != 0 : Boolean.parseBoolean(value.toString()) || value.toString().equals("1");
            case Types.VARCHAR, Types.LONGVARCHAR, Types.CHAR, Types.NVARCHAR, Types.CLOB -> value.toString();
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT -> value instanceof Number n ? (Object) n.longValue() : Long.valueOf(value.toString().strip());
            default -> value;
        };
    }

    private void verify(List<Copied> copied) {
        for (Copied table : copied) {
            long there = count(target, table.table());
            long here = count(source, table.table());
            if (there != here || there != table.rows()) {
                throw new MigrationException("Row counts differ after the copy: " + table.table() + " has " + here + " rows in "
                        + source.location().describe() + " and " + there + " in " + target.location().describe(), null);
            }
        }
    }

    private static long count(Database database, String table) {
        return database.read(exec -> exec.get("SELECT COUNT(*) AS n FROM " + table)).map(row -> Columns.longOf(row, "n")).orElse(0L);
    }

    /** Rows a fresh database does not have (the system user, the token secret and the queue's switches are made by the migrations). */
    private static Map<String, Long> ownRows(Connection connection, List<String> tables) throws SQLException {
        Map<String, Long> found = new LinkedHashMap<>();
        for (String table : tables) {
            String where = switch (table) {
                case "users" -> " WHERE user_id <> 'system'";
                case "app_settings" -> " WHERE key <> 'jwt_secret'";
                case "queue_control" -> " WHERE id <> 1";
                default -> "";
            };
            try (Statement statement = connection.createStatement();
                 ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM " + table + where)) {
                count.next();
                if (count.getLong(1) > 0) {
                    found.put(table, count.getLong(1));
                }
            }
        }
        return found;
    }

    private static String describe(Map<String, Long> counts) {
        List<String> parts = new ArrayList<>();
        counts.forEach((table, rows) -> parts.add(table + ": " + rows + (rows == 1 ? " row" : " rows")));
        return String.join(", ", parts);
    }

    private static Set<String> tables(Connection connection, SqlDialect dialect) throws SQLException {
        Set<String> tables = new LinkedHashSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(dialect.tablesQuery())) {
            while (rows.next()) {
                if (!rows.getString(1).equalsIgnoreCase(HISTORY)) {
                    tables.add(rows.getString(1));
                }
            }
        }
        return tables;
    }

    private static List<String> columns(Connection connection, SqlDialect dialect, String table) throws SQLException {
        List<String> columns = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(dialect.storedColumnsQuery())) {
            query.setString(1, table);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    columns.add(rows.getString(1));
                }
            }
        }
        return columns;
    }

    /** Tables before the tables that refer to them. */
    private static List<String> foreignKeyOrder(Connection connection, Set<String> tables) throws SQLException {
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (String table : tables.stream().sorted().toList()) {
            Set<String> referenced = new LinkedHashSet<>();
            try (ResultSet keys = connection.getMetaData().getImportedKeys(null, null, table)) {
                while (keys.next()) {
                    String parent = keys.getString("PKTABLE_NAME");
                    if (!parent.equals(table) && tables.contains(parent)) {
                        referenced.add(parent);
                    }
                }
            }
            parents.put(table, referenced);
        }
        List<String> order = new ArrayList<>();
        while (order.size() < parents.size()) {
            boolean progressed = false;
            for (var entry : parents.entrySet()) {
                if (!order.contains(entry.getKey()) && order.containsAll(entry.getValue())) {
                    order.add(entry.getKey());
                    progressed = true;
                }
            }
            if (!progressed) {
                throw new IllegalStateException("The tables' foreign keys form a cycle: " + parents);
            }
        }
        return order;
    }
}

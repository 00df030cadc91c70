package org.invokej.adoption;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What an InvokeAI database holds, read straight from the file with SQL before InvokeJ opens it: the
 * tests' expectations come from here, through InvokeAI's rules (ownership columns missing before its
 * multi-user release mean the {@code system} user's).
 */
record DatabaseFacts(Map<String, Long> rowCounts, String integrity, List<User> users, List<Board> boards,
                     List<Image> images, List<Workflow> workflows, List<StylePreset> stylePresets,
                     List<QueueItem> queueItems, List<Model> models) {

    record User(String userId, String email, boolean admin) {
    }

    record Board(String boardId, String owner, String visibility, boolean archived) {
    }

    record Image(String imageName, String owner, String subfolder, String boardId, boolean intermediate, boolean starred) {
    }

    record Workflow(String workflowId, String category, String owner, boolean isPublic) {
    }

    record StylePreset(String id, String type, String owner, boolean isPublic) {
    }

    record QueueItem(long itemId, String owner, String status) {
    }

    record Model(String key, String type, String format, String base) {
    }

    static DatabaseFacts read(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            Map<String, Long> counts = rowCounts(connection);
            String integrity = text(connection, "PRAGMA integrity_check");
            boolean multiUser = counts.containsKey("users");
            List<User> users = new ArrayList<>();
            if (multiUser) {
                rows(connection, "SELECT user_id, email, is_admin FROM users WHERE password_hash != '' ORDER BY email",
                        row -> users.add(new User(row.getString(1), row.getString(2), row.getBoolean(3))));
            }
            Set<String> boardColumns = columns(connection, "boards");
            List<Board> boards = new ArrayList<>();
            rows(connection, "SELECT board_id, "
                            + (boardColumns.contains("user_id") ? "COALESCE(user_id, 'system')" : "'system'") + ", "
                            + (boardColumns.contains("board_visibility") ? "board_visibility" : "'private'")
                            + ", COALESCE(archived, 0) FROM boards",
                    row -> boards.add(new Board(row.getString(1), row.getString(2), row.getString(3), row.getBoolean(4))));
            Set<String> imageColumns = columns(connection, "images");
            List<Image> images = new ArrayList<>();
            rows(connection, "SELECT i.image_name, "
                            + (imageColumns.contains("user_id") ? "COALESCE(i.user_id, 'system')" : "'system'") + ", "
                            + (imageColumns.contains("image_subfolder") ? "i.image_subfolder" : "''")
                            + ", b.board_id, COALESCE(i.is_intermediate, 0), COALESCE(i.starred, 0)"
                            + " FROM images i LEFT JOIN board_images b ON b.image_name = i.image_name",
                    row -> images.add(new Image(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                            row.getBoolean(5), row.getBoolean(6))));
            boolean workflowOwners = columns(connection, "workflow_library").contains("user_id");
            List<Workflow> workflows = new ArrayList<>();
            // Before its multi-user release InvokeAI had no owners: its upgrade makes them the system
            // user's, the user-category ones shared.
            rows(connection, "SELECT workflow_id, category, "
                            + (workflowOwners ? "COALESCE(user_id, 'system'), is_public" : "'system', category = 'user'")
                            + " FROM workflow_library",
                    row -> workflows.add(new Workflow(row.getString(1), row.getString(2), row.getString(3), row.getBoolean(4))));
            List<StylePreset> presets = new ArrayList<>();
            if (counts.containsKey("style_presets")) {
                boolean presetOwners = columns(connection, "style_presets").contains("user_id");
                rows(connection, "SELECT id, type, " + (presetOwners ? "COALESCE(user_id, 'system'), is_public" : "'system', 0")
                                + " FROM style_presets",
                        row -> presets.add(new StylePreset(row.getString(1), row.getString(2), row.getString(3), row.getBoolean(4))));
            }
            boolean queueOwners = columns(connection, "session_queue").contains("user_id");
            List<QueueItem> queue = new ArrayList<>();
            rows(connection, "SELECT item_id, " + (queueOwners ? "COALESCE(user_id, 'system')" : "'system'")
                            + ", status FROM session_queue ORDER BY item_id",
                    row -> queue.add(new QueueItem(row.getLong(1), row.getString(2), row.getString(3))));
            List<Model> models = new ArrayList<>();
            rows(connection, "SELECT id, type, format, base FROM models ORDER BY id",
                    row -> models.add(new Model(row.getString(1), row.getString(2), row.getString(3), row.getString(4))));
            return new DatabaseFacts(counts, integrity, users, boards, images, workflows, presets, queue, models);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Rows per table, sorted by name (SQLite's own bookkeeping left out). */
    static Map<String, Long> rowCounts(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        rows(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                row -> tables.add(row.getString(1)));
        Map<String, Long> counts = new TreeMap<>();
        for (String table : tables) {
            counts.put(table, Long.parseLong(text(connection, "SELECT COUNT(*) FROM \"" + table + "\"")));
        }
        return counts;
    }

    static Map<String, Long> rowCounts(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return rowCounts(connection);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String integrity(Path file) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            return text(connection, "PRAGMA integrity_check");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    Set<String> boardsVisibleTo(String userId, boolean admin) {
        Set<String> ids = new LinkedHashSet<>();
        boards.stream().filter(board -> admin || board.owner().equals(userId) || !board.visibility().equals("private"))
                .forEach(board -> ids.add(board.boardId()));
        return ids;
    }

    /** The whole gallery of a user: their own images; an administrator's: everyone's. */
    Set<String> galleryOf(String userId, boolean admin) {
        Set<String> names = new LinkedHashSet<>();
        images.stream().filter(image -> admin || image.owner().equals(userId)).forEach(image -> names.add(image.imageName()));
        return names;
    }

    /** A listing without filters: the default workflows and the user's own (an administrator: all). */
    Set<String> workflowsListedFor(String userId, boolean admin) {
        Set<String> ids = new LinkedHashSet<>();
        workflows.stream().filter(w -> admin || w.category().equals("default") || w.owner().equals(userId))
                .forEach(w -> ids.add(w.workflowId()));
        return ids;
    }

    Set<String> publicWorkflows() {
        Set<String> ids = new LinkedHashSet<>();
        workflows.stream().filter(w -> w.category().equals("user") && w.isPublic()).forEach(w -> ids.add(w.workflowId()));
        return ids;
    }

    Map<String, String> queueStatuses() {
        Map<String, String> statuses = new LinkedHashMap<>();
        queueItems.forEach(item -> statuses.put(Long.toString(item.itemId()), item.status()));
        return statuses;
    }

    private interface RowHandler {
        void accept(ResultSet row) throws SQLException;
    }

    private static void rows(Connection connection, String sql, RowHandler handler) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                handler.accept(rows);
            }
        }
    }

    private static String text(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static Set<String> columns(Connection connection, String table) throws SQLException {
        Set<String> names = new LinkedHashSet<>();
        rows(connection, "PRAGMA table_xinfo(" + table + ")", row -> names.add(row.getString("name")));
        return names;
    }
}

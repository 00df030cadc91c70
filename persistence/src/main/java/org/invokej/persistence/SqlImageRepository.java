package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.content.BoardFilter;
import org.invokej.core.content.Image;
import org.invokej.core.content.ImageCategory;
import org.invokej.core.content.ImageOrigin;
import org.invokej.core.content.ImageRepository;
import org.invokej.core.content.ImageService;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code images} and {@code board_images}. */
public final class SqlImageRepository implements ImageRepository {

    private static final String COLUMNS = "i.image_name, i.image_origin, i.image_category, i.width, i.height, i.session_id, "
            + "i.node_id, i.is_intermediate, i.starred, i.has_workflow, i.image_subfolder, i.user_id, i.created_at, "
            + "i.updated_at, bi.board_id";
    private static final String FROM = " FROM images i LEFT JOIN board_images bi ON bi.image_name = i.image_name";
    /** A board's listing starts from its memberships, so its cost follows the board's size, not the gallery's. */
    private static final String FROM_BOARD = " FROM board_images bi JOIN images i ON i.image_name = bi.image_name";
    private static final int CHUNK = 500;

    @Override
    public void insert(Tx tx, Image image, String metadata) {
        SqlTx.of(tx).insert("INSERT INTO images (image_name, image_origin, image_category, width, height, session_id, node_id, "
                        + "metadata, is_intermediate, starred, has_workflow, image_subfolder, user_id) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                image.imageName(), image.origin().wire(), image.category().wire(), image.width(), image.height(),
                image.sessionId(), image.nodeId(), metadata, image.intermediate(), image.starred(),
                image.hasWorkflow(), image.subfolder(), image.ownerId());
        if (image.boardId() != null) {
            setBoard(tx, image.imageName(), image.boardId());
        }
    }

    @Override
    public Optional<Image> find(Tx tx, String imageName) {
        return SqlTx.of(tx).get("SELECT " + COLUMNS + FROM + " WHERE i.image_name = ?", imageName).map(SqlImageRepository::image);
    }

    @Override
    public List<Image> findAll(Tx tx, Collection<String> imageNames) {
        List<String> names = imageNames.stream().distinct().toList();
        List<Image> found = new ArrayList<>();
        for (int start = 0; start < names.size(); start += CHUNK) {
            List<String> chunk = names.subList(start, Math.min(names.size(), start + CHUNK));
            try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT " + COLUMNS + FROM + " WHERE i.image_name IN ("
                    + SqlWhere.marks(chunk.size()) + ")", chunk.toArray())) {
                rows.map(SqlImageRepository::image).forEach(found::add);
            }
        }
        return found;
    }

    @Override
    public Optional<String> metadata(Tx tx, String imageName) {
        return SqlTx.of(tx).get("SELECT metadata FROM images WHERE image_name = ?", imageName)
                .map(row -> Columns.textOf(row, "metadata"));
    }

    @Override
    public Page list(Tx tx, Query query, int offset, int limit) {
        SqlWhere where = where(query);
        long total = SqlTx.of(tx).get("SELECT COUNT(*) AS n" + from(query) + where.sql(), where.params())
                .map(row -> Columns.longOf(row, "n")).orElse(0L);
        // A negative limit means "no limit", as InvokeAI passes it through.
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT " + COLUMNS + from(query) + where.sql() + order(query)
                + SqlTx.dialectOf(tx).page(limit, offset), where.params())) {
            return new Page(rows.map(SqlImageRepository::image).collect(Collectors.toCollection(ArrayList::new)), total);
        }
    }

    @Override
    public List<String> names(Tx tx, Query query) {
        SqlWhere where = where(query);
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT i.image_name" + from(query) + where.sql() + order(query), where.params())) {
            return rows.map(row -> Columns.textOf(row, "image_name")).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public long countStarred(Tx tx, Query query) {
        SqlWhere where = where(query).and("i.starred = TRUE");
        return SqlTx.of(tx).get("SELECT COUNT(*) AS n" + from(query) + where.sql(), where.params())
                .map(row -> Columns.longOf(row, "n")).orElse(0L);
    }

    @Override
    public List<ImageService.Day> days(Tx tx, Optional<String> owner) {
        SqlWhere where = new SqlWhere().and("is_intermediate = FALSE");
        owner.ifPresent(id -> where.and("user_id = ?", id));
        java.util.Map<String, String> covers = new java.util.HashMap<>();
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT day, image_name FROM (SELECT substr(created_at, 1, 10) AS day, "
                + "image_name, ROW_NUMBER() OVER (PARTITION BY substr(created_at, 1, 10) ORDER BY created_at DESC, "
                + "image_name DESC) AS newest FROM images" + where.sql() + ") AS d WHERE newest = 1", where.params())) {
            rows.forEach(row -> covers.put(Columns.textOf(row, "day"), Columns.textOf(row, "image_name")));
        }
        String assets = ImageCategory.ASSETS.stream().map(c -> "'" + c.wire() + "'").sorted().collect(Collectors.joining(", "));
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT substr(created_at, 1, 10) AS day, "
                + "SUM(CASE WHEN image_category = 'general' THEN 1 ELSE 0 END) AS images, "
                + "SUM(CASE WHEN image_category IN (" + assets + ") THEN 1 ELSE 0 END) AS assets "
                + "FROM images" + where.sql() + " GROUP BY day ORDER BY day DESC", where.params())) {
            return rows.map(row -> {
                String day = Columns.textOf(row, "day");
                return new ImageService.Day(java.time.LocalDate.parse(day), Columns.longOf(row, "images"),
                        Columns.longOf(row, "assets"), covers.get(day));
            }).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    private static String from(Query query) {
        return query.board() instanceof BoardFilter.On ? FROM_BOARD : FROM;
    }

    private static SqlWhere where(Query query) {
        SqlWhere where = new SqlWhere();
        if (query.origin() != null) {
            where.and("i.image_origin = ?", query.origin().wire());
        }
        where.in("i.image_category", query.categories().stream().map(ImageCategory::wire).sorted().toList());
        if (query.intermediate() != null) {
            where.and("i.is_intermediate = ?", query.intermediate());
        }
        switch (query.board()) {
            case BoardFilter.Any any -> {
            }
            case BoardFilter.Uncategorized none -> where.and("bi.board_id IS NULL");
            case BoardFilter.On on -> where.and("bi.board_id = ?", on.boardId());
        }
        query.owner().ifPresent(owner -> where.and("i.user_id = ?", owner));
        if (query.createdDate() != null) {
            // Timestamps are stored as UTC text ("YYYY-MM-DD HH:MM:SS.fff"), so a day is a range of them.
            where.and("i.created_at >= ? AND i.created_at < ?", query.createdDate().toString(),
                    query.createdDate().plusDays(1).toString());
        }
        if (query.searchTerm() != null && !query.searchTerm().isBlank()) {
            String pattern = SqlWhere.contains(query.searchTerm().toLowerCase(Locale.ROOT));
            where.and("(LOWER(i.metadata) LIKE ? ESCAPE '\\' OR i.created_at LIKE ? ESCAPE '\\')", pattern, pattern);
        }
        return where;
    }

    private static String order(Query query) {
        String direction = query.ascending() ? " ASC" : " DESC";
        return " ORDER BY " + (query.starredFirst() ? "i.starred DESC, " : "") + "i.created_at" + direction
                + ", i.image_name" + direction;
    }

    @Override
    public void update(Tx tx, Image image) {
        SqlTx.of(tx).update("UPDATE images SET image_category = ?, session_id = ?, is_intermediate = ?, starred = ? "
                        + "WHERE image_name = ?",
                image.category().wire(), image.sessionId(), image.intermediate(), image.starred(),
                image.imageName());
    }

    @Override
    public void delete(Tx tx, Collection<String> imageNames) {
        List<String> names = List.copyOf(imageNames);
        for (int start = 0; start < names.size(); start += CHUNK) {
            List<String> chunk = names.subList(start, Math.min(names.size(), start + CHUNK));
            SqlTx.of(tx).delete("DELETE FROM images WHERE image_name IN (" + SqlWhere.marks(chunk.size()) + ")", chunk.toArray());
        }
    }

    @Override
    public void setBoard(Tx tx, String imageName, String boardId) {
        SqlTx.of(tx).insert("INSERT INTO board_images (board_id, image_name) VALUES (?, ?) ON CONFLICT (image_name) "
                + "DO UPDATE SET board_id = excluded.board_id, updated_at = " + SqlTx.dialectOf(tx).now(), boardId, imageName);
    }

    @Override
    public void removeFromBoard(Tx tx, String imageName) {
        SqlTx.of(tx).delete("DELETE FROM board_images WHERE image_name = ?", imageName);
    }

    @Override
    public List<Image> onBoard(Tx tx, String boardId) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT " + COLUMNS + FROM_BOARD + " WHERE bi.board_id = ?", boardId)) {
            return rows.map(SqlImageRepository::image).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public int reassignOnBoard(Tx tx, String boardId, String fromUserId, String toUserId) {
        return (int) SqlTx.of(tx).update("UPDATE images SET user_id = ? WHERE user_id = ? AND image_name IN "
                + "(SELECT image_name FROM board_images WHERE board_id = ?)", toUserId, fromUserId, boardId);
    }

    @Override
    public int reassign(Tx tx, String fromUserId, String toUserId) {
        return (int) SqlTx.of(tx).update("UPDATE images SET user_id = ? WHERE user_id = ?", toUserId, fromUserId);
    }

    private static Image image(DbRow row) {
        return new Image(
                Columns.textOf(row, "image_name"),
                ImageOrigin.of(Columns.textOf(row, "image_origin")),
                ImageCategory.of(Columns.textOf(row, "image_category")),
                Columns.intOf(row, "width"),
                Columns.intOf(row, "height"),
                Columns.textOf(row, "session_id"),
                Columns.textOf(row, "node_id"),
                Columns.boolOf(row, "is_intermediate"),
                Columns.boolOf(row, "starred"),
                Columns.boolOf(row, "has_workflow"),
                Optional.ofNullable(Columns.textOf(row, "image_subfolder")).orElse(""),
                Columns.textOf(row, "user_id"),
                Columns.textOf(row, "board_id"),
                Timestamps.parse(Columns.textOf(row, "created_at")),
                Timestamps.parse(Columns.textOf(row, "updated_at")));
    }
}

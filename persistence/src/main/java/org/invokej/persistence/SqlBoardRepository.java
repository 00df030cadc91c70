package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.content.Board;
import org.invokej.core.content.BoardRepository;
import org.invokej.core.content.BoardSummary;
import org.invokej.core.content.BoardVisibility;
import org.invokej.core.content.ContentAccess;
import org.invokej.core.content.ImageCategory;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code boards}, with the computed cover and counts of InvokeAI's BoardDTO. */
public final class SqlBoardRepository implements BoardRepository {

    private static final String COLUMNS = "b.board_id, b.board_name, b.user_id, b.created_at, b.updated_at, b.archived, b.board_visibility";
    private static final String ON_BOARD = "FROM board_images bi JOIN images i ON i.image_name = bi.image_name "
            + "WHERE bi.board_id = b.board_id AND i.is_intermediate = FALSE";
    private static final String ASSETS = ImageCategory.ASSETS.stream().map(c -> "'" + c.wire() + "'").sorted()
            .collect(Collectors.joining(", "));
    private static final String SUMMARY = "SELECT " + COLUMNS
            + ", (SELECT i.image_name " + ON_BOARD + " ORDER BY i.starred DESC, i.created_at DESC LIMIT 1) AS cover_image_name"
            + ", (SELECT COUNT(*) " + ON_BOARD + " AND i.image_category = 'general') AS image_count"
            + ", (SELECT COUNT(*) " + ON_BOARD + " AND i.image_category IN (" + ASSETS + ")) AS asset_count"
            + " FROM boards b";
    /** {@link ContentAccess#canRead(org.invokej.core.Actor, Board)} in SQL: administrator, owner, or a visibility readable by all. */
    private static final String VISIBLE = "(? = 1 OR b.user_id = ? OR b.board_visibility IN ("
            + ContentAccess.READABLE_BY_EVERYONE.stream().map(v -> "'" + v.wire() + "'").sorted().collect(Collectors.joining(", "))
            + "))";
    private static final int CHUNK = 500;

    @Override
    public void insert(Tx tx, String boardId, String name, String ownerId) {
        SqlTx.of(tx).insert("INSERT INTO boards (board_id, board_name, user_id) VALUES (?, ?, ?)", boardId, name, ownerId);
    }

    @Override
    public Optional<Board> find(Tx tx, String boardId) {
        return SqlTx.of(tx).get("SELECT " + COLUMNS + " FROM boards b WHERE b.board_id = ?", boardId).map(SqlBoardRepository::board);
    }

    @Override
    public Map<String, Board> findAll(Tx tx, Collection<String> boardIds) {
        List<String> ids = boardIds.stream().distinct().toList();
        Map<String, Board> found = new LinkedHashMap<>();
        for (int start = 0; start < ids.size(); start += CHUNK) {
            List<String> chunk = ids.subList(start, Math.min(ids.size(), start + CHUNK));
            try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT " + COLUMNS + " FROM boards b WHERE b.board_id IN ("
                    + SqlWhere.marks(chunk.size()) + ")", chunk.toArray())) {
                rows.map(SqlBoardRepository::board).forEach(board -> found.put(board.boardId(), board));
            }
        }
        return found;
    }

    @Override
    public List<BoardSummary> list(Tx tx, ContentAccess.Viewer viewer, Query query) {
        SqlWhere where = new SqlWhere().and(VISIBLE, viewer.admin() ? 1 : 0, viewer.userId());
        if (!query.includeArchived()) {
            where.and("b.archived = FALSE");
        }
        String direction = query.ascending() ? " ASC" : " DESC";
        String order = query.byName() ? "LOWER(b.board_name)" + direction + ", b.board_name" + direction
                : "b.created_at" + direction;
        String page = query.limit() == null ? "" : " LIMIT " + query.limit() + " OFFSET " + query.offset();
        try (Stream<DbRow> rows = SqlTx.of(tx).query(SUMMARY + where.sql() + " ORDER BY " + order + ", b.board_id" + page,
                where.params())) {
            return rows.map(SqlBoardRepository::summary).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public Optional<BoardSummary> summary(Tx tx, String boardId) {
        return SqlTx.of(tx).get(SUMMARY + " WHERE b.board_id = ?", boardId).map(SqlBoardRepository::summary);
    }

    @Override
    public void update(Tx tx, Board board, String coverImageName) {
        SqlTx.of(tx).update("UPDATE boards SET board_name = ?, archived = ?, board_visibility = ?, is_public = ? WHERE board_id = ?",
                board.name(), board.archived(), board.visibility().wire(),
                board.visibility() == BoardVisibility.PUBLIC, board.boardId());
        if (coverImageName != null) {
            SqlTx.of(tx).update("UPDATE boards SET cover_image_name = ? WHERE board_id = ?", coverImageName, board.boardId());
        }
    }

    @Override
    public void delete(Tx tx, String boardId) {
        SqlTx.of(tx).delete("DELETE FROM boards WHERE board_id = ?", boardId);
    }

    @Override
    public void setOwner(Tx tx, String boardId, String ownerId) {
        SqlTx.of(tx).update("UPDATE boards SET user_id = ? WHERE board_id = ?", ownerId, boardId);
    }

    @Override
    public int reassign(Tx tx, String fromUserId, String toUserId) {
        return (int) SqlTx.of(tx).update("UPDATE boards SET user_id = ? WHERE user_id = ?", toUserId, fromUserId);
    }

    private static Board board(DbRow row) {
        return new Board(
                Columns.textOf(row, "board_id"),
                Columns.textOf(row, "board_name"),
                Columns.textOf(row, "user_id"),
                Timestamps.parse(Columns.textOf(row, "created_at")),
                Timestamps.parse(Columns.textOf(row, "updated_at")),
                Columns.boolOf(row, "archived"),
                BoardVisibility.of(Columns.textOf(row, "board_visibility")));
    }

    private static BoardSummary summary(DbRow row) {
        return new BoardSummary(board(row), Columns.textOf(row, "cover_image_name"), Columns.intOf(row, "image_count"),
                Columns.intOf(row, "asset_count"), null);
    }
}

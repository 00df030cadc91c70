package org.invokej.http.fakes;

import org.invokej.core.Actor;
import org.invokej.core.content.Board;
import org.invokej.core.content.BoardFilter;
import org.invokej.core.content.BoardRepository;
import org.invokej.core.content.BoardSummary;
import org.invokej.core.content.BoardVisibility;
import org.invokej.core.content.ContentAccess;
import org.invokej.core.content.Image;
import org.invokej.core.content.ImageCategory;
import org.invokej.core.content.ImageRepository;
import org.invokej.core.store.Tx;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code boards} in memory, with the cover and counts computed from {@link MemoryImages} as the SQL does. */
public final class MemoryBoards implements BoardRepository {

    private final MemoryStore.Table<String, Board> boards;
    private final MemoryImages images;
    private final Clock clock;

    public MemoryBoards(MemoryStore store, MemoryImages images, Clock clock) {
        this.boards = store.table();
        this.images = images;
        this.clock = clock;
    }

    @Override
    public void insert(Tx tx, String boardId, String name, String ownerId) {
        Instant now = clock.instant();
        boards.rows().put(boardId, new Board(boardId, name, ownerId, now, now, false, BoardVisibility.PRIVATE));
    }

    @Override
    public Optional<Board> find(Tx tx, String boardId) {
        return Optional.ofNullable(boards.rows().get(boardId));
    }

    @Override
    public Map<String, Board> findAll(Tx tx, Collection<String> boardIds) {
        Map<String, Board> found = new LinkedHashMap<>();
        boardIds.forEach(id -> find(tx, id).ifPresent(board -> found.put(id, board)));
        return found;
    }

    @Override
    public List<BoardSummary> list(Tx tx, ContentAccess.Viewer viewer, Query query) {
        Actor actor = new Actor(viewer.userId(), "", "", viewer.admin());
        Comparator<Board> order = query.byName()
                ? Comparator.comparing((Board board) -> board.name().toLowerCase(Locale.ROOT)).thenComparing(Board::name)
                : Comparator.comparing(Board::createdAt);
        order = order.thenComparing(Board::boardId);
        if (!query.ascending()) {
            order = order.reversed();
        }
        return boards.rows().values().stream()
                .filter(board -> ContentAccess.canRead(actor, board))
                .filter(board -> query.includeArchived() || !board.archived())
                .sorted(order)
                .skip(query.offset() == null ? 0 : query.offset())
                .limit(query.limit() == null ? Long.MAX_VALUE : query.limit())
                .map(board -> summary(tx, board))
                .toList();
    }

    @Override
    public Optional<BoardSummary> summary(Tx tx, String boardId) {
        return find(tx, boardId).map(board -> summary(tx, board));
    }

    private BoardSummary summary(Tx tx, Board board) {
        List<Image> shown = images.list(tx, new ImageRepository.Query(null, Set.of(), false, new BoardFilter.On(board.boardId()),
                Optional.empty(), false, true, null, null), 0, -1).items();
        int general = (int) shown.stream().filter(image -> image.category() == ImageCategory.GENERAL).count();
        int assets = (int) shown.stream().filter(image -> ImageCategory.ASSETS.contains(image.category())).count();
        return new BoardSummary(board, shown.isEmpty() ? null : shown.getFirst().imageName(), general, assets, null);
    }

    @Override
    public void update(Tx tx, Board board, String coverImageName) {
        Board old = boards.rows().get(board.boardId());
        if (old != null) {
            boards.rows().put(board.boardId(), new Board(old.boardId(), board.name(), old.ownerId(), old.createdAt(), clock.instant(),
                    board.archived(), board.visibility()));
        }
    }

    @Override
    public void delete(Tx tx, String boardId) {
        boards.rows().remove(boardId);
        images.boardDeleted(boardId);
    }

    @Override
    public void setOwner(Tx tx, String boardId, String ownerId) {
        find(tx, boardId).ifPresent(old -> boards.rows().put(boardId, new Board(old.boardId(), old.name(), ownerId, old.createdAt(),
                clock.instant(), old.archived(), old.visibility())));
    }

    @Override
    public int reassign(Tx tx, String fromUserId, String toUserId) {
        List<String> owned = boards.rows().values().stream().filter(board -> board.ownerId().equals(fromUserId)).map(Board::boardId).toList();
        owned.forEach(id -> setOwner(tx, id, toUserId));
        return owned.size();
    }
}

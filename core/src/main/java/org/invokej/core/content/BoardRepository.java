package org.invokej.core.content;

import org.invokej.core.store.Tx;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code boards} table. */
public interface BoardRepository {

    /** How a board listing is ordered and cut. */
    record Query(boolean byName, boolean ascending, boolean includeArchived, Integer offset, Integer limit) {
    }

    void insert(Tx tx, String boardId, String name, String ownerId);

    Optional<Board> find(Tx tx, String boardId);

    /** The boards with these ids, keyed by id; unknown ids are left out. */
    Map<String, Board> findAll(Tx tx, Collection<String> boardIds);

    /** The boards {@code viewer} may see ({@link ContentAccess#canRead(org.invokej.core.Actor, Board)}), filtered in SQL. */
    List<BoardSummary> list(Tx tx, ContentAccess.Viewer viewer, Query query);

    Optional<BoardSummary> summary(Tx tx, String boardId);

    /** Writes name, archived flag and visibility; {@code coverImageName} too when not null. */
    void update(Tx tx, Board board, String coverImageName);

    void delete(Tx tx, String boardId);

    /** Gives a board to another owner. */
    void setOwner(Tx tx, String boardId, String ownerId);

    /** Gives every board of {@code fromUserId} to {@code toUserId}; returns how many. */
    int reassign(Tx tx, String fromUserId, String toUserId);
}

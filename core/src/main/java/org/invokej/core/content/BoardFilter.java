package org.invokej.core.content;

/** Which board an image listing is about: any, none (uncategorized images), or one board. */
public sealed interface BoardFilter {

    /** Images on any board or none. */
    record Any() implements BoardFilter {
    }

    /** Images on no board. */
    record Uncategorized() implements BoardFilter {
    }

    /** Images on {@code boardId}. */
    record On(String boardId) implements BoardFilter {
    }

    /** The filter for an API {@code board_id} parameter: absent = any, {@code none} = uncategorized. */
    static BoardFilter of(String boardId) {
        if (boardId == null) {
            return new Any();
        }
        return boardId.equals("none") ? new Uncategorized() : new On(boardId);
    }
}

package org.invokej.http.content;

import org.invokej.core.content.Board;
import org.invokej.core.content.BoardSummary;
import org.invokej.http.ApiTimes;

/** InvokeAI's {@code BoardDTO} (no videos here: their fields are null and 0). */
public record BoardDto(
        String boardId,
        String boardName,
        String userId,
        String createdAt,
        String updatedAt,
        String deletedAt,
        String coverImageName,
        String coverVideoName,
        boolean archived,
        String boardVisibility,
        int imageCount,
        int videoCount,
        int assetCount,
        String ownerUsername) {

    public static BoardDto of(BoardSummary summary) {
        Board board = summary.board();
        return new BoardDto(board.boardId(), board.name(), board.ownerId(), ApiTimes.sqlite(board.createdAt()),
                ApiTimes.sqlite(board.updatedAt()), null, summary.coverImageName(), null, board.archived(),
                board.visibility().wire(), summary.imageCount(), 0, summary.assetCount(), summary.ownerName());
    }
}

package org.invokej.core.content;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.audit.AuditAction;
import org.invokej.core.audit.Auditor;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;
import org.invokej.core.users.ContentHandover;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;

/**
 * Beyond InvokeAI: administrators hand content to another user, e.g. a leaving user's, or the
 * {@code system} user's legacy content from single-user days. Each transfer is one write transaction
 * with its audit entry.
 */
public final class ContentTransfer implements ContentHandover {

    /** What a user-wide transfer moved. */
    public record Moved(int boards, int images, int workflows) {
    }

    private final Transactions transactions;
    private final BoardRepository boards;
    private final ImageRepository images;
    private final WorkflowRepository workflows;
    private final UserRepository users;
    private final Auditor auditor;

    public ContentTransfer(Transactions transactions, BoardRepository boards, ImageRepository images,
                           WorkflowRepository workflows, UserRepository users, Auditor auditor) {
        this.transactions = transactions;
        this.boards = boards;
        this.images = images;
        this.workflows = workflows;
        this.users = users;
        this.auditor = auditor;
    }

    /**
     * Gives a board to {@code toUserId}, with the images on it that belonged to the board's owner
     * (other users' images on a public board stay theirs).
     */
    public Board transferBoard(Actor actor, String boardId, String toUserId, String client) {
        ContentAccess.requireTransfer(actor);
        return transactions.write(tx -> {
            Board board = boards.find(tx, boardId).orElseThrow(() -> DomainException.notFound("Board not found"));
            User to = target(tx, toUserId);
            int moved = board.ownerId().equals(to.userId()) ? 0
                    : images.reassignOnBoard(tx, boardId, board.ownerId(), to.userId());
            boards.setOwner(tx, boardId, to.userId());
            auditor.record(tx, actor, client, AuditAction.CONTENT_TRANSFERRED, to.userId(), to.email(),
                    "board " + boardId + " (" + board.name() + ") from " + board.ownerId() + " with " + moved + " image(s)");
            return boards.find(tx, boardId).orElseThrow();
        });
    }

    /** Gives every board, image and workflow of {@code fromUserId} to {@code toUserId}. */
    public Moved transferAll(Actor actor, String fromUserId, String toUserId, String client) {
        ContentAccess.requireTransfer(actor);
        return transactions.write(tx -> {
            User from = users.find(tx, fromUserId).orElseThrow(() -> DomainException.notFound("User not found"));
            return moveAll(tx, actor, from, target(tx, toUserId), client);
        });
    }

    @Override
    public void handOver(Tx tx, Actor actor, User from, User to, String client) {
        ContentAccess.requireTransfer(actor);
        moveAll(tx, actor, from, to, client);
    }

    private Moved moveAll(Tx tx, Actor actor, User from, User to, String client) {
        if (from.userId().equals(to.userId())) {
            throw DomainException.invalid("Cannot transfer a user's content to that same user");
        }
        Moved moved = new Moved(boards.reassign(tx, from.userId(), to.userId()),
                images.reassign(tx, from.userId(), to.userId()),
                workflows.reassign(tx, from.userId(), to.userId()));
        auditor.record(tx, actor, client, AuditAction.CONTENT_TRANSFERRED, to.userId(), to.email(),
                "from " + from.userId() + " (" + from.email() + "): " + moved.boards() + " board(s), "
                        + moved.images() + " image(s), " + moved.workflows() + " workflow(s)");
        return moved;
    }

    private User target(Tx tx, String toUserId) {
        if (toUserId == null || toUserId.isBlank()) {
            throw DomainException.unprocessable("Field required: to_user_id");
        }
        return users.find(tx, toUserId).orElseThrow(() -> DomainException.notFound("Transfer target user not found"));
    }
}

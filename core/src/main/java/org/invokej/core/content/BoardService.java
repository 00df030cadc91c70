package org.invokej.core.content;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Boards: create, list, read, change and delete them, with the rules of {@link ContentAccess}. */
public final class BoardService {

    /** A board's changes; null fields stay as they are. */
    public record Changes(String name, String coverImageName, Boolean archived, BoardVisibility visibility) {
    }

    /** What deleting a board did: images taken off it, and images deleted with it. */
    public record Deleted(String boardId, List<String> detachedImages, List<String> deletedImages) {
    }

    private final Transactions transactions;
    private final BoardRepository boards;
    private final ImageRepository images;
    private final ImageFiles files;
    private final UserRepository users;
    private final boolean multiuser;

    public BoardService(Transactions transactions, BoardRepository boards, ImageRepository images, ImageFiles files,
                        UserRepository users, boolean multiuser) {
        this.transactions = transactions;
        this.boards = boards;
        this.images = images;
        this.files = files;
        this.users = users;
        this.multiuser = multiuser;
    }

    /** A new private board owned by the caller. */
    public BoardSummary create(Actor actor, String name) {
        checkName(name);
        String id = UUID.randomUUID().toString();
        return transactions.write(tx -> {
            boards.insert(tx, id, name, actor.userId());
            return boards.summary(tx, id).orElseThrow();
        });
    }

    /**
     * The boards the caller may see. Administrators' listings in multi-user mode name each board's
     * owner (display name, else email), looked up in one batch.
     */
    public List<BoardSummary> list(Actor actor, BoardRepository.Query query) {
        return transactions.read(tx -> {
            List<BoardSummary> found = boards.list(tx, ContentAccess.viewer(actor), query);
            if (!(multiuser && actor.admin())) {
                return found;
            }
            Map<String, User> owners = users.findAll(tx, found.stream().map(summary -> summary.board().ownerId()).toList());
            return found.stream().map(summary -> Optional.ofNullable(owners.get(summary.board().ownerId()))
                    .map(owner -> summary.withOwnerName(owner.label())).orElse(summary)).toList();
        });
    }

    public BoardSummary get(Actor actor, String boardId) {
        return transactions.read(tx -> {
            ContentAccess.requireRead(actor, find(tx, boardId));
            return boards.summary(tx, boardId).orElseThrow();
        });
    }

    /** Renames, archives or changes the visibility of a board (its owner or an administrator). */
    public BoardSummary update(Actor actor, String boardId, Changes changes) {
        if (changes.name() != null) {
            checkName(changes.name());
        }
        return transactions.write(tx -> {
            Board board = find(tx, boardId);
            ContentAccess.requireManage(actor, board, "update");
            Board updated = new Board(board.boardId(), changes.name() != null ? changes.name() : board.name(), board.ownerId(),
                    board.createdAt(), board.updatedAt(), changes.archived() != null ? changes.archived() : board.archived(),
                    changes.visibility() != null ? changes.visibility() : board.visibility());
            String cover = changes.coverImageName() != null && images.find(tx, changes.coverImageName()).isPresent()
                    ? changes.coverImageName() : null;
            boards.update(tx, updated, cover);
            return boards.summary(tx, boardId).orElseThrow();
        });
    }

    /**
     * Deletes a board (its owner or an administrator). Its images become uncategorized, or with
     * {@code includeImages} the caller's own images on it are deleted too (an administrator's: all).
     */
    public Deleted delete(Actor actor, String boardId, boolean includeImages) {
        record Plan(List<Image> deleted, List<String> detached) {
        }
        Plan plan = transactions.write(tx -> {
            Board board = find(tx, boardId);
            ContentAccess.requireManage(actor, board, "delete");
            List<Image> deleted = new ArrayList<>();
            List<String> detached = new ArrayList<>();
            for (Image image : images.onBoard(tx, boardId)) {
                if (includeImages && ContentAccess.deletesWithBoard(actor, image)) {
                    deleted.add(image);
                } else {
                    detached.add(image.imageName());
                }
            }
            images.delete(tx, deleted.stream().map(Image::imageName).toList());
            boards.delete(tx, boardId);
            return new Plan(deleted, detached);
        });
        ImageService.deleteFiles(files, plan.deleted());
        return new Deleted(boardId, includeImages ? List.of() : plan.detached(),
                plan.deleted().stream().map(Image::imageName).toList());
    }

    /**
     * The names of the images on a board, or ({@code none}) of the uncategorized images the caller may
     * see: their own, or everyone's for administrators.
     */
    public List<String> imageNames(Actor actor, String boardId, Set<ImageCategory> categories, Boolean intermediate) {
        return transactions.read(tx -> {
            BoardFilter filter = BoardFilter.of(boardId);
            Optional<String> owner = ContentAccess.galleryOwner(actor);
            if (filter instanceof BoardFilter.On on) {
                ContentAccess.requireRead(actor, find(tx, on.boardId()));
                owner = Optional.empty();
            }
            return images.names(tx, new ImageRepository.Query(null, categories, intermediate, filter, owner,
                    false, false, null, null));
        });
    }

    private Board find(Tx tx, String boardId) {
        return boards.find(tx, boardId).orElseThrow(() -> DomainException.notFound("Board not found"));
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw DomainException.unprocessable("board_name must not be empty");
        }
        if (name.codePointCount(0, name.length()) > Board.MAX_NAME) {
            throw DomainException.unprocessable("board_name must be at most " + Board.MAX_NAME + " characters");
        }
    }
}

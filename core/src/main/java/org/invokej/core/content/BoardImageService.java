package org.invokej.core.content;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which board an image is on ({@code board_images}). Putting an image on a board needs the right to
 * write to the board and direct ownership of the image; taking it off needs the right to write to its
 * board, or ownership of the image. A batch is checked whole before anything changes.
 */
public final class BoardImageService {

    /** What changed: the boards whose contents changed (board ids, {@code none} for uncategorized) and the images. */
    public record Moved(Set<String> affectedBoards, List<String> images) {
    }

    private final Transactions transactions;
    private final BoardRepository boards;
    private final ImageRepository images;

    public BoardImageService(Transactions transactions, BoardRepository boards, ImageRepository images) {
        this.transactions = transactions;
        this.boards = boards;
        this.images = images;
    }

    /** Puts one image on a board (moving it off any other); 403/404 when refused. */
    public Moved add(Actor actor, String boardId, String imageName) {
        return transactions.write(tx -> {
            Board board = writableBoard(tx, actor, boardId);
            Image image = known(tx, actor, imageName, "Not authorized to move this image");
            return addAll(tx, actor, board, List.of(image));
        });
    }

    /** Puts images on a board; unknown names are skipped, one image the caller may not move refuses all. */
    public Moved addMany(Actor actor, String boardId, Collection<String> imageNames) {
        return transactions.write(tx -> {
            Board board = writableBoard(tx, actor, boardId);
            return addAll(tx, actor, board, images.findAll(tx, valid(imageNames)));
        });
    }

    private Moved addAll(Tx tx, Actor actor, Board board, List<Image> found) {
        Set<String> affected = new LinkedHashSet<>();
        affected.add(board.boardId());
        List<String> added = new ArrayList<>();
        for (Image image : found) {
            if (!ContentAccess.canMove(actor, image)) {
                throw DomainException.forbidden("Not authorized to move this image");
            }
        }
        for (Image image : found) {
            affected.add(image.boardId() == null ? ImageService.NO_BOARD : image.boardId());
            images.setBoard(tx, image.imageName(), board.boardId());
            added.add(image.imageName());
        }
        return new Moved(affected, added);
    }

    /** Takes one image off its board. */
    public Moved remove(Actor actor, String imageName) {
        return transactions.write(tx -> removeAll(tx, actor,
                List.of(known(tx, actor, imageName, "Not authorized to modify this board"))));
    }

    /** Takes images off their boards; unknown names are skipped, one the caller may not detach refuses all. */
    public Moved removeMany(Actor actor, Collection<String> imageNames) {
        return transactions.write(tx -> removeAll(tx, actor, images.findAll(tx, valid(imageNames))));
    }

    private Moved removeAll(Tx tx, Actor actor, List<Image> found) {
        Map<String, Board> onBoards = ImageService.boardsOf(boards, tx, found);
        for (Image image : found) {
            if (!ContentAccess.canDetach(actor, image, onBoards.get(image.boardId()))) {
                throw DomainException.forbidden("Not authorized to modify this board");
            }
        }
        Set<String> affected = new LinkedHashSet<>();
        affected.add(ImageService.NO_BOARD);
        List<String> removed = new ArrayList<>();
        for (Image image : found) {
            affected.add(image.boardId() == null ? ImageService.NO_BOARD : image.boardId());
            images.removeFromBoard(tx, image.imageName());
            removed.add(image.imageName());
        }
        return new Moved(affected, removed);
    }

    private Board writableBoard(Tx tx, Actor actor, String boardId) {
        Board board = boards.find(tx, boardId).orElseThrow(() -> DomainException.notFound("Board not found"));
        ContentAccess.requireWrite(actor, board, "Not authorized to modify this board");
        return board;
    }

    /** The image; an unknown one is 403 {@code refusal} to non-administrators (existence is not revealed), 404 to administrators. */
    private Image known(Tx tx, Actor actor, String imageName, String refusal) {
        return ImageService.lookup(images, tx, actor, imageName, refusal).orElseThrow(ImageService::notFound);
    }

    private static List<String> valid(Collection<String> names) {
        return new LinkedHashSet<>(names).stream().filter(Image::isValidName).toList();
    }
}

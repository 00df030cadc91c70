package org.invokej.core.content;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.prompts.StylePreset;
import org.invokej.core.prompts.SystemPrompt;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who may see and change boards, images and workflows: the one place these rules live. Services call
 * the {@code can…}/{@code require…} methods for single things; listings pass a {@link Viewer} or an
 * owner filter from here into the repository, whose SQL applies the same rule (so nothing leaks through
 * totals, counts or covers). Administrators pass every check; in single-user mode everyone acts as the
 * {@code system} administrator.
 *
 * <p>Follows InvokeAI's multi-user rules with two deliberate differences that remove its
 * inconsistencies: a board's owner may read every image on their board (InvokeAI lists them but refuses
 * to show them one by one), and an image's owner may take their image off any board (InvokeAI lets them
 * do so only for videos).
 */
public final class ContentAccess {

    /** The visibilities that let every user see a board and read the images on it. */
    public static final Set<BoardVisibility> READABLE_BY_EVERYONE = EnumSet.of(BoardVisibility.SHARED, BoardVisibility.PUBLIC);

    /** Whose listing it is, for the repositories' SQL filters. */
    public record Viewer(String userId, boolean admin) {
    }

    private ContentAccess() {
    }

    public static Viewer viewer(Actor actor) {
        return new Viewer(actor.userId(), actor.admin());
    }

    // Boards

    /** See the board and read everything on it: owner, administrators, and everyone on shared/public boards. */
    public static boolean canRead(Actor actor, Board board) {
        return actor.admin() || actor.owns(board.ownerId()) || READABLE_BY_EVERYONE.contains(board.visibility());
    }

    /** Rename, archive, change visibility, delete: owner and administrators only (also on public boards). */
    public static boolean canManage(Actor actor, Board board) {
        return actor.admin() || actor.owns(board.ownerId());
    }

    /** Put images on the board, upload to it, take images off it: owner, administrators, anyone on a public board. */
    public static boolean canWrite(Actor actor, Board board) {
        return canManage(actor, board) || board.visibility() == BoardVisibility.PUBLIC;
    }

    public static void requireRead(Actor actor, Board board) {
        if (!canRead(actor, board)) {
            throw DomainException.forbidden("Not authorized to access this board");
        }
    }

    /** @param verb {@code update} or {@code delete}, for InvokeAI's message */
    public static void requireManage(Actor actor, Board board, String verb) {
        if (!canManage(actor, board)) {
            throw DomainException.forbidden("Not authorized to " + verb + " this board");
        }
    }

    public static void requireWrite(Actor actor, Board board, String message) {
        if (!canWrite(actor, board)) {
            throw DomainException.forbidden(message);
        }
    }

    // Images; {@code board} is the board the image is on, null when it is uncategorized.

    /** Read an image and its files: its owner, administrators, and whoever may read the board it is on. */
    public static boolean canRead(Actor actor, Image image, Board board) {
        return actor.admin() || actor.owns(image.ownerId()) || (board != null && canRead(actor, board));
    }

    /** Change, star or delete an image: its owner, administrators, and whoever may write to the board it is on. */
    public static boolean canMutate(Actor actor, Image image, Board board) {
        return actor.admin() || actor.owns(image.ownerId()) || (board != null && canWrite(actor, board));
    }

    /**
     * Put an image on a board: only its direct owner (or an administrator). Owning the board is not
     * enough, or anyone could pull another user's image onto their board to gain rights over it.
     */
    public static boolean canMove(Actor actor, Image image) {
        return actor.admin() || actor.owns(image.ownerId());
    }

    /** Take an image off the board it is on: whoever may write to that board, or the image's owner. */
    public static boolean canDetach(Actor actor, Image image, Board board) {
        return canMove(actor, image) || (board != null && canWrite(actor, board));
    }

    /** Deleting a board with its images deletes the caller's own images on it (an administrator's: all). */
    public static boolean deletesWithBoard(Actor actor, Image image) {
        return canMove(actor, image);
    }

    public static void requireRead(Actor actor, Image image, Board board) {
        if (!canRead(actor, image, board)) {
            throw DomainException.forbidden("Not authorized to access this image");
        }
    }

    public static void requireMutate(Actor actor, Image image, Board board) {
        if (!canMutate(actor, image, board)) {
            throw DomainException.forbidden("Not authorized to modify this image");
        }
    }

    /**
     * Whose images a listing without a specific board shows (the whole gallery, or uncategorized
     * images): the caller's own, or everyone's for administrators. A listing of one board shows every
     * image on it once the board may be read, so it takes no owner filter.
     */
    public static Optional<String> galleryOwner(Actor actor) {
        return actor.admin() ? Optional.empty() : Optional.of(actor.userId());
    }

    /** Clear every intermediate image of every user: administrators only. */
    public static void requireClearIntermediates(Actor actor) {
        if (!actor.admin()) {
            throw DomainException.forbidden("Only admins can clear all intermediates");
        }
    }

    // Workflows

    /** Read a workflow: owner, administrators, and everyone for public and default workflows. */
    public static boolean canRead(Actor actor, Workflow workflow) {
        return actor.admin() || actor.owns(workflow.ownerId()) || workflow.isPublic() || workflow.isDefault();
    }

    /** Change or delete a workflow: its owner and administrators. */
    public static boolean canWrite(Actor actor, Workflow workflow) {
        return actor.admin() || actor.owns(workflow.ownerId());
    }

    public static void requireRead(Actor actor, Workflow workflow) {
        if (!canRead(actor, workflow)) {
            throw DomainException.forbidden("Not authorized to access this workflow");
        }
    }

    /** @param verb {@code update} or {@code delete}, for InvokeAI's message */
    public static void requireWrite(Actor actor, Workflow workflow, String verb) {
        if (!canWrite(actor, workflow)) {
            throw DomainException.forbidden("Not authorized to " + verb + " this workflow");
        }
    }

    /**
     * Whose workflows a listing is limited to, besides the default ones: for non-administrators asking
     * about the {@code user} category (no category filter, or {@code user} among them) without
     * {@code is_public=true}, their own. With {@code is_public=true} the listing is every user's public
     * workflows; other listings are unfiltered.
     */
    public static Optional<String> workflowOwner(Actor actor, Collection<String> categories, Boolean isPublic) {
        boolean concernsUser = categories.isEmpty() || categories.contains(Workflow.USER_CATEGORY);
        if (actor.admin() || !concernsUser || Boolean.TRUE.equals(isPublic)) {
            return Optional.empty();
        }
        return Optional.of(actor.userId());
    }

    // Style presets

    /** Whose style presets a listing shows besides the default and public ones: the caller's; all for administrators. */
    public static Optional<String> presetViewer(Actor actor) {
        return actor.admin() ? Optional.empty() : Optional.of(actor.userId());
    }

    /** Read a preset: administrators, everyone for default and public presets, the owner. */
    public static boolean canRead(Actor actor, StylePreset preset) {
        return actor.admin() || preset.type().equals(StylePreset.DEFAULT) || preset.isPublic() || actor.owns(preset.ownerId());
    }

    public static void requireRead(Actor actor, StylePreset preset) {
        if (!canRead(actor, preset)) {
            throw DomainException.forbidden("Not authorized to access this style preset");
        }
    }

    /** Change or delete a preset: administrators; owners of user presets (default ones are the administrators' catalogue). */
    public static void requireWrite(Actor actor, StylePreset preset) {
        if (actor.admin()) {
            return;
        }
        if (preset.type().equals(StylePreset.DEFAULT)) {
            throw DomainException.forbidden("Default style presets cannot be modified");
        }
        if (!actor.owns(preset.ownerId())) {
            throw DomainException.forbidden("Not authorized to modify this style preset");
        }
    }

    public static void requireCreatePreset(Actor actor, String type) {
        if (type.equals(StylePreset.DEFAULT) && !actor.admin()) {
            throw DomainException.forbidden("Only admins can create default presets");
        }
    }

    // System prompts

    /** Whose private system prompts a listing shows besides the public ones: the caller's; all for administrators. */
    public static Optional<String> promptViewer(Actor actor) {
        return actor.admin() ? Optional.empty() : Optional.of(actor.userId());
    }

    public static void requireRead(Actor actor, SystemPrompt prompt) {
        if (!(actor.admin() || prompt.isPublic() || actor.owns(prompt.ownerId()))) {
            throw DomainException.forbidden("Not authorized to access this system prompt");
        }
    }

    /** @param verb {@code update} or {@code delete}, for InvokeAI's message */
    public static void requireWrite(Actor actor, SystemPrompt prompt, String verb) {
        if (!(actor.admin() || actor.owns(prompt.ownerId()))) {
            throw DomainException.forbidden("Not authorized to " + verb + " this system prompt");
        }
    }

    // Bulk downloads

    /** Fetch a prepared zip: whoever asked for it, and administrators. */
    public static void requireDownload(Actor actor, String requesterId) {
        if (!(actor.admin() || actor.owns(requesterId))) {
            throw DomainException.forbidden("Not authorized to access this download");
        }
    }

    // Administration

    public static void requireAdmin(Actor actor) {
        if (!actor.admin()) {
            throw DomainException.forbidden("Admin privileges required");
        }
    }

    // Transfers

    /** Hand content from one user to another: administrators only. */
    public static void requireTransfer(Actor actor) {
        if (!actor.admin()) {
            throw DomainException.forbidden("Admin privileges required");
        }
    }
}

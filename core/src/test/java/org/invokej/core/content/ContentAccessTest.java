package org.invokej.core.content;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rule table of {@link ContentAccess}, case by case. */
class ContentAccessTest {

    private static final Actor OWNER = new Actor("owner", "owner@test.com", null, false);
    private static final Actor OTHER = new Actor("other", "other@test.com", null, false);
    private static final Actor ADMIN = new Actor("admin", "admin@test.com", null, true);

    private static Board board(BoardVisibility visibility) {
        return new Board("b", "board", OWNER.userId(), null, null, false, visibility);
    }

    private static Image image(String ownerId, String boardId) {
        return new Image("00000000-0000-0000-0000-000000000000.png", ImageOrigin.EXTERNAL, ImageCategory.GENERAL, 1, 1,
                null, null, false, false, false, "", ownerId, boardId, null, null);
    }

    private static Workflow workflow(boolean isPublic, String category) {
        return new Workflow("w", "{}", "w", "", category, "", OWNER.userId(), isPublic, null, null, null);
    }

    @Test
    void boardsBySightAndByHand() {
        for (BoardVisibility visibility : BoardVisibility.values()) {
            Board board = board(visibility);
            assertTrue(ContentAccess.canRead(OWNER, board) && ContentAccess.canRead(ADMIN, board));
            assertTrue(ContentAccess.canManage(OWNER, board) && ContentAccess.canManage(ADMIN, board));
            assertFalse(ContentAccess.canManage(OTHER, board), "only owner and admins manage, " + visibility);
            assertEquals(visibility != BoardVisibility.PRIVATE, ContentAccess.canRead(OTHER, board), visibility.wire());
            assertEquals(visibility == BoardVisibility.PUBLIC, ContentAccess.canWrite(OTHER, board), visibility.wire());
        }
        DomainException refused = assertThrows(DomainException.class,
                () -> ContentAccess.requireManage(OTHER, board(BoardVisibility.PUBLIC), "update"));
        assertEquals("Not authorized to update this board", refused.detail());
    }

    @Test
    void imagesFollowTheirOwnerAndTheirBoard() {
        Image loose = image(OWNER.userId(), null);
        assertTrue(ContentAccess.canRead(OWNER, loose, null));
        assertFalse(ContentAccess.canRead(OTHER, loose, null));
        assertTrue(ContentAccess.canRead(ADMIN, loose, null));
        assertTrue(ContentAccess.canMutate(ADMIN, loose, null));

        Image guest = image(OTHER.userId(), "b");
        assertTrue(ContentAccess.canRead(OWNER, guest, board(BoardVisibility.PRIVATE)), "a board's owner reads what is on it");
        assertTrue(ContentAccess.canMutate(OWNER, guest, board(BoardVisibility.PRIVATE)), "and may change it");
        assertFalse(ContentAccess.canMove(OWNER, guest), "but may not move another user's image");
        assertTrue(ContentAccess.canDetach(OTHER, guest, board(BoardVisibility.PRIVATE)), "an image's owner may take it off any board");

        Image onBoard = image(OWNER.userId(), "b");
        assertFalse(ContentAccess.canRead(OTHER, onBoard, board(BoardVisibility.PRIVATE)));
        assertTrue(ContentAccess.canRead(OTHER, onBoard, board(BoardVisibility.SHARED)));
        assertFalse(ContentAccess.canMutate(OTHER, onBoard, board(BoardVisibility.SHARED)));
        assertTrue(ContentAccess.canMutate(OTHER, onBoard, board(BoardVisibility.PUBLIC)));
        assertFalse(ContentAccess.canDetach(OTHER, onBoard, board(BoardVisibility.SHARED)));
        assertTrue(ContentAccess.canDetach(OTHER, onBoard, board(BoardVisibility.PUBLIC)));
        assertFalse(ContentAccess.deletesWithBoard(OWNER, guest));
        assertTrue(ContentAccess.deletesWithBoard(ADMIN, guest));
    }

    @Test
    void galleriesAreOwnUnlessAdmin() {
        assertEquals(Optional.of("owner"), ContentAccess.galleryOwner(OWNER));
        assertEquals(Optional.empty(), ContentAccess.galleryOwner(ADMIN));
        assertEquals(Optional.empty(), ContentAccess.galleryOwner(Actor.SYSTEM), "single-user mode sees everything");
        assertThrows(DomainException.class, () -> ContentAccess.requireClearIntermediates(OWNER));
        ContentAccess.requireClearIntermediates(ADMIN);
    }

    @Test
    void workflowsArePrivateUntilPublished() {
        assertTrue(ContentAccess.canRead(OTHER, workflow(true, "user")));
        assertFalse(ContentAccess.canRead(OTHER, workflow(false, "user")));
        assertTrue(ContentAccess.canRead(OTHER, workflow(false, "default")));
        assertFalse(ContentAccess.canWrite(OTHER, workflow(true, "user")));
        assertTrue(ContentAccess.canWrite(ADMIN, workflow(false, "user")));

        assertEquals(Optional.of("other"), ContentAccess.workflowOwner(OTHER, Set.of(), null));
        assertEquals(Optional.of("other"), ContentAccess.workflowOwner(OTHER, Set.of("user", "default"), false));
        assertEquals(Optional.empty(), ContentAccess.workflowOwner(OTHER, Set.of(), true), "the shared view");
        assertEquals(Optional.empty(), ContentAccess.workflowOwner(OTHER, List.of("default"), null));
        assertEquals(Optional.empty(), ContentAccess.workflowOwner(ADMIN, Set.of(), null));
    }

    @Test
    void onlyAdminsTransfer() {
        assertThrows(DomainException.class, () -> ContentAccess.requireTransfer(OWNER));
        ContentAccess.requireTransfer(ADMIN);
    }
}

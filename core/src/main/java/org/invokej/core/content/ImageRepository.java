package org.invokej.core.content;

import org.invokej.core.store.Tx;

import java.time.LocalDate;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code images} table and its board membership ({@code board_images}). */
public interface ImageRepository {

    /**
     * An image listing's filters. {@code owner} limits it to one user's images (see
     * {@link ContentAccess#galleryOwner}); {@code limit} below 0 means no limit, as in InvokeAI.
     */
    record Query(ImageOrigin origin, Set<ImageCategory> categories, Boolean intermediate, BoardFilter board,
                 Optional<String> owner, boolean ascending, boolean starredFirst, String searchTerm, LocalDate createdDate) {
    }

    /** A page of a listing and the number of images matching it in all. */
    record Page(List<Image> items, long total) {
    }

    /** Inserts a new image (its board membership too, when it has a board). */
    void insert(Tx tx, Image image, String metadata);

    Optional<Image> find(Tx tx, String imageName);

    /** The images with these names, in no particular order; unknown names are left out. */
    List<Image> findAll(Tx tx, Collection<String> imageNames);

    /** The stored metadata JSON of an image (empty when it has none). */
    Optional<String> metadata(Tx tx, String imageName);

    Page list(Tx tx, Query query, int offset, int limit);

    /** The names of every image matching, in listing order. */
    List<String> names(Tx tx, Query query);

    long countStarred(Tx tx, Query query);

    /**
     * Per UTC day, the images that are not intermediate ({@code owner}'s only, when given): general
     * images and assets counted apart, and the newest as cover; newest day first.
     */
    List<ImageService.Day> days(Tx tx, Optional<String> owner);

    /** Writes category, session id, intermediate and starred flags. */
    void update(Tx tx, Image image);

    void delete(Tx tx, Collection<String> imageNames);

    /** Puts an image on a board, taking it off any other. */
    void setBoard(Tx tx, String imageName, String boardId);

    void removeFromBoard(Tx tx, String imageName);

    /** Every image on a board. */
    List<Image> onBoard(Tx tx, String boardId);

    /** Gives the images on {@code boardId} owned by {@code fromUserId} to {@code toUserId}; returns how many. */
    int reassignOnBoard(Tx tx, String boardId, String fromUserId, String toUserId);

    /** Gives every image of {@code fromUserId} to {@code toUserId}; returns how many. */
    int reassign(Tx tx, String fromUserId, String toUserId);
}

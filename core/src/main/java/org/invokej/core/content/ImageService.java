package org.invokej.core.content;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;
import org.invokej.core.queue.QueueOwners;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Images: storing uploaded and generated ones (file and row always together), listing, reading,
 * changing and deleting them, with the rules of {@link ContentAccess}.
 *
 * <p>Storing does the slow work first (decode, size check, PNG and thumbnail encoding, writing the files
 * under temporary names), then one short write transaction for the row, then moves the files into
 * place. A failure at any step removes what the earlier steps made.
 */
public final class ImageService {

    private static final Logger LOG = Logger.getLogger(ImageService.class.getName());
    /** The name InvokeAI's results use for "uncategorized" among affected boards. */
    public static final String NO_BOARD = "none";

    /** An upload from a client. {@code metadata} (a JSON object) replaces what the file itself carries. */
    public record Upload(byte[] bytes, ImageCategory category, boolean intermediate, String boardId, String sessionId,
                         String metadata) {
    }

    /**
     * An image made by generation: its pixels and the JSON to keep with it (metadata: a JSON object or
     * null), for {@code ownerId} (the queue item's owner), on {@code boardId} if not null.
     */
    public record Generated(String ownerId, BufferedImage pixels, String metadata, String workflow, String graph, String boardId,
                            String sessionId, String nodeId, ImageCategory category, boolean intermediate) {
    }

    /**
     * A listing's filters as the API gives them; {@code boardId} null = any board, {@code none} = uncategorized;
     * {@code createdDate} (null = any day) keeps the images made on that UTC day, as InvokeAI's date boards.
     */
    public record Filter(ImageOrigin origin, Set<ImageCategory> categories, Boolean intermediate, String boardId,
                         boolean ascending, boolean starredFirst, String searchTerm, LocalDate createdDate) {
        public Filter(ImageOrigin origin, Set<ImageCategory> categories, Boolean intermediate, String boardId,
                      boolean ascending, boolean starredFirst, String searchTerm) {
            this(origin, categories, intermediate, boardId, ascending, starredFirst, searchTerm, null);
        }
    }

    /**
     * One day of InvokeAI's "by date" virtual boards: how many gallery images and assets the caller made
     * that (UTC) day, and the newest of them.
     */
    public record Day(LocalDate date, long imageCount, long assetCount, String coverImageName) {
    }

    /** InvokeAI's {@code ImageNamesResult}. */
    public record Names(List<String> imageNames, long starredCount) {
    }

    /** An image's changes; null fields stay as they are. */
    public record Changes(ImageCategory category, String sessionId, Boolean intermediate, Boolean starred) {
    }

    /** What a delete did; {@code affectedBoards} holds board ids and {@value #NO_BOARD}. */
    public record Deleted(Set<String> affectedBoards, List<String> deletedImages) {
    }

    /** What starring or unstarring did. */
    public record Starred(Set<String> affectedBoards, List<String> images) {
    }

    /** The workflow and graph JSON an image's file carries (each null when absent). */
    public record EmbeddedWorkflow(String workflow, String graph) {
    }

    private final Transactions transactions;
    private final ImageRepository images;
    private final BoardRepository boards;
    private final QueueOwners owners;
    private final ImageFiles files;
    private final long maxPixels;

    public ImageService(Transactions transactions, ImageRepository images, BoardRepository boards, QueueOwners owners,
                        ImageFiles files, long maxPixels) {
        this.transactions = transactions;
        this.images = images;
        this.boards = boards;
        this.owners = owners;
        this.files = files;
        this.maxPixels = maxPixels;
    }

    // Storing

    /** Stores an upload for the caller: 415 for what is not an image, 404/403 for a board they may not upload to. */
    public Image upload(Actor actor, Upload upload) {
        if (upload.metadata() != null && !ImageText.isObject(upload.metadata())) {
            throw DomainException.unprocessable("The metadata part must be a JSON object");
        }
        if (upload.boardId() != null) {
            transactions.read(tx -> requireUploadTarget(tx, actor, upload.boardId()));
        }
        ImageCodec.Decoded decoded = ImageCodec.decode(upload.bytes(), maxPixels);
        ImageText text = ImageText.fromChunks(decoded.text());
        if (upload.metadata() != null) {
            text = text.withMetadata(upload.metadata());
        }
        return store(decoded, text, ImageOrigin.EXTERNAL, upload.category(), upload.intermediate(), actor.userId(),
                upload.boardId(), upload.sessionId(), null, tx -> requireUploadTarget(tx, actor, upload.boardId()));
    }

    /**
     * Stores a generated image for its owner. The owner must still be allowed to run things ({@link QueueOwners}); on a board, they must
     * be allowed to write to it (as InvokeAI checks when a node saves an image).
     */
    public Image storeGenerated(Generated generated) {
        ImageCodec.Decoded decoded = new ImageCodec.Decoded(generated.pixels(), Map.of());
        // The engine wrote the metadata from a typed field, so it is a JSON object: stored as given, not parsed again.
        ImageText text = ImageText.keepValid(null, generated.workflow(), generated.graph()).withMetadata(generated.metadata());
        Function<Tx, Board> check = tx -> {
            Actor owner = owners.requireRunAs(tx, generated.ownerId());
            return generated.boardId() == null ? null : requireBoardWrite(tx, owner, generated.boardId(),
                    "Not authorized to save images to this board");
        };
        transactions.read(check::apply);
        return store(decoded, text, ImageOrigin.INTERNAL, generated.category(), generated.intermediate(), generated.ownerId(),
                generated.boardId(), generated.sessionId(), generated.nodeId(), check);
    }

    private Image store(ImageCodec.Decoded decoded, ImageText text, ImageOrigin origin, ImageCategory category,
                        boolean intermediate, String ownerId, String boardId, String sessionId, String nodeId,
                        Function<Tx, Board> recheck) {
        String name = UUID.randomUUID() + ".png";
        byte[] png = ImageCodec.png(decoded.pixels(), text.chunks());
        byte[] thumbnail = ImageCodec.thumbnail(decoded.pixels());
        Image image = new Image(name, origin, category, decoded.pixels().getWidth(), decoded.pixels().getHeight(), sessionId,
                nodeId, intermediate, false, text.hasWorkflow(), "", ownerId, boardId, null, null);
        ImageFiles.Staged staged = files.stage(name, png, thumbnail);
        Image stored;
        try {
            stored = transactions.write(tx -> {
                // Checked again under the write lock: the board may have gone or changed since.
                recheck.apply(tx);
                images.insert(tx, image, text.metadata());
                return images.find(tx, name).orElseThrow();
            });
        } catch (RuntimeException e) {
            staged.discard();
            throw e;
        }
        try {
            staged.commit();
        } catch (RuntimeException e) {
            staged.discard();
            transactions.write(tx -> {
                images.delete(tx, List.of(name));
                return null;
            });
            throw e;
        }
        return stored;
    }

    private Board requireUploadTarget(Tx tx, Actor actor, String boardId) {
        return boardId == null ? null : requireBoardWrite(tx, actor, boardId, "Not authorized to upload to this board");
    }

    private Board requireBoardWrite(Tx tx, Actor actor, String boardId, String message) {
        Board board = boards.find(tx, boardId).orElseThrow(() -> DomainException.notFound("Board not found"));
        ContentAccess.requireWrite(actor, board, message);
        return board;
    }

    // Listing

    /** A page of the images the caller may list with {@code filter}. */
    public ImageRepository.Page list(Actor actor, Filter filter, int offset, int limit) {
        return transactions.read(tx -> images.list(tx, query(tx, actor, filter), offset, limit));
    }

    public Names names(Actor actor, Filter filter) {
        return transactions.read(tx -> {
            ImageRepository.Query query = query(tx, actor, filter);
            return new Names(images.names(tx, query), filter.starredFirst() ? images.countStarred(tx, query) : 0);
        });
    }

    /**
     * A listing of one board needs the right to read the board and shows every image on it; other
     * listings show the caller's own images (an administrator's: everyone's).
     */
    private ImageRepository.Query query(Tx tx, Actor actor, Filter filter) {
        BoardFilter board = BoardFilter.of(filter.boardId());
        Optional<String> owner = ContentAccess.galleryOwner(actor);
        if (board instanceof BoardFilter.On on) {
            ContentAccess.requireRead(actor, boards.find(tx, on.boardId()).orElseThrow(() -> DomainException.notFound("Board not found")));
            owner = Optional.empty();
        }
        return new ImageRepository.Query(filter.origin(), filter.categories(), filter.intermediate(), board, owner,
                filter.ascending(), filter.starredFirst(), filter.searchTerm(), filter.createdDate());
    }

    /**
     * The days on which the caller made images that are not intermediate (an administrator: anyone),
     * newest day first.
     */
    public List<Day> days(Actor actor) {
        return transactions.read(tx -> images.days(tx, ContentAccess.galleryOwner(actor)));
    }

    /** The images of {@code names} the caller may read, in the order asked; the others are left out. */
    public List<Image> byNames(Actor actor, List<String> names) {
        List<String> valid = names.stream().filter(Image::isValidName).toList();
        return transactions.read(tx -> {
            Map<String, Image> found = new LinkedHashMap<>();
            images.findAll(tx, valid).forEach(image -> found.put(image.imageName(), image));
            Map<String, Board> onBoards = boardsOf(tx, found.values());
            return valid.stream().map(found::get)
                    .filter(image -> image != null && ContentAccess.canRead(actor, image, onBoards.get(image.boardId())))
                    .toList();
        });
    }

    // One image

    public Image get(Actor actor, String name) {
        return transactions.read(tx -> readable(tx, actor, name));
    }

    /** The full-size file of an image the caller may read. */
    public ImageFiles.StoredFile full(Actor actor, String name) {
        return files.full(get(actor, name)).orElseThrow(ImageService::notFound);
    }

    public ImageFiles.StoredFile thumbnail(Actor actor, String name) {
        return files.thumbnail(get(actor, name)).orElseThrow(ImageService::notFound);
    }

    /** The stored metadata JSON (empty when the image has none). */
    public Optional<String> metadata(Actor actor, String name) {
        return transactions.read(tx -> {
            readable(tx, actor, name);
            return images.metadata(tx, name);
        });
    }

    /** The workflow and graph JSON read back from the image's PNG, as InvokeAI does. */
    public EmbeddedWorkflow workflow(Actor actor, String name) {
        ImageFiles.StoredFile file = full(actor, name);
        try (InputStream in = Files.newInputStream(file.path())) {
            Map<String, String> text = PngFile.readText(in);
            return new EmbeddedWorkflow(text.get(ImageText.WORKFLOW_KEY), text.get(ImageText.GRAPH_KEY));
        } catch (IOException e) {
            return new EmbeddedWorkflow(null, null);
        }
    }

    public Image update(Actor actor, String name, Changes changes) {
        return transactions.write(tx -> {
            Image image = mutable(tx, actor, name).orElseThrow(ImageService::notFound);
            images.update(tx, image.with(changes.category(), changes.sessionId(), changes.intermediate(), changes.starred()));
            return images.find(tx, name).orElseThrow();
        });
    }

    // Deleting

    /** Deletes one image the caller may change (403 otherwise); an unknown name deletes nothing. */
    public Deleted delete(Actor actor, String name) {
        return deleteWhere(tx -> mutable(tx, actor, name).map(List::of).orElse(List.of()));
    }

    /** Deletes those of {@code names} the caller may change; the others are skipped silently. */
    public Deleted deleteMany(Actor actor, Collection<String> names) {
        List<String> valid = new LinkedHashSet<>(names).stream().filter(Image::isValidName).toList();
        return deleteWhere(tx -> {
            List<Image> found = images.findAll(tx, valid);
            Map<String, Board> onBoards = boardsOf(tx, found);
            return found.stream().filter(image -> ContentAccess.canMutate(actor, image, onBoards.get(image.boardId()))).toList();
        });
    }

    /** Deletes the caller's uncategorized images (an administrator's: everyone's). */
    public Deleted deleteUncategorized(Actor actor) {
        return deleteWhere(tx -> all(tx, new BoardFilter.Uncategorized(), null, ContentAccess.galleryOwner(actor)));
    }

    /** How many intermediate images the caller has (an administrator: everyone). */
    public long countIntermediates(Actor actor) {
        return transactions.read(tx -> images.names(tx, new ImageRepository.Query(null, Set.of(), true, new BoardFilter.Any(),
                ContentAccess.galleryOwner(actor), false, false, null, null)).size());
    }

    /** Deletes every intermediate image (administrators only); returns how many. */
    public int clearIntermediates(Actor actor) {
        ContentAccess.requireClearIntermediates(actor);
        return deleteWhere(tx -> all(tx, new BoardFilter.Any(), true, Optional.empty())).deletedImages().size();
    }

    /**
     * The images whose full-size file is not in the images folder (an InvokeAI root whose outputs were
     * pruned by hand, say). They stay listed; start-up reports how many.
     */
    /** What settling a dead process's staged image files did. */
    public record Settled(int movedIntoPlace, int removed) {
    }

    /**
     * At start: the files a killed process had staged are moved into place when their row was committed
     * (the process died between the commit and the rename), else removed (the upload or generation was
     * never acknowledged). Afterwards no row lacks its file and no file lacks its row because of a crash.
     */
    public Settled settleLeftovers() {
        int moved = 0;
        int removed = 0;
        for (String name : files.leftovers()) {
            boolean committed = transactions.read(tx -> images.find(tx, name)).isPresent();
            files.settle(name, committed);
            if (committed) {
                moved++;
            } else {
                removed++;
            }
        }
        return new Settled(moved, removed);
    }

    public List<String> missingFiles() {
        List<Image> every = transactions.read(tx -> all(tx, new BoardFilter.Any(), null, Optional.empty()));
        return every.stream().filter(image -> files.full(image).isEmpty()).map(Image::imageName).toList();
    }

    private List<Image> all(Tx tx, BoardFilter board, Boolean intermediate, Optional<String> owner) {
        List<String> names = images.names(tx, new ImageRepository.Query(null, Set.of(), intermediate, board, owner,
                false, false, null, null));
        return images.findAll(tx, names);
    }

    /** Deletes the rows chosen by {@code choose} in one transaction, then their files. */
    private Deleted deleteWhere(Function<Tx, List<Image>> choose) {
        List<Image> deleted = transactions.write(tx -> {
            List<Image> chosen = choose.apply(tx);
            images.delete(tx, chosen.stream().map(Image::imageName).toList());
            return chosen;
        });
        deleteFiles(files, deleted);
        return new Deleted(affectedBoards(deleted), deleted.stream().map(Image::imageName).toList());
    }

    /** Removes the files of images whose rows were deleted; a file that cannot be removed is logged, not fatal. */
    static void deleteFiles(ImageFiles files, Collection<Image> deleted) {
        for (Image image : deleted) {
            if (!files.delete(image)) {
                LOG.warning(() -> "Could not remove every file of deleted image " + image.imageName());
            }
        }
    }

    // Starring

    /** Stars or unstars images; all must be changeable by the caller, or nothing changes (403). */
    public Starred star(Actor actor, Collection<String> names, boolean starred) {
        List<String> wanted = new ArrayList<>(new LinkedHashSet<>(names));
        return transactions.write(tx -> {
            List<Image> changed = new ArrayList<>();
            for (String name : wanted) {
                mutable(tx, actor, name).ifPresent(changed::add);
            }
            for (Image image : changed) {
                images.update(tx, image.with(null, null, null, starred));
            }
            return new Starred(affectedBoards(changed), changed.stream().map(Image::imageName).toList());
        });
    }

    // Access

    /**
     * The image if the caller may read it. A name that is not one of ours is 404 without any lookup; an
     * unknown one is 403 to non-administrators (as InvokeAI: existence is not revealed) and 404 to
     * administrators.
     */
    private Image readable(Tx tx, Actor actor, String name) {
        Image image = lookup(images, tx, actor, name, "Not authorized to access this image").orElseThrow(ImageService::notFound);
        ContentAccess.requireRead(actor, image, boardOf(tx, image));
        return image;
    }

    /** The image if the caller may change it; empty when an administrator names an unknown image. */
    private Optional<Image> mutable(Tx tx, Actor actor, String name) {
        Optional<Image> image = lookup(images, tx, actor, name, "Not authorized to modify this image");
        image.ifPresent(found -> ContentAccess.requireMutate(actor, found, boardOf(tx, found)));
        return image;
    }

    /**
     * Finds an image by a name from a client: 404 for a name that is not of our form (no lookup), 403
     * {@code refusal} for an unknown one to non-administrators, empty for an unknown one to administrators.
     */
    static Optional<Image> lookup(ImageRepository images, Tx tx, Actor actor, String name, String refusal) {
        if (!Image.isValidName(name)) {
            throw notFound();
        }
        Optional<Image> image = images.find(tx, name);
        if (image.isEmpty() && !actor.admin()) {
            throw DomainException.forbidden(refusal);
        }
        return image;
    }

    private Board boardOf(Tx tx, Image image) {
        return image.boardId() == null ? null : boards.find(tx, image.boardId()).orElse(null);
    }

    private Map<String, Board> boardsOf(Tx tx, Collection<Image> found) {
        return boardsOf(boards, tx, found);
    }

    /** The boards these images are on, by id; looking up an uncategorized image's (null) board gives null. */
    static Map<String, Board> boardsOf(BoardRepository boards, Tx tx, Collection<Image> found) {
        Set<String> ids = new TreeSet<>();
        found.forEach(image -> Optional.ofNullable(image.boardId()).ifPresent(ids::add));
        return new HashMap<>(ids.isEmpty() ? Map.of() : boards.findAll(tx, ids));
    }

    static Set<String> affectedBoards(Collection<Image> changed) {
        Set<String> affected = new LinkedHashSet<>();
        changed.forEach(image -> affected.add(image.boardId() == null ? NO_BOARD : image.boardId()));
        return affected;
    }

    static DomainException notFound() {
        return DomainException.notFound("Image not found");
    }
}

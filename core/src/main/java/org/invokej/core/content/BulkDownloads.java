package org.invokej.core.content;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import com.fasterxml.jackson.annotation.JsonInclude;
import org.invokej.core.events.Audience;
import org.invokej.core.events.EventPayload;
import org.invokej.core.events.EventSink;
import org.invokej.core.events.ServerEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * InvokeAI's bulk download: a zip of chosen images (or of a board) written in the background, announced
 * to the requester (and administrators) by {@code bulk_download_started/complete/error}, fetched once by
 * the requester and deleted when served. The caller must be allowed to read every image (and the board).
 * Zips not fetched within {@link #KEEP} are removed, and so are all zips left from a previous run.
 */
public final class BulkDownloads {

    private static final Logger LOG = Logger.getLogger(BulkDownloads.class.getName());
    /** InvokeAI's one bulk-download room. */
    public static final String BULK_DOWNLOAD_ID = "default";
    public static final int MAX_IMAGES = 10_000;
    public static final long MAX_BYTES = 4L << 30;
    public static final Duration KEEP = Duration.ofHours(1);
    private static final Pattern ZIP_NAME = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.zip");

    /** A started download: the name of the zip to fetch once it is complete. */
    public record Started(String itemName) {
    }

    private final ImageService images;
    private final Path folder;
    private final EventSink events;
    private final Clock clock;
    /** Who asked for each zip, while this server runs. */
    private final Map<String, String> requesters = new ConcurrentHashMap<>();
    /** One zip written at a time: a burst of requests queues instead of filling the disk and the cores. */
    private final Semaphore writing = new Semaphore(1);

    public BulkDownloads(ImageService images, Path folder, EventSink events, Clock clock) {
        this.images = images;
        this.folder = folder;
        this.events = events;
        this.clock = clock;
        removeAll();
    }

    /**
     * Checks the request and starts writing the zip; returns at once. 400 without images or board, 404 for
     * an unknown image or board, 403 for one the caller may not read.
     */
    public Started start(Actor actor, List<String> imageNames, String boardId) {
        boolean byNames = imageNames != null && !imageNames.isEmpty();
        if (!byNames && (boardId == null || boardId.isBlank())) {
            throw DomainException.invalid("No images or board id specified.");
        }
        Set<String> names = new LinkedHashSet<>();
        if (byNames) {
            names.addAll(imageNames);
        }
        if (boardId != null && !boardId.isBlank()) {
            names.addAll(images.names(actor, new ImageService.Filter(null, Set.of(), null, boardId, false, false, null)).imageNames());
        }
        if (names.size() > MAX_IMAGES) {
            throw DomainException.invalid("A download holds at most " + MAX_IMAGES + " images; choose fewer");
        }
        List<ImageFiles.StoredFile> chosen = new ArrayList<>();
        long bytes = 0;
        for (String name : names) {
            ImageFiles.StoredFile file = images.full(actor, name);
            chosen.add(file);
            bytes += sizeOf(file.path());
        }
        if (bytes > MAX_BYTES) {
            throw DomainException.invalid("A download holds at most " + (MAX_BYTES >> 20) + " MiB of images; choose fewer");
        }
        removeExpired();
        String itemId = UUID.randomUUID().toString();
        String itemName = itemId + ".zip";
        requesters.put(itemName, actor.userId());
        Thread.ofVirtual().name("bulk-download-" + itemId).start(() -> write(actor.userId(), itemId, itemName, chosen));
        return new Started(itemName);
    }

    /** The finished zip, for its requester or an administrator; 404 when unknown, not ready or already fetched. */
    public Path fetch(Actor actor, String itemName) {
        if (!ZIP_NAME.matcher(itemName).matches()) {
            throw DomainException.notFound("Bulk download not found");
        }
        String requester = requesters.get(itemName);
        Path zip = folder.resolve(itemName);
        if (requester == null || !Files.isRegularFile(zip)) {
            throw DomainException.notFound("Bulk download not found");
        }
        ContentAccess.requireDownload(actor, requester);
        return zip;
    }

    /** Forgets a zip once it was sent. */
    public void served(String itemName) {
        requesters.remove(itemName);
        try {
            Files.deleteIfExists(folder.resolve(itemName));
        } catch (IOException e) {
            LOG.warning(() -> "Could not remove the served download " + itemName + ": " + e.getMessage());
        }
    }

    private void write(String userId, String itemId, String itemName, List<ImageFiles.StoredFile> chosen) {
        publish("bulk_download_started", userId, itemId, itemName, null);
        Path temporary = null;
        try {
            writing.acquire();
            try {
                Files.createDirectories(folder);
                temporary = Files.createTempFile(folder, ".zip-", ".tmp");
                try (OutputStream out = Files.newOutputStream(temporary); ZipOutputStream zip = new ZipOutputStream(out)) {
                    Set<String> entries = new LinkedHashSet<>();
                    for (ImageFiles.StoredFile file : chosen) {
                        String entry = file.path().getFileName().toString();
                        if (entries.add(entry)) {
                            zip.putNextEntry(new ZipEntry(entry));
                            Files.copy(file.path(), zip);
                            zip.closeEntry();
                        }
                    }
                }
                Files.move(temporary, folder.resolve(itemName), StandardCopyOption.ATOMIC_MOVE);
            } finally {
                writing.release();
            }
            publish("bulk_download_complete", userId, itemId, itemName, null);
        } catch (IOException | UncheckedIOException | InterruptedException e) {
            LOG.log(Level.WARNING, "Bulk download " + itemName + " failed", e);
            requesters.remove(itemName);
            publish("bulk_download_error", userId, itemId, itemName,
                    e instanceof InterruptedException ? "The server is stopping" : "An image could not be read");
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // Removed with the other leftovers at the next start.
                }
            }
        }
    }

    /** The payload of the {@code bulk_download_*} events; only {@code bulk_download_error} has an {@code error}. */
    public record Event(String bulkDownloadId, String bulkDownloadItemId, String bulkDownloadItemName, String userId,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String error) implements EventPayload {
    }

    private void publish(String event, String userId, String itemId, String itemName, String error) {
        events.publish(new ServerEvent(event, new Event(BULK_DOWNLOAD_ID, itemId, itemName, userId, error),
                new Audience.UserAndAdmins(userId)));
    }

    private void removeExpired() {
        Instant cutoff = clock.instant().minus(KEEP);
        forEachLeftover(path -> {
            if (Files.getLastModifiedTime(path).toInstant().isBefore(cutoff)) {
                requesters.remove(path.getFileName().toString());
                Files.deleteIfExists(path);
            }
        });
    }

    private void removeAll() {
        forEachLeftover(Files::deleteIfExists);
    }

    private interface PathAction {
        void apply(Path path) throws IOException;
    }

    private void forEachLeftover(PathAction action) {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*.{zip,tmp}")) {
            for (Path entry : entries) {
                try {
                    action.apply(entry);
                } catch (IOException e) {
                    LOG.warning(() -> "Could not remove the old download " + entry + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warning(() -> "Could not list old downloads in " + folder + ": " + e.getMessage());
        }
    }

    private static long sizeOf(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw DomainException.notFound("Image not found");
        }
    }
}

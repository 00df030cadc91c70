package org.invokej.persistence;

import org.invokej.core.content.Image;
import org.invokej.core.content.ImageFiles;
import org.invokej.core.store.StagedBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Image files under {@code outputs/images}: {@code <name>.png} and {@code thumbnails/<stem>.png}, in the
 * image's subfolder (empty for ours; InvokeAI's date/type/hash strategies may have set one). New files are
 * written as hidden {@code .<name>.<pid>.<random>.tmp} files beside their final place, flushed to the disk,
 * and renamed into it once their row is committed. The writer's process id and host in the name
 * ({@link StagedBy}) tell, at the next start, which staged files a dead process left (see {@link #leftovers});
 * another host's are left alone unless they are an hour old, since the folder may be shared.
 * Thumbnails that InvokeAI made ({@code <stem>.webp}) are served when there is no PNG one.
 */
public final class DiskImageFiles implements ImageFiles {

    private static final Logger LOG = Logger.getLogger(DiskImageFiles.class.getName());
    /**
     * {@code .<name>.<pid>-h<host>.<uuid>.tmp} ({@link StagedBy}); files staged before the host was part of
     * the name have only the pid, and older ones neither.
     */
    private static final Pattern STAGED = Pattern.compile("\\.(.+?)\\.(?:(\\d+(?:-h\\p{XDigit}{8})?)\\.)?(\\p{XDigit}{8}-[\\p{XDigit}-]{27})\\.tmp");

    private final Path images;
    private final Path thumbnails;

    public DiskImageFiles(Path imagesDir) {
        this.images = imagesDir.toAbsolutePath().normalize();
        this.thumbnails = images.resolve("thumbnails");
    }

    @Override
    public Staged stage(String imageName, byte[] png, byte[] thumbnail) {
        String stem = stem(imageName);
        Pending full = new Pending(images.resolve(imageName));
        Pending thumb = new Pending(thumbnails.resolve(stem + ".png"));
        try {
            full.write(png);
            thumb.write(thumbnail);
        } catch (IOException e) {
            full.discard();
            thumb.discard();
            throw new UncheckedIOException("Cannot write the files of image " + imageName + ": " + e.getMessage(), e);
        }
        return new Staged() {
            @Override
            public void commit() {
                try {
                    full.commit();
                    thumb.commit();
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot move the files of image " + imageName + " into place: " + e.getMessage(), e);
                }
            }

            @Override
            public void discard() {
                full.discard();
                thumb.discard();
            }
        };
    }

    /** A file written under a temporary name, to be renamed to {@code target}. */
    private static final class Pending {
        private final Path target;
        private final Path temporary;

        Pending(Path target) {
            this.target = target;
            this.temporary = target.resolveSibling("." + target.getFileName() + "." + StagedBy.thisProcess().tag() + "."
                    + UUID.randomUUID() + ".tmp");
        }

        /** Writes and flushes the bytes: once the row is committed, the rename is all that may be left to do. */
        void write(byte[] bytes) throws IOException {
            Files.createDirectories(target.getParent());
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
        }

        void commit() throws IOException {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        }

        /** Removes both names: the image name is new, so a file at the target can only be ours. */
        void discard() {
            for (Path path : List.of(temporary, target)) {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    LOG.warning(() -> "Could not remove " + path + ": " + e.getMessage());
                }
            }
        }
    }

    @Override
    public Set<String> leftovers() {
        Set<String> names = new TreeSet<>();
        staged(null).forEach(file -> names.add(file.imageName()));
        return names;
    }

    @Override
    public void settle(String imageName, boolean keep) {
        for (StagedFile file : staged(imageName)) {
            try {
                if (keep && !Files.exists(file.target())) {
                    Files.move(file.path(), file.target(), StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.deleteIfExists(file.path());
                }
            } catch (IOException e) {
                LOG.warning(() -> "Could not settle " + file.path() + ": " + e.getMessage());
            }
        }
    }

    /** A staged file of a process that is no longer running, and where it was to go. */
    private record StagedFile(Path path, Path target, String imageName) {
    }

    /** The staged files dead processes left, of one image or (null) of all. */
    private List<StagedFile> staged(String imageName) {
        List<StagedFile> found = new ArrayList<>();
        for (Path folder : List.of(images, thumbnails)) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, ".*.tmp")) {
                for (Path entry : entries) {
                    Matcher matcher = STAGED.matcher(entry.getFileName().toString());
                    if (!matcher.matches() || !abandoned(matcher.group(2), entry)) {
                        continue;
                    }
                    // a thumbnail of <stem>.png is thumbnails/<stem>.png: both name the image
                    String target = matcher.group(1);
                    if (imageName == null || imageName.equals(target)) {
                        found.add(new StagedFile(entry, folder.resolve(target), target));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot list " + folder + ": " + e.getMessage(), e);
            }
        }
        return found;
    }

    /** Whether the writer of a staged file is gone (files staged before the pid was in the name are old enough). */
    private static boolean abandoned(String tag, Path file) throws IOException {
        if (tag == null) {
            return true;
        }
        Optional<StagedBy> writer = StagedBy.parse(tag);
        try {
            return writer.isEmpty() || writer.get().abandoned(Files.getLastModifiedTime(file).toInstant(), Instant.now());
        } catch (java.nio.file.NoSuchFileException renamed) {
            return false; // its writer finished it meanwhile
        }
    }

    @Override
    public Optional<StoredFile> full(Image image) {
        return inside(images, image.subfolder(), image.imageName()).filter(Files::isRegularFile)
                .map(path -> new StoredFile(path, "image/png"));
    }

    @Override
    public Optional<StoredFile> thumbnail(Image image) {
        Optional<StoredFile> png = inside(thumbnails, image.subfolder(), image.stem() + ".png").filter(Files::isRegularFile)
                .map(path -> new StoredFile(path, "image/png"));
        return png.isPresent() ? png : inside(thumbnails, image.subfolder(), image.stem() + ".webp")
                .filter(Files::isRegularFile).map(path -> new StoredFile(path, "image/webp"));
    }

    @Override
    public boolean delete(Image image) {
        boolean removed = true;
        for (Optional<Path> path : List.of(inside(images, image.subfolder(), image.imageName()),
                inside(thumbnails, image.subfolder(), image.stem() + ".png"),
                inside(thumbnails, image.subfolder(), image.stem() + ".webp"))) {
            try {
                if (path.isPresent()) {
                    Files.deleteIfExists(path.get());
                }
            } catch (IOException e) {
                LOG.warning(() -> "Could not remove " + path.get() + ": " + e.getMessage());
                removed = false;
            }
        }
        return removed;
    }

    /** {@code base/subfolder/name}, unless the stored subfolder would lead outside {@code base}. */
    private static Optional<Path> inside(Path base, String subfolder, String name) {
        Path path = base.resolve(subfolder == null ? "" : subfolder).resolve(name).normalize();
        return path.startsWith(base) && !path.equals(base) ? Optional.of(path) : Optional.empty();
    }

    private static String stem(String imageName) {
        return imageName.endsWith(".png") ? imageName.substring(0, imageName.length() - 4) : imageName;
    }
}

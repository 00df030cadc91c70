package org.invokej.persistence;

import org.invokej.core.content.Image;
import org.invokej.core.content.ImageFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Image files under {@code outputs/images}: {@code <name>.png} and {@code thumbnails/<stem>.png}, in the
 * image's subfolder (empty for ours; InvokeAI's date/type/hash strategies may have set one). New files are
 * written as hidden {@code .<name>.<random>.tmp} files beside their final place and renamed into it.
 * Thumbnails that InvokeAI made ({@code <stem>.webp}) are served when there is no PNG one.
 */
public final class DiskImageFiles implements ImageFiles {

    private static final Logger LOG = Logger.getLogger(DiskImageFiles.class.getName());

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
            this.temporary = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        }

        void write(byte[] bytes) throws IOException {
            Files.createDirectories(target.getParent());
            Files.write(temporary, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
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

package org.invokej.core.models;

import org.invokej.core.DomainException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.Optional;

/**
 * Models' cover images: what an administrator uploads, scaled to fit 256x256 (as InvokeAI does) and
 * kept as a PNG in the models folder.
 */
final class CoverImages {

    static final int SIZE = 256;
    /** Larger pictures are refused before they are decoded (a small file can claim a huge image). */
    private static final long MAX_PIXELS = 64L << 20;

    private final ModelStorage storage;

    CoverImages(ModelStorage storage) {
        this.storage = storage;
    }

    Optional<Path> find(String key) {
        Path file = storage.coverImage(key);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    void store(String key, byte[] bytes) {
        BufferedImage image = decode(bytes);
        double scale = Math.min(1.0, Math.min((double) SIZE / image.getWidth(), (double) SIZE / image.getHeight()));
        int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D graphics = scaled.createGraphics();
        try {
            graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            graphics.drawImage(image, 0, 0, width, height, null);
        } finally {
            graphics.dispose();
        }
        Path target = storage.coverImage(key);
        try {
            Files.createDirectories(target.getParent());
            Path partial = target.resolveSibling(key + ".png.part");
            ImageIO.write(scaled, "png", partial.toFile());
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    boolean delete(String key) {
        try {
            return Files.deleteIfExists(storage.coverImage(key));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage decode(byte[] bytes) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = input == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw unsupported();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                if ((long) reader.getWidth(0) * reader.getHeight(0) > MAX_PIXELS) {
                    throw DomainException.of(DomainException.Kind.TOO_LARGE, "The image is too large (more than "
                            + MAX_PIXELS + " pixels)");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof DomainException domain) {
                throw domain;
            }
            throw unsupported();
        }
    }

    private static DomainException unsupported() {
        return DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, "Not an image InvokeJ can read (PNG, JPEG, GIF or BMP)");
    }
}

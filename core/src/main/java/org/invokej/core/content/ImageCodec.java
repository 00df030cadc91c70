package org.invokej.core.content;

import org.invokej.core.DomainException;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns bytes a client sent into a stored image: decoded with the JDK's readers (PNG, JPEG, GIF, BMP,
 * TIFF), the size checked from the header before any pixel is decoded, re-encoded as PNG with text
 * chunks, and a thumbnail (longest side at most {@value #THUMBNAIL_SIZE} px, never enlarged, PNG so
 * that transparency survives; InvokeAI writes WebP, which the JDK cannot).
 */
public final class ImageCodec {

    public static final int THUMBNAIL_SIZE = 256;

    /** An image's pixels and the PNG text chunks it carried. */
    public record Decoded(BufferedImage pixels, Map<String, String> text) {
    }

    private ImageCodec() {
    }

    /**
     * Decodes {@code bytes}; 415 {@code Failed to read image} for anything that is not a readable image,
     * 413 for an image of more than {@code maxPixels} pixels (refused before its pixels are allocated).
     */
    public static Decoded decode(byte[] bytes, long maxPixels) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw unreadable();
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, false);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw unreadable();
                }
                if (width * height > maxPixels) {
                    throw DomainException.of(DomainException.Kind.TOO_LARGE, "Image is too large: " + width + "x" + height
                            + " pixels (at most " + maxPixels + " pixels)");
                }
                BufferedImage pixels = reader.read(0);
                return new Decoded(pixels, PngFile.text(reader.getImageMetadata(0)));
            } finally {
                reader.dispose();
            }
        } catch (DomainException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // Truncated and malformed files surface as IIOException or as runtime errors from the readers.
            throw unreadable();
        }
    }

    private static DomainException unreadable() {
        return DomainException.of(DomainException.Kind.UNSUPPORTED_MEDIA, "Failed to read image");
    }

    /** The image as PNG with one UTF-8 {@code iTXt} chunk per entry of {@code text}. */
    public static byte[] png(BufferedImage image, Map<String, String> text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
        try {
            PngFile.write(image, text, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The thumbnail of an image, as PNG. */
    public static byte[] thumbnail(BufferedImage image) {
        BufferedImage small = shrink(image, THUMBNAIL_SIZE);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(small, "png", stream)) {
                throw new IllegalStateException("No PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Scales down so the longest side is at most {@code max}, halving first so large images do not alias. */
    static BufferedImage shrink(BufferedImage image, int max) {
        int width = image.getWidth();
        int height = image.getHeight();
        double scale = Math.min(1.0, (double) max / Math.max(width, height));
        int targetWidth = Math.max(1, (int) Math.round(width * scale));
        int targetHeight = Math.max(1, (int) Math.round(height * scale));
        int type = image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB;
        BufferedImage current = image;
        do {
            int stepWidth = Math.max(targetWidth, current.getWidth() / 2);
            int stepHeight = Math.max(targetHeight, current.getHeight() / 2);
            current = draw(current, stepWidth, stepHeight, type);
        } while (current.getWidth() != targetWidth || current.getHeight() != targetHeight);
        return current;
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, int type) {
        BufferedImage target = new BufferedImage(width, height, type);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }
}

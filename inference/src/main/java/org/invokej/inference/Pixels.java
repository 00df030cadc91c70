package org.invokej.inference;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;

/**
 * Images as Pillow sees them, whatever type the file was read as: packed ARGB pixels, greyscale ("L")
 * values, and images made from either. Grey files are read from their samples: Java's {@code getRGB}
 * on a grey image applies a gamma curve, which would shift every mask value.
 */
public final class Pixels {

    private Pixels() {
    }

    /** The pixels as ARGB (opaque images get alpha 255), row by row. */
    public static int[] argb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (!isGrey(image)) {
            return image.getRGB(0, 0, width, height, null, 0, width);
        }
        Raster raster = image.getRaster();
        int bits = image.getColorModel().getComponentSize(0);
        boolean alpha = raster.getNumBands() > 1;
        int[] out = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int grey = raster.getSample(x, y, 0) >> (bits - 8);
                int a = alpha ? raster.getSample(x, y, 1) >> (bits - 8) : 255;
                out[y * width + x] = a << 24 | grey * 0x010101;
            }
        }
        return out;
    }

    /** Whether the image has an alpha channel (Pillow's modes RGBA and LA). */
    public static boolean hasAlpha(BufferedImage image) {
        return image.getColorModel().hasAlpha();
    }

    /** Pillow's {@code convert("L")}: 299/587/114 per mille of red, green and blue; alpha is ignored. */
    public static int[] luminance(BufferedImage image) {
        int[] argb = argb(image);
        int[] out = new int[argb.length];
        for (int i = 0; i < argb.length; i++) {
            out[i] = luminance(argb[i]);
        }
        return out;
    }

    public static int luminance(int argb) {
        int r = (argb >> 16) & 0xff;
        int g = (argb >> 8) & 0xff;
        int b = argb & 0xff;
        return (r * 299 + g * 587 + b * 114 + 500) / 1000;
    }

    /**
     * A greyscale image of 8-bit {@code values}, stored as RGB with equal channels so that every reader
     * (ours and browsers) sees the same values.
     */
    public static BufferedImage grey(int[] values, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            rgb[i] = values[i] * 0x010101;
        }
        image.setRGB(0, 0, width, height, rgb, 0, width);
        return image;
    }

    /** An image of ARGB {@code pixels}: with an alpha channel when {@code alpha}, else opaque RGB. */
    public static BufferedImage of(int[] pixels, int width, int height, boolean alpha) {
        BufferedImage image = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, pixels, 0, width);
        return image;
    }

    /** The image resized (bicubic) to the given size, keeping its alpha channel if it has one (Pillow's resize does). */
    public static BufferedImage resized(BufferedImage image, int width, int height) {
        if (!hasAlpha(image)) {
            return DiffusionPipeline.resize(image, width, height);
        }
        BufferedImage source = of(argb(image), image.getWidth(), image.getHeight(), true);
        if (image.getWidth() == width && image.getHeight() == height) {
            return source;
        }
        BufferedImage resized = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        java.awt.Graphics2D g = resized.createGraphics();
        try {
            g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setComposite(java.awt.AlphaComposite.Src);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return resized;
    }

    private static boolean isGrey(BufferedImage image) {
        return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }
}

package org.invokej.inference;

import java.awt.image.BufferedImage;

/**
 * A one-channel mask {@code [height, width]} with values in 0..1, as InvokeAI keeps a denoise mask: 1
 * (white) keeps the image, 0 (black) is painted anew.
 */
public record Mask(float[] values, int height, int width) {

    public Mask {
        if (height < 1 || width < 1 || values.length != height * width) {
            throw new IllegalArgumentException("a mask of " + values.length + " values is not " + height + " x " + width);
        }
    }

    /** A mask image's luminance (PIL's {@code convert("L")}: 299/587/114 per mille), scaled to 0..1. */
    public static Mask ofImage(BufferedImage image) {
        int[] grey = Pixels.luminance(image);
        float[] values = new float[grey.length];
        for (int i = 0; i < grey.length; i++) {
            values[i] = grey[i] / 255f;
        }
        return new Mask(values, image.getHeight(), image.getWidth());
    }

    /**
     * This mask at another size, bilinear without antialiasing and with half-pixel centres, as
     * torchvision's {@code resize(..., BILINEAR, antialias=False)} does.
     */
    public Mask resized(int newHeight, int newWidth) {
        if (newHeight == height && newWidth == width) {
            return this;
        }
        float[] out = new float[newHeight * newWidth];
        double scaleY = (double) height / newHeight;
        double scaleX = (double) width / newWidth;
        for (int y = 0; y < newHeight; y++) {
            double sy = Math.max(0, (y + 0.5) * scaleY - 0.5);
            int y0 = Math.min((int) sy, height - 1);
            int y1 = Math.min(y0 + 1, height - 1);
            double fy = sy - y0;
            for (int x = 0; x < newWidth; x++) {
                double sx = Math.max(0, (x + 0.5) * scaleX - 0.5);
                int x0 = Math.min((int) sx, width - 1);
                int x1 = Math.min(x0 + 1, width - 1);
                double fx = sx - x0;
                double top = values[y0 * width + x0] * (1 - fx) + values[y0 * width + x1] * fx;
                double bottom = values[y1 * width + x0] * (1 - fx) + values[y1 * width + x1] * fx;
                out[y * newWidth + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return new Mask(out, newHeight, newWidth);
    }
}

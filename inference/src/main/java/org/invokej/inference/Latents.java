package org.invokej.inference;

/**
 * Latents of one image, {@code [channels, height, width]} at 1/8 of the image size, in float32.
 * The array is shared, not copied: stages treat latents they receive as read-only.
 */
public record Latents(float[] data, int channels, int height, int width) {

    public Latents {
        if (channels < 1 || height < 1 || width < 1 || data.length != channels * height * width) {
            throw new IllegalArgumentException("latents of " + data.length + " values do not have the shape ["
                    + channels + ", " + height + ", " + width + "]");
        }
    }

    public int imageWidth() {
        return width * 8;
    }

    public int imageHeight() {
        return height * 8;
    }

    public boolean sameShape(Latents other) {
        return channels == other.channels && height == other.height && width == other.width;
    }
}

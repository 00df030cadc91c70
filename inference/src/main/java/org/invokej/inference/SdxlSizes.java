package org.invokej.inference;

/**
 * SDXL's size conditioning ("micro-conditioning"): the size the image is imagined to have been before
 * cropping, the crop's top-left corner, and the size asked for. The UNet takes them as {@code time_ids}
 * in this order: original height, original width, crop top, crop left, target height, target width.
 */
public record SdxlSizes(int originalWidth, int originalHeight, int cropTop, int cropLeft, int targetWidth,
        int targetHeight) {

    /** An uncropped image of the given size, as text-to-image uses. */
    public static SdxlSizes of(int width, int height) {
        return new SdxlSizes(width, height, 0, 0, width, height);
    }

    float[] timeIds() {
        return new float[] {originalHeight, originalWidth, cropTop, cropLeft, targetHeight, targetWidth};
    }
}

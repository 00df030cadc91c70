package org.invokej.inference;

/**
 * Pillow's {@code Image.paste(image, (x, y), mask)} on packed ARGB pixels: without a mask the pasted
 * pixels replace the base's (alpha included); with an 8-bit mask each of the four channels is blended,
 * mask 255 taking the pasted pixel and 0 keeping the base. Parts outside the base are dropped.
 */
public final class Paste {

    private Paste() {
    }

    public static void paste(int[] base, int baseWidth, int baseHeight, int[] image, int width, int height, int x, int y, int[] mask) {
        for (int row = Math.max(0, -y); row < height && row + y < baseHeight; row++) {
            for (int col = Math.max(0, -x); col < width && col + x < baseWidth; col++) {
                int at = (row + y) * baseWidth + col + x;
                int from = row * width + col;
                base[at] = mask == null ? image[from] : blend(base[at], image[from], mask[from]);
            }
        }
    }

    /**
     * An infill's last step, as InvokeAI's infills end: {@code image} pasted back over {@code filled} (the same
     * size) through its own alpha, so that what was opaque is kept and only the transparent part is filled.
     */
    public static void overOwnAlpha(int[] filled, int[] image, int width, int height) {
        int[] alpha = new int[image.length];
        for (int i = 0; i < alpha.length; i++) {
            alpha[i] = image[i] >>> 24;
        }
        paste(filled, width, height, image, width, height, 0, 0, alpha);
    }

    /** Each channel of {@code under} and {@code over} mixed by {@code amount} (0…255) of {@code over}. */
    public static int blend(int under, int over, int amount) {
        if (amount >= 255) {
            return over;
        }
        if (amount <= 0) {
            return under;
        }
        int out = 0;
        for (int shift = 0; shift < 32; shift += 8) {
            int a = (under >>> shift) & 0xff;
            int b = (over >>> shift) & 0xff;
            out |= ((a * (255 - amount) + b * amount + 127) / 255) << shift;
        }
        return out;
    }
}

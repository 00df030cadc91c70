package org.invokej.inference;

/**
 * Pillow's blurs of an 8-bit mask, which InvokeAI's {@code create_gradient_mask} uses: {@code BoxBlur(r)}
 * (one pass of a box 2r + 1 wide, each way) and {@code GaussianBlur(sigma)} (three passes of a box whose
 * fractional radius Pillow derives from sigma). Edges extend the edge pixels, and every pass rounds
 * to 8 bits, as Pillow's do.
 */
public final class MaskBlur {

    private MaskBlur() {
    }

    /** Pillow's {@code ImageFilter.BoxBlur(radius)} of 8-bit values {@code [height, width]}. */
    public static int[] box(int[] pixels, int width, int height, double radius) {
        return blur(pixels, width, height, radius, 1);
    }

    /** Pillow's {@code ImageFilter.GaussianBlur(sigma)}: three box passes of the radius Pillow computes. */
    public static int[] gaussian(int[] pixels, int width, int height, double sigma) {
        return blur(pixels, width, height, boxRadius(sigma, 3), 3);
    }

    /** Pillow's {@code _gaussian_blur_radius}: the box radius whose passes approximate a Gaussian of {@code sigma}. */
    static double boxRadius(double sigma, int passes) {
        double sigma2 = sigma * sigma / passes;
        double l = Math.floor((Math.sqrt(12 * sigma2 + 1) - 1) / 2);
        double a = (2 * l + 1) * (l * (l + 1) - 3 * sigma2) / (6 * (sigma2 - (l + 1) * (l + 1)));
        return l + a;
    }

    private static int[] blur(int[] pixels, int width, int height, double radius, int passes) {
        if (radius <= 0) {
            return pixels.clone();
        }
        int[] out = pixels.clone();
        int[] line = new int[Math.max(width, height)];
        for (int pass = 0; pass < passes; pass++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    line[x] = out[y * width + x];
                }
                int[] blurred = blurLine(line, width, radius);
                System.arraycopy(blurred, 0, out, y * width, width);
            }
        }
        for (int pass = 0; pass < passes; pass++) {
            for (int x = 0; x < width; x++) {
                for (int y = 0; y < height; y++) {
                    line[y] = out[y * width + x];
                }
                int[] blurred = blurLine(line, height, radius);
                for (int y = 0; y < height; y++) {
                    out[y * width + x] = blurred[y];
                }
            }
        }
        return out;
    }

    /** One pass: weight 1 within the radius's whole part, its fraction at the next pixel, edges extended. */
    private static int[] blurLine(int[] line, int length, double radius) {
        int whole = (int) radius;
        double fraction = radius - whole;
        double norm = 2 * radius + 1;
        int[] out = new int[length];
        for (int i = 0; i < length; i++) {
            double sum = 0;
            for (int k = -whole; k <= whole; k++) {
                sum += line[Math.min(length - 1, Math.max(0, i + k))];
            }
            if (fraction > 0) {
                sum += fraction * (line[Math.max(0, i - whole - 1)] + line[Math.min(length - 1, i + whole + 1)]);
            }
            out[i] = (int) Math.min(255, Math.max(0, Math.round(sum / norm)));
        }
        return out;
    }
}

package org.invokej.inference;

import java.awt.image.BufferedImage;

/**
 * The fade of InvokeAI's {@code expand_mask_with_fade}, which its canvas graphs put between
 * {@code create_gradient_mask}'s repainted area and the paste back: the mask (black keeps the generated
 * image, white discards it) made binary at a threshold, then faded from black to white over a number of
 * pixels outside the black area, along a cubic through InvokeAI's control points, by the distance to the
 * black area (OpenCV's 5x5 chamfer estimate of Euclidean distance, as InvokeAI's
 * {@code cv2.distanceTransform}). The node and {@link ImageGenerator}'s inpainting share it.
 */
public final class MaskFade {

    /** OpenCV's chamfer weights for DIST_L2 with a 5x5 mask: a step, a diagonal, a knight's move. */
    private static final double STEP = 1;
    private static final double DIAGONAL = 1.4;
    private static final double KNIGHT = 2.1969;

    private MaskFade() {
    }

    /** The faded mask as a grey image; a fade of 0 gives the mask's luminance as it is. */
    public static BufferedImage expand(BufferedImage mask, int threshold, int fade) {
        int width = mask.getWidth();
        int height = mask.getHeight();
        int[] grey = Pixels.luminance(mask);
        if (fade == 0) {
            return Pixels.grey(grey, width, height);
        }
        boolean[] black = new boolean[grey.length];
        for (int i = 0; i < grey.length; i++) {
            black[i] = grey[i] <= threshold;
        }
        double[] distance = distanceToBlack(black, width, height);
        double[] cubic = fitCubic(new double[] {0, 1.0 / fade, 0.2, 0.8, 1}, new double[] {0, 0, 0.2, 0.9, 1});
        int[] out = new int[grey.length];
        for (int i = 0; i < out.length; i++) {
            if (black[i]) {
                continue;
            }
            double d = Math.min(1, Math.max(0, (float) distance[i] / fade));
            double feather = d >= 1 ? 1 : ((cubic[0] * d + cubic[1]) * d + cubic[2]) * d + cubic[3];
            out[i] = (int) (Math.min(1, Math.max(0, feather)) * 255);
        }
        return Pixels.grey(out, width, height);
    }

    /**
     * The distance of every pixel to the nearest black one by two chamfer passes over a 5x5 neighbourhood;
     * outside the image counts as far away, not black. Without any black pixel every distance is huge.
     */
    static double[] distanceToBlack(boolean[] black, int width, int height) {
        double far = 1e9;
        double[] d = new double[black.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = black[i] ? 0 : far;
        }
        int[][] forward = {{-2, -1}, {-1, -2}, {1, -2}, {2, -1}, {-1, -1}, {0, -1}, {1, -1}, {-1, 0}};
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                relax(d, width, height, x, y, forward);
            }
        }
        int[][] backward = {{2, 1}, {1, 2}, {-1, 2}, {-2, 1}, {1, 1}, {0, 1}, {-1, 1}, {1, 0}};
        for (int y = height - 1; y >= 0; y--) {
            for (int x = width - 1; x >= 0; x--) {
                relax(d, width, height, x, y, backward);
            }
        }
        return d;
    }

    private static void relax(double[] d, int width, int height, int x, int y, int[][] neighbours) {
        int at = y * width + x;
        double best = d[at];
        if (best == 0) {
            return;
        }
        for (int[] n : neighbours) {
            int nx = x + n[0];
            int ny = y + n[1];
            if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
                continue;
            }
            int manhattan = Math.abs(n[0]) + Math.abs(n[1]);
            double weight = manhattan == 3 ? KNIGHT : manhattan == 2 ? DIAGONAL : STEP;
            best = Math.min(best, d[ny * width + nx] + weight);
        }
        d[at] = best;
    }

    /** numpy's {@code polyfit(x, y, 3)}: the least-squares cubic, highest power first. */
    static double[] fitCubic(double[] x, double[] y) {
        double[][] a = new double[4][5];
        for (int k = 0; k < x.length; k++) {
            double[] powers = {x[k] * x[k] * x[k], x[k] * x[k], x[k], 1};
            for (int row = 0; row < 4; row++) {
                for (int col = 0; col < 4; col++) {
                    a[row][col] += powers[row] * powers[col];
                }
                a[row][4] += powers[row] * y[k];
            }
        }
        for (int pivot = 0; pivot < 4; pivot++) {
            int best = pivot;
            for (int row = pivot + 1; row < 4; row++) {
                if (Math.abs(a[row][pivot]) > Math.abs(a[best][pivot])) {
                    best = row;
                }
            }
            double[] swap = a[pivot];
            a[pivot] = a[best];
            a[best] = swap;
            for (int row = 0; row < 4; row++) {
                if (row != pivot) {
                    double factor = a[row][pivot] / a[pivot][pivot];
                    for (int col = pivot; col < 5; col++) {
                        a[row][col] -= factor * a[pivot][col];
                    }
                }
            }
        }
        return new double[] {a[0][4] / a[0][0], a[1][4] / a[1][1], a[2][4] / a[2][2], a[3][4] / a[3][3]};
    }
}

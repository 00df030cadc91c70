package org.invokej.inference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The two numerical pieces of {@code expand_mask_with_fade}, against numpy's and OpenCV's definitions. */
class MaskFadeTest {

    @Test
    void theFadeCurveIsNumpysLeastSquaresCubicThroughInvokeAisControlPoints() {
        // numpy.polyfit([0, 1/16, 0.2, 0.8, 1], [0, 0, 0.2, 0.9, 1], 3), computed with numpy
        double[] expected = {-1.1142031578151674, 1.3298816245597334, 0.8035036790301207, -0.020552299044305895};
        assertArrayEquals(expected, MaskFade.fitCubic(new double[] {0, 1.0 / 16, 0.2, 0.8, 1},
                new double[] {0, 0, 0.2, 0.9, 1}), 1e-9);
    }

    @Test
    void distancesAreOpenCvsFiveByFiveChamferEstimates() {
        // one black pixel in the middle of a 7 x 7 image; OpenCV's DIST_L2 5x5 mask weighs 1, 1.4 and 2.1969
        boolean[] black = new boolean[49];
        black[3 * 7 + 3] = true;
        double[] d = MaskFade.distanceToBlack(black, 7, 7);
        assertEquals(0, d[3 * 7 + 3]);
        assertEquals(1, d[3 * 7 + 4], 1e-9);
        assertEquals(1.4, d[4 * 7 + 4], 1e-9);
        assertEquals(2, d[3 * 7 + 5], 1e-9);
        assertEquals(2.1969, d[4 * 7 + 5], 1e-9);
        assertEquals(2.8, d[5 * 7 + 5], 1e-9);
        assertEquals(3, d[3 * 7 + 6], 1e-9);
        assertEquals(2.1969 + 1.4, d[5 * 7 + 6], 1e-9);
    }
}

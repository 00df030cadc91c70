package org.invokej.inference.schedulers;

/**
 * diffusers' UniPCMultistepScheduler with its defaults ({@code unipc}, {@code unipc_k}): solver order 2,
 * data prediction, the {@code bh2} variant, {@code lower_order_final}, final sigma 0. Each step first
 * corrects the sample the previous step predicted (UniC, using the new model output), then predicts
 * the next sample (UniP).
 */
final class UniPcScheduler extends SolverScheduler {
    private static final int SOLVER_ORDER = 2;

    /** Data predictions x0, newest first. */
    private float[][] history;
    private float[] lastSample;
    private boolean hasLastSample;
    /** The order of the last prediction, which its correction uses. */
    private int thisOrder;
    private int taken;

    private UniPcScheduler(NoiseSchedule schedule, SolverSchedule table) {
        super(schedule, table);
    }

    static UniPcScheduler create(NoiseSchedule schedule, int steps, boolean karras) {
        return new UniPcScheduler(schedule,
                SolverSchedule.multistep(schedule, steps, karras, SolverSchedule.FinalSigma.ZERO));
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int n = sample.length;
        if (history == null) {
            // one spare buffer: the new x0 is computed before the history moves
            history = new float[SOLVER_ORDER + 1][n];
            lastSample = new float[n];
        }
        float[] converted = history[SOLVER_ORDER];
        predictOriginal(modelOutput, sample, index, converted);
        if (index > 0 && hasLastSample) {
            correct(converted, index, sample);
        }
        // the spare becomes the newest; the oldest becomes the spare
        float[] oldest = history[SOLVER_ORDER - 1];
        System.arraycopy(history, 0, history, 1, SOLVER_ORDER - 1);
        history[0] = converted;
        history[SOLVER_ORDER] = oldest;
        thisOrder = Math.min(Math.min(SOLVER_ORDER, timesteps.length - index), taken + 1);
        System.arraycopy(sample, 0, lastSample, 0, n);
        hasLastSample = true;
        predict(index, sample);
        if (taken < SOLVER_ORDER) {
            taken++;
        }
    }

    /** UniP-bh2 ({@code multistep_uni_p_bh_update}) from index to index + 1, in place. */
    private void predict(int index, float[] sample) {
        int order = thisOrder;
        double sigmaT = vpSigma(sigmas[index + 1]);
        double alphaT = alpha(sigmas[index + 1]);
        double sigmaS0 = vpSigma(sigmas[index]);
        double lambdaS0 = lambda(sigmas[index]);
        double h = lambda(sigmas[index + 1]) - lambdaS0;
        double[] rks = new double[order];
        for (int i = 1; i < order; i++) {
            rks[i - 1] = (lambda(sigmas[index - i]) - lambdaS0) / h;
        }
        rks[order - 1] = 1;
        Coefficients c = new Coefficients(rks, h);
        double[] rhos = new double[Math.max(0, order - 1)];
        if (order == 2) {
            rhos[0] = 0.5;
        } else if (order > 2) {
            rhos = solve(c.r, c.b, order - 1);
        }
        float a = (float) (sigmaT / sigmaS0);
        float b = (float) (alphaT * c.hPhi1);
        float[] m0 = history[0];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = a * sample[i] - b * m0[i];
        }
        for (int k = 0; k < rhos.length; k++) {
            float[] mk = history[k + 1];
            float w = (float) (alphaT * c.bH * rhos[k] / rks[k]);
            for (int i = 0; i < sample.length; i++) {
                sample[i] -= w * (mk[i] - m0[i]);
            }
        }
    }

    /** UniC-bh2 ({@code multistep_uni_c_bh_update}): corrects {@code sample}, predicted from the last sample. */
    private void correct(float[] modelT, int index, float[] sample) {
        int order = thisOrder;
        double sigmaT = vpSigma(sigmas[index]);
        double alphaT = alpha(sigmas[index]);
        double sigmaS0 = vpSigma(sigmas[index - 1]);
        double lambdaS0 = lambda(sigmas[index - 1]);
        double h = lambda(sigmas[index]) - lambdaS0;
        double[] rks = new double[order];
        for (int i = 1; i < order; i++) {
            rks[i - 1] = (lambda(sigmas[index - (i + 1)]) - lambdaS0) / h;
        }
        rks[order - 1] = 1;
        Coefficients c = new Coefficients(rks, h);
        double[] rhos = order == 1 ? new double[] {0.5} : solve(c.r, c.b, order);
        float a = (float) (sigmaT / sigmaS0);
        float b = (float) (alphaT * c.hPhi1);
        float last = (float) (alphaT * c.bH * rhos[order - 1]);
        float[] m0 = history[0];
        for (int i = 0; i < sample.length; i++) {
            sample[i] = a * lastSample[i] - b * m0[i] - last * (modelT[i] - m0[i]);
        }
        for (int k = 0; k < order - 1; k++) {
            float[] mk = history[k + 1];
            float w = (float) (alphaT * c.bH * rhos[k] / rks[k]);
            for (int i = 0; i < sample.length; i++) {
                sample[i] -= w * (mk[i] - m0[i]);
            }
        }
    }

    /** UniPC's R (powers of the rks) and b for {@code hh = -h}, with {@code B(h) = expm1(hh)} (bh2). */
    private static final class Coefficients {
        final double[][] r;
        final double[] b;
        final double hPhi1;
        final double bH;

        Coefficients(double[] rks, double h) {
            int order = rks.length;
            double hh = -h;
            hPhi1 = Math.expm1(hh);
            double hPhiK = hPhi1 / hh - 1;
            double factorial = 1;
            bH = Math.expm1(hh);
            r = new double[order][order];
            b = new double[order];
            for (int i = 1; i <= order; i++) {
                for (int k = 0; k < order; k++) {
                    r[i - 1][k] = Math.pow(rks[k], i - 1);
                }
                b[i - 1] = hPhiK * factorial / bH;
                factorial *= i + 1;
                hPhiK = hPhiK / hh - 1 / factorial;
            }
        }
    }

    /** Solves the leading {@code size x size} block of {@code a x = b} (Gaussian elimination, partial pivoting). */
    static double[] solve(double[][] a, double[] b, int size) {
        double[][] m = new double[size][size + 1];
        for (int i = 0; i < size; i++) {
            System.arraycopy(a[i], 0, m[i], 0, size);
            m[i][size] = b[i];
        }
        for (int col = 0; col < size; col++) {
            int pivot = col;
            for (int row = col + 1; row < size; row++) {
                if (Math.abs(m[row][col]) > Math.abs(m[pivot][col])) {
                    pivot = row;
                }
            }
            double[] swap = m[col];
            m[col] = m[pivot];
            m[pivot] = swap;
            for (int row = col + 1; row < size; row++) {
                double f = m[row][col] / m[col][col];
                for (int k = col; k <= size; k++) {
                    m[row][k] -= f * m[col][k];
                }
            }
        }
        double[] x = new double[size];
        for (int row = size - 1; row >= 0; row--) {
            double sum = m[row][size];
            for (int k = row + 1; k < size; k++) {
                sum -= m[row][k] * x[k];
            }
            x[row] = sum / m[row][row];
        }
        return x;
    }
}

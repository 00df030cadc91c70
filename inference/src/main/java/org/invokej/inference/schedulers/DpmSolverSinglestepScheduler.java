package org.invokej.inference.schedulers;

/**
 * diffusers' DPMSolverSinglestepScheduler as InvokeAI uses it ({@code dpmpp_2s}, {@code dpmpp_2s_k}):
 * DPM-Solver++ of order 2, midpoint, final sigma 0. Steps alternate first order (which remembers the
 * sample) and second order (which steps from that remembered sample over both intervals); the last
 * step is first order. Its timesteps always use linspace spacing, whatever the model's config says.
 */
final class DpmSolverSinglestepScheduler extends SolverScheduler {
    /** The order of each step: 1, 2, 1, 2, ..., with the last set to 1. */
    private final int[] orders;
    /** Data predictions x0, newest first. */
    private float[][] history;
    private int kept;
    private float[] remembered;

    private DpmSolverSinglestepScheduler(NoiseSchedule schedule, SolverSchedule table) {
        super(schedule, table);
        int steps = table.timesteps().length;
        orders = new int[steps];
        for (int i = 0; i < steps; i++) {
            orders[i] = i % 2 == 0 ? 1 : 2;
        }
        orders[steps - 1] = 1;
    }

    static DpmSolverSinglestepScheduler create(NoiseSchedule schedule, int steps, boolean karras) {
        return new DpmSolverSinglestepScheduler(schedule, SolverSchedule.singlestep(schedule, steps, karras));
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int n = sample.length;
        if (history == null) {
            history = new float[2][n];
            remembered = new float[n];
        }
        float[] m0 = rotate(history);
        predictOriginal(modelOutput, sample, index, m0);
        kept = Math.min(kept + 1, 2);
        // a run that starts on a second-order step (image to image) has no older output yet
        int order = Math.min(orders[index], kept);
        if (order == 1) {
            System.arraycopy(sample, 0, remembered, 0, n);
        }
        double sigmaT = vpSigma(sigmas[index + 1]);
        double alphaT = alpha(sigmas[index + 1]);
        double lambdaT = lambda(sigmas[index + 1]);
        if (order == 1) {
            double h = lambdaT - lambda(sigmas[index]);
            float a = (float) (sigmaT / vpSigma(sigmas[index]));
            float b = (float) (alphaT * (Math.exp(-h) - 1));
            for (int i = 0; i < n; i++) {
                sample[i] = a * remembered[i] - b * m0[i];
            }
        } else {
            double lambdaS0 = lambda(sigmas[index]);
            double lambdaS1 = lambda(sigmas[index - 1]);
            double h = lambdaT - lambdaS1;
            double r0 = (lambdaS0 - lambdaS1) / h;
            double e = alphaT * (Math.exp(-h) - 1);
            float a = (float) (sigmaT / vpSigma(sigmas[index - 1]));
            float d0 = (float) e;
            float d1 = (float) (0.5 * e / r0);
            float[] m1 = history[1];
            for (int i = 0; i < n; i++) {
                sample[i] = a * remembered[i] - d0 * m1[i] - d1 * (m0[i] - m1[i]);
            }
        }
    }
}

package org.invokej.inference.schedulers;

/**
 * diffusers' KDPM2DiscreteScheduler ({@code kdpm_2}, {@code kdpm_2_k}): DPM-Solver-2 in sigma space.
 * Each step evaluates the UNet at its sigma, takes an Euler step to the geometric mean of this and the
 * next sigma, evaluates there and steps the whole interval with that derivative. The schedule holds
 * {@code 2 * steps - 1} entries: {@code t0, t(mid 1), t1, t(mid 2), t2, ...}; odd indices are the
 * midpoint evaluations, whose input is scaled with the midpoint sigma.
 */
final class KDpm2Scheduler extends SigmaScheduler {
    /** The midpoint sigma each index steps to (even) or evaluates at (odd). */
    private final double[] midpoints;
    private float[] remembered;
    private boolean secondHalf;

    private KDpm2Scheduler(NoiseSchedule schedule, double[] timesteps, double[] sigmas, double[] midpoints) {
        super(schedule, timesteps, sigmas);
        this.midpoints = midpoints;
    }

    static KDpm2Scheduler create(NoiseSchedule schedule, int steps, boolean karras) {
        double[][] base = baseTable(schedule, steps, karras);
        double[] t = base[0];
        double[] s = base[1];
        int n = steps;
        double[] timesteps = new double[2 * n - 1];
        double[] sigmas = new double[2 * n];
        double[] midpoints = new double[2 * n];
        timesteps[0] = t[0];
        sigmas[0] = s[0];
        for (int k = 0; k < n; k++) {
            // the geometric mean of s_k and s_k+1 (0 for the last step, which ends at 0)
            double mid = (float) Math.sqrt(s[k] * s[k + 1]);
            if (k + 1 < n) {
                timesteps[2 * k + 1] = schedule.sigmaToT(mid);
                timesteps[2 * k + 2] = t[k + 1];
                sigmas[2 * k + 1] = s[k + 1];
                sigmas[2 * k + 2] = s[k + 1];
            } else {
                sigmas[2 * k + 1] = 0;
            }
            midpoints[2 * k] = mid;
            midpoints[2 * k + 1] = mid;
        }
        return new KDpm2Scheduler(schedule, timesteps, sigmas, midpoints);
    }

    /**
     * The discrete timesteps and their sigmas (float32, a final 0 appended) that KDPM2 and KDPM2
     * ancestral start from; with Karras sigmas the timesteps are the rounded training steps of each sigma.
     */
    static double[][] baseTable(NoiseSchedule schedule, int steps, boolean karras) {
        double[] t = schedule.discreteTimesteps(steps);
        double[] s = new double[steps];
        for (int i = 0; i < steps; i++) {
            s[i] = schedule.sigmaAt(t[i]);
        }
        if (karras) {
            s = NoiseSchedule.karras(s[0], s[steps - 1], steps);
            for (int i = 0; i < steps; i++) {
                t[i] = Math.rint(schedule.sigmaToT(s[i]));
            }
        }
        double[] withZero = new double[steps + 1];
        for (int i = 0; i < steps; i++) {
            withZero[i] = (float) s[i];
        }
        return new double[][] {t, withZero};
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public double inputScale(int index) {
        double sigma = index % 2 == 0 ? sigmas[index] : midpoints[index];
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int n = sample.length;
        if (remembered == null) {
            remembered = new float[n];
        }
        if (!secondHalf) {
            double sigma = sigmas[index];
            float dt = (float) (midpoints[index] - sigma);
            System.arraycopy(sample, 0, remembered, 0, n);
            for (int i = 0; i < n; i++) {
                float x = sample[i];
                float derivative = (float) ((x - predictOriginal(x, modelOutput[i], sigma)) / sigma);
                sample[i] = x + derivative * dt;
            }
            secondHalf = true;
        } else {
            double sigma = sigmas[index - 1];
            double mid = midpoints[index];
            float dt = (float) (sigmas[index] - sigma);
            for (int i = 0; i < n; i++) {
                float x = sample[i];
                float derivative = (float) ((x - predictOriginal(x, modelOutput[i], mid)) / mid);
                sample[i] = remembered[i] + derivative * dt;
            }
            secondHalf = false;
        }
    }
}

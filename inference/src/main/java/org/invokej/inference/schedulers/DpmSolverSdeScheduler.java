package org.invokej.inference.schedulers;

/**
 * diffusers' DPMSolverSDEScheduler ({@code dpmpp_sde}, {@code dpmpp_sde_k}; k-diffusion's DPM++ SDE):
 * each step evaluates the UNet at its sigma, takes an ancestral step to the log-midpoint sigma, evaluates
 * there, then takes an ancestral step over the whole interval from the remembered sample. The schedule
 * holds {@code 2 * steps - 1} entries ({@code t0, t(mid 1), t1, ...}); the last step is a plain Euler
 * step to 0.
 *
 * <p>Noise: diffusers draws it from torchsde's Brownian tree ({@code noise_sampler_seed}), normalised
 * increments of one Brownian motion in sigma, so the second draw of a step overlaps the first. Here the
 * same increments are built from {@link StepNoise} draws (two per step, {@code seed ^ 0xFFFFFFFF} in
 * generation): the first increment is a fresh draw z1, the whole interval's is
 * {@code (sqrt(a) z1 + sqrt(b) z2) / sqrt(a + b)} with {@code a}, {@code b} the lengths of its halves.
 * That is the same distribution as the Brownian tree's, not the same values: a seed does not reproduce
 * InvokeAI's image with these two schedulers.
 */
final class DpmSolverSdeScheduler extends SigmaScheduler {
    /** The log-midpoint sigma of each step, at both of its indices. */
    private final double[] midpoints;
    private final StepNoise noise;
    private float[] remembered;
    private float[] firstDraw;
    private float[] secondDraw;
    private boolean secondHalf;

    private DpmSolverSdeScheduler(NoiseSchedule schedule, double[] timesteps, double[] sigmas, double[] midpoints,
            StepNoise noise) {
        super(schedule, timesteps, sigmas);
        this.midpoints = midpoints;
        this.noise = noise;
    }

    static DpmSolverSdeScheduler create(NoiseSchedule schedule, int steps, boolean karras, StepNoise noise) {
        double[][] table = table(schedule, steps, karras);
        double[] t = table[0];
        double[] s = table[1];
        int n = steps;
        double[] timesteps = new double[2 * n - 1];
        double[] sigmas = new double[2 * n];
        double[] midpoints = new double[2 * n];
        timesteps[0] = t[0];
        sigmas[0] = (float) s[0];
        for (int k = 0; k < n; k++) {
            if (k + 1 < n) {
                // sigma at the log-midpoint, exp(-(t + (t_next - t) / 2)) with t = -log(sigma): diffusers takes the
                // timestep from the sigmas before and the step's sigma from those after their float32 rounding
                timesteps[2 * k + 1] = schedule.sigmaToT(logMidpoint(s[k], s[k + 1]));
                timesteps[2 * k + 2] = t[k + 1];
                sigmas[2 * k + 1] = (float) s[k + 1];
                sigmas[2 * k + 2] = (float) s[k + 1];
                double mid = logMidpoint((float) s[k], (float) s[k + 1]);
                midpoints[2 * k] = mid;
                midpoints[2 * k + 1] = mid;
            } else {
                sigmas[2 * k + 1] = 0;
            }
        }
        return new DpmSolverSdeScheduler(schedule, timesteps, sigmas, midpoints, noise);
    }

    private static double logMidpoint(double sigma, double next) {
        double t = -Math.log(sigma);
        return Math.exp(-(t + 0.5 * (-Math.log(next) - t)));
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public double inputScale(int index) {
        double sigma = index % 2 == 1 ? midpoints[index] : sigmas[index];
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int n = sample.length;
        if (remembered == null) {
            remembered = new float[n];
            firstDraw = new float[n];
            secondDraw = new float[n];
        }
        double sigma = secondHalf ? sigmas[index - 1] : sigmas[index];
        double sigmaNext = secondHalf ? sigmas[index] : sigmas[index + 1];
        double sigmaInput = secondHalf ? midpoints[index] : sigma;
        if (sigmaNext == 0) {
            float dt = (float) (sigmaNext - sigma);
            for (int i = 0; i < n; i++) {
                float x = sample[i];
                float derivative = (float) ((x - predictOriginal(x, modelOutput[i], sigma)) / sigma);
                sample[i] = x + derivative * dt;
            }
            return;
        }
        double sigmaTo = secondHalf ? sigmaNext : midpoints[index];
        double sigmaUp = Math.min(sigmaTo, Math.sqrt(sigmaTo * sigmaTo * (sigma * sigma - sigmaTo * sigmaTo)
                / (sigma * sigma)));
        double sigmaDown = Math.sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
        float keep = (float) (sigmaDown / sigma);
        float towards = (float) -Math.expm1(Math.log(sigmaDown) - Math.log(sigma)); // -expm1(t - t_ancestral)
        float up = (float) sigmaUp;
        float[] increment;
        if (!secondHalf) {
            noise.fill(firstDraw);
            increment = firstDraw;
            System.arraycopy(sample, 0, remembered, 0, n);
        } else {
            noise.fill(secondDraw);
            double a = Math.abs(sigma - midpoints[index]);
            double b = Math.abs(midpoints[index] - sigmaNext);
            float first = (float) Math.sqrt(a / (a + b));
            float second = (float) Math.sqrt(b / (a + b));
            for (int i = 0; i < n; i++) {
                secondDraw[i] = first * firstDraw[i] + second * secondDraw[i];
            }
            increment = secondDraw;
        }
        float[] base = secondHalf ? remembered : sample;
        for (int i = 0; i < n; i++) {
            float original = predictOriginal(sample[i], modelOutput[i], sigmaInput);
            sample[i] = keep * base[i] + towards * original + increment[i] * up;
        }
        secondHalf = !secondHalf;
    }
}

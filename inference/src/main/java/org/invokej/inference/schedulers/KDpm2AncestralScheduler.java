package org.invokej.inference.schedulers;

/**
 * diffusers' KDPM2AncestralDiscreteScheduler ({@code kdpm_2_a}, {@code kdpm_2_a_k}): the KDPM2 step
 * aimed at the ancestral "down" sigma, then fresh noise scaled by the "up" sigma, as Euler ancestral
 * does. The midpoint is the geometric mean of a sigma and its down sigma; the last step goes straight
 * to 0. One noise tensor is drawn on every UNet evaluation (diffusers draws before it knows whether
 * it needs one), from {@link StepNoise}.
 */
final class KDpm2AncestralScheduler extends SigmaScheduler {
    private final double[] midpoints;
    private final double[] ups;
    private final double[] downs;
    private final StepNoise noise;
    private float[] remembered;
    private float[] noiseBuffer;
    private boolean secondHalf;

    private KDpm2AncestralScheduler(NoiseSchedule schedule, double[] timesteps, double[] sigmas, double[] midpoints,
            double[] ups, double[] downs, StepNoise noise) {
        super(schedule, timesteps, sigmas);
        this.midpoints = midpoints;
        this.ups = ups;
        this.downs = downs;
        this.noise = noise;
    }

    static KDpm2AncestralScheduler create(NoiseSchedule schedule, int steps, boolean karras, StepNoise noise) {
        double[][] base = KDpm2Scheduler.baseTable(schedule, steps, karras);
        double[] t = base[0];
        double[] s = base[1];
        int n = steps;
        double[] timesteps = new double[2 * n - 1];
        double[] sigmas = new double[2 * n];
        double[] midpoints = new double[2 * n];
        double[] ups = new double[2 * n];
        double[] downs = new double[2 * n];
        timesteps[0] = t[0];
        sigmas[0] = s[0];
        for (int k = 0; k < n; k++) {
            double next = s[k + 1];
            double up = (float) Math.sqrt(next * next * (s[k] * s[k] - next * next) / (s[k] * s[k]));
            double down = (float) Math.sqrt(next * next - up * up);
            // diffusers zeroes the last two midpoints: the last step ends at 0
            double mid = k >= n - 1 ? 0 : (float) Math.sqrt(s[k] * down);
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
            ups[2 * k + 1] = up;
            downs[2 * k + 1] = down;
        }
        return new KDpm2AncestralScheduler(schedule, timesteps, sigmas, midpoints, ups, downs, noise);
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
            noiseBuffer = new float[n];
        }
        noise.fill(noiseBuffer);
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
            float dt = (float) (downs[index] - sigma);
            float up = (float) ups[index];
            for (int i = 0; i < n; i++) {
                float x = sample[i];
                float derivative = (float) ((x - predictOriginal(x, modelOutput[i], mid)) / mid);
                sample[i] = remembered[i] + derivative * dt + noiseBuffer[i] * up;
            }
            secondHalf = false;
        }
    }
}

package org.invokej.inference.schedulers;

/**
 * diffusers' HeunDiscreteScheduler ({@code heun}, {@code heun_k}): order 2, every step but the first
 * evaluated twice. Timesteps after the first and the sigmas in between are repeated, so the
 * schedule has {@code 2 * steps - 1} entries; odd indices are the correcting evaluations.
 */
final class HeunScheduler extends SigmaScheduler {
    private float[] firstDerivative;
    private float[] firstSample;
    private double firstDt;
    private boolean secondHalf;

    private HeunScheduler(NoiseSchedule schedule, double[] timesteps, double[] sigmas) {
        super(schedule, timesteps, sigmas);
    }

    static HeunScheduler create(NoiseSchedule schedule, int steps, boolean karras) {
        double[][] table = table(schedule, steps, karras);
        double[] t = table[0];
        double[] s = table[1];
        double[] timesteps = new double[2 * steps - 1];
        double[] sigmas = new double[2 * steps];
        timesteps[0] = t[0];
        for (int i = 1; i < steps; i++) {
            timesteps[2 * i - 1] = t[i];
            timesteps[2 * i] = t[i];
        }
        sigmas[0] = s[0];
        for (int i = 1; i < steps; i++) {
            sigmas[2 * i - 1] = s[i];
            sigmas[2 * i] = s[i];
        }
        sigmas[2 * steps - 1] = 0;
        return new HeunScheduler(schedule, timesteps, sigmas);
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        if (firstDerivative == null) {
            // buffers made on the first step, reused for every pair
            firstDerivative = new float[sample.length];
            firstSample = new float[sample.length];
        }
        if (!secondHalf) {
            double sigma = sigmas[index];
            double dt = sigmas[index + 1] - sigma;
            System.arraycopy(sample, 0, firstSample, 0, sample.length);
            firstDt = dt;
            for (int i = 0; i < sample.length; i++) {
                float x = sample[i];
                float derivative = (float) ((x - predictOriginal(x, modelOutput[i], sigma)) / sigma);
                firstDerivative[i] = derivative;
                sample[i] = (float) (x + derivative * dt);
            }
            secondHalf = true;
        } else {
            double sigmaNext = sigmas[index];
            for (int i = 0; i < sample.length; i++) {
                float x = sample[i];
                float derivative = (float) ((x - predictOriginal(x, modelOutput[i], sigmaNext)) / sigmaNext);
                float mean = (firstDerivative[i] + derivative) / 2;
                sample[i] = (float) (firstSample[i] + mean * firstDt);
            }
            secondHalf = false;
        }
    }
}

package org.invokej.inference.schedulers;

/**
 * Base of the Karras-style discrete schedulers (Euler, Euler ancestral, LMS, Heun): samples live at
 * noise level sigma ({@code x = x0 + sigma * eps}), the UNet sees {@code x / sqrt(sigma^2 + 1)}, and
 * the sigma table ends with 0.
 */
abstract class SigmaScheduler implements Scheduler {
    final NoiseSchedule schedule;
    final double[] timesteps;
    /** One more entry than {@link #timesteps}; the last is 0. */
    final double[] sigmas;

    SigmaScheduler(NoiseSchedule schedule, double[] timesteps, double[] sigmas) {
        this.schedule = schedule;
        this.timesteps = timesteps;
        this.sigmas = sigmas;
    }

    /** timesteps and sigmas (with a final 0) for {@code steps}, with Karras spacing if asked. */
    static double[][] table(NoiseSchedule schedule, int steps, boolean karras) {
        double[] t = schedule.discreteTimesteps(steps);
        double[] s = new double[steps];
        for (int i = 0; i < steps; i++) {
            s[i] = schedule.sigmaAt(t[i]);
        }
        if (karras) {
            s = NoiseSchedule.karras(s[0], s[steps - 1], steps);
            for (int i = 0; i < steps; i++) {
                t[i] = schedule.sigmaToT(s[i]);
            }
        }
        double[] withZero = new double[steps + 1];
        System.arraycopy(s, 0, withZero, 0, steps);
        return new double[][] {t, withZero};
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    /** The sigmas, with the final 0 (for tests and previews). */
    double[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public double inputScale(int index) {
        double sigma = sigmas[index];
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    @Override
    public void addNoise(float[] original, float[] noise, int index, float[] out) {
        float sigma = (float) sigmas[index];
        for (int i = 0; i < out.length; i++) {
            out[i] = original[i] + sigma * noise[i];
        }
    }

    /** The denoised estimate x0 implied by the model output at noise level sigma. */
    final float predictOriginal(float sample, float modelOutput, double sigma) {
        return switch (schedule.config.predictionType()) {
            case EPSILON -> (float) (sample - sigma * modelOutput);
            case V_PREDICTION -> (float) (modelOutput * (-sigma / Math.sqrt(sigma * sigma + 1))
                    + sample / (sigma * sigma + 1));
            case SAMPLE -> modelOutput;
        };
    }
}

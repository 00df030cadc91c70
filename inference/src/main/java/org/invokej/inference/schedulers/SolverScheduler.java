package org.invokej.inference.schedulers;

/**
 * Base of the DPM-Solver family (DPM-Solver++ multistep and singlestep, UniPC, DEIS): samples live in
 * the variance-preserving form {@code alpha x0 + sigma_vp eps} with {@code alpha = 1 / sqrt(sigma^2 + 1)}
 * and {@code sigma_vp = sigma * alpha}, the UNet sees them unscaled, timesteps are integers, and the
 * solvers work in {@code lambda = log(alpha / sigma_vp)}. Multistep history lives in buffers made once
 * per run, on the first step, and reused.
 */
abstract class SolverScheduler implements Scheduler {
    final NoiseSchedule schedule;
    final double[] timesteps;
    /** One more than the timesteps. */
    final double[] sigmas;

    SolverScheduler(NoiseSchedule schedule, SolverSchedule table) {
        this.schedule = schedule;
        this.timesteps = table.timesteps();
        this.sigmas = table.sigmas();
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    /** The sigmas, with the final one (for tests). */
    double[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public double inputScale(int index) {
        return 1;
    }

    @Override
    public void addNoise(float[] original, float[] noise, int index, float[] out) {
        float signal = (float) alpha(sigmas[index]);
        float noiseScale = (float) (sigmas[index] * alpha(sigmas[index]));
        for (int i = 0; i < out.length; i++) {
            out[i] = signal * original[i] + noiseScale * noise[i];
        }
    }

    static double alpha(double sigma) {
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    /** The variance-preserving sigma, {@code sigma * alpha}. */
    static double vpSigma(double sigma) {
        return sigma * alpha(sigma);
    }

    /** Half the log signal-to-noise ratio; +infinity at sigma 0. */
    static double lambda(double sigma) {
        double alpha = alpha(sigma);
        return Math.log(alpha) - Math.log(sigma * alpha);
    }

    /** The data prediction x0 at {@code index} ({@code convert_model_output} of DPM-Solver++), into {@code out}. */
    final void predictOriginal(float[] modelOutput, float[] sample, int index, float[] out) {
        double sigma = sigmas[index];
        float alpha = (float) alpha(sigma);
        float sigmaVp = (float) vpSigma(sigma);
        switch (schedule.config.predictionType()) {
            case EPSILON -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (sample[i] - sigmaVp * modelOutput[i]) / alpha;
                }
            }
            case V_PREDICTION -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = alpha * sample[i] - sigmaVp * modelOutput[i];
                }
            }
            case SAMPLE -> System.arraycopy(modelOutput, 0, out, 0, out.length);
        }
    }

    /** Moves every buffer one place older and returns the oldest, to be overwritten as the newest. */
    static float[] rotate(float[][] history) {
        float[] oldest = history[history.length - 1];
        System.arraycopy(history, 0, history, 1, history.length - 1);
        history[0] = oldest;
        return oldest;
    }
}

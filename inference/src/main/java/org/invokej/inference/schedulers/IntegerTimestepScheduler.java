package org.invokej.inference.schedulers;

/**
 * Base of DDIM and PNDM: samples live in the variance-preserving form
 * {@code sqrt(a) x0 + sqrt(1 - a) eps}, the UNet sees them unscaled, and timesteps are integers.
 */
abstract class IntegerTimestepScheduler implements Scheduler {
    final NoiseSchedule schedule;
    final int[] timesteps;
    /** Training timesteps between two inference steps ({@code T // steps}). */
    final int stride;

    IntegerTimestepScheduler(NoiseSchedule schedule, int[] timesteps, int stride) {
        this.schedule = schedule;
        this.timesteps = timesteps;
        this.stride = stride;
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public double[] timesteps() {
        double[] t = new double[timesteps.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = timesteps[i];
        }
        return t;
    }

    @Override
    public double inputScale(int index) {
        return 1;
    }

    @Override
    public void addNoise(float[] original, float[] noise, int index, float[] out) {
        schedule.addNoiseAt(timesteps[index], original, noise, out);
    }
}

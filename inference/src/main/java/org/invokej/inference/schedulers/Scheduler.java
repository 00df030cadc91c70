package org.invokej.inference.schedulers;

/**
 * One denoising run's scheduler, built for a number of steps. Indices address the full schedule
 * ({@link #timesteps()}, one entry per UNet evaluation); a run may start and end anywhere in it
 * (see {@link TimestepWindow}). Instances keep multistep history and are used for one run only.
 */
public interface Scheduler {

    /** 2 for schedulers that evaluate the UNet twice per step (Heun), else 1. */
    public int order();

    /** The timestep the UNet sees at each index, largest first. */
    public double[] timesteps();

    /** The factor the UNet input is multiplied by at an index ({@code scale_model_input}). */
    public double inputScale(int index);

    /** Advances {@code sample} in place by one index, given the (guided) model output at that index. */
    public void step(float[] modelOutput, int index, float[] sample);

    /** Writes {@code original} noised to the level of the given index into {@code out}. */
    public void addNoise(float[] original, float[] noise, int index, float[] out);
}

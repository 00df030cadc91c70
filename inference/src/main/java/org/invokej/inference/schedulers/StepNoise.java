package org.invokej.inference.schedulers;

import org.invokej.inference.TorchRandom;

/**
 * The Gaussian noise a stochastic scheduler (ancestral, SDE, DDPM, LCM, TCD) adds during its steps,
 * one call per draw. Tests replay recorded noise through this; generation uses {@link #seeded}.
 */
@FunctionalInterface
public interface StepNoise {

    /** Fills {@code out} with standard normal values. */
    void fill(float[] out);

    /**
     * The noise InvokeAI gives a scheduler's {@code step()}: a torch CPU generator seeded with
     * {@code seed ^ 0xFFFFFFFF}, drawn as {@code randn_tensor(latents.shape)} once per draw.
     */
    static StepNoise seeded(long seed) {
        TorchRandom random = new TorchRandom(seed ^ 0xFFFFFFFFL);
        return random::randn;
    }
}

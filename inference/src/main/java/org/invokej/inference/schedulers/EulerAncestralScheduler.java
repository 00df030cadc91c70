package org.invokej.inference.schedulers;

import org.invokej.inference.TorchRandom;

/**
 * diffusers' EulerAncestralDiscreteScheduler ({@code euler_a}): an Euler step to a lower sigma, then
 * fresh noise back up to the next sigma. The noise comes from a torch-compatible generator seeded
 * with {@code seed ^ 0xFFFFFFFF}, as InvokeAI seeds the generator it passes to {@code step()}.
 */
final class EulerAncestralScheduler extends SigmaScheduler {
    private final TorchRandom random;

    private EulerAncestralScheduler(NoiseSchedule schedule, double[][] table, long seed) {
        super(schedule, table[0], table[1]);
        this.random = new TorchRandom(seed ^ 0xFFFFFFFFL);
    }

    static EulerAncestralScheduler create(NoiseSchedule schedule, int steps, long seed) {
        return new EulerAncestralScheduler(schedule, table(schedule, steps, false), seed);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        double sigmaFrom = sigmas[index];
        double sigmaTo = sigmas[index + 1];
        double sigmaUp = Math.sqrt(sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo)
                / (sigmaFrom * sigmaFrom));
        double sigmaDown = Math.sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
        double dt = sigmaDown - sigmaFrom;
        float[] noise = random.randn(sample.length);
        for (int i = 0; i < sample.length; i++) {
            float x = sample[i];
            float derivative = (float) ((x - predictOriginal(x, modelOutput[i], sigmaFrom)) / sigmaFrom);
            sample[i] = (float) (x + derivative * dt + noise[i] * sigmaUp);
        }
    }
}

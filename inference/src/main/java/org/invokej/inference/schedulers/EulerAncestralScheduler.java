package org.invokej.inference.schedulers;

/**
 * diffusers' EulerAncestralDiscreteScheduler ({@code euler_a}): an Euler step to a lower sigma, then
 * fresh noise back up to the next sigma. The noise comes from {@link StepNoise} (in generation a
 * torch-compatible generator seeded with {@code seed ^ 0xFFFFFFFF}, as InvokeAI seeds the generator
 * it passes to {@code step()}).
 */
final class EulerAncestralScheduler extends SigmaScheduler {
    private final StepNoise noise;
    private float[] noiseBuffer;

    private EulerAncestralScheduler(NoiseSchedule schedule, double[][] table, StepNoise noise) {
        super(schedule, table[0], table[1]);
        this.noise = noise;
    }

    static EulerAncestralScheduler create(NoiseSchedule schedule, int steps, StepNoise noise) {
        return new EulerAncestralScheduler(schedule, table(schedule, steps, false), noise);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        double sigmaFrom = sigmas[index];
        double sigmaTo = sigmas[index + 1];
        double sigmaUp = Math.sqrt(sigmaTo * sigmaTo * (sigmaFrom * sigmaFrom - sigmaTo * sigmaTo)
                / (sigmaFrom * sigmaFrom));
        double sigmaDown = Math.sqrt(sigmaTo * sigmaTo - sigmaUp * sigmaUp);
        double dt = sigmaDown - sigmaFrom;
        if (noiseBuffer == null) {
            noiseBuffer = new float[sample.length];
        }
        noise.fill(noiseBuffer);
        for (int i = 0; i < sample.length; i++) {
            float x = sample[i];
            float derivative = (float) ((x - predictOriginal(x, modelOutput[i], sigmaFrom)) / sigmaFrom);
            sample[i] = (float) (x + derivative * dt + noiseBuffer[i] * sigmaUp);
        }
    }
}

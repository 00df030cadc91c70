package org.invokej.inference.schedulers;

/**
 * diffusers' DDPMScheduler ({@code ddpm}) with the {@code fixed_small} variance: the posterior mean of
 * the previous timestep plus noise scaled by its standard deviation, at every step whose timestep is
 * above 0 (with SD's {@code steps_offset} 1 that includes the last). The noise comes from {@link StepNoise}.
 */
final class DdpmScheduler extends IntegerTimestepScheduler {
    private final StepNoise noise;
    private float[] noiseBuffer;

    private DdpmScheduler(NoiseSchedule schedule, int[] timesteps, int stride, StepNoise noise) {
        super(schedule, timesteps, stride);
        this.noise = noise;
    }

    static DdpmScheduler create(NoiseSchedule schedule, int steps, StepNoise noise) {
        return new DdpmScheduler(schedule, schedule.integerTimesteps(steps), schedule.trainSteps() / steps, noise);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int n = sample.length;
        int t = timesteps[index];
        int previous = t - stride;
        double alpha = schedule.alphasCumprod[t];
        double alphaPrev = previous >= 0 ? schedule.alphasCumprod[previous] : 1.0;
        double beta = 1 - alpha;
        double betaPrev = 1 - alphaPrev;
        double currentAlpha = alpha / alphaPrev;
        double currentBeta = 1 - currentAlpha;
        float originalCoefficient = (float) (Math.sqrt(alphaPrev) * currentBeta / beta);
        float sampleCoefficient = (float) (Math.sqrt(currentAlpha) * betaPrev / beta);
        float sqrtAlpha = (float) Math.sqrt(alpha);
        float sqrtBeta = (float) Math.sqrt(beta);
        SchedulerConfig config = schedule.config;
        boolean clip = config.clipSample();
        float range = (float) config.clipSampleRange();
        float deviation = 0;
        if (t > 0) {
            if (noiseBuffer == null) {
                noiseBuffer = new float[n];
            }
            noise.fill(noiseBuffer);
            deviation = (float) Math.sqrt(Math.max(betaPrev / beta * currentBeta, 1e-20));
        }
        for (int i = 0; i < n; i++) {
            float x = sample[i];
            float out = modelOutput[i];
            float original = switch (config.predictionType()) {
                case EPSILON -> (x - sqrtBeta * out) / sqrtAlpha;
                case V_PREDICTION -> sqrtAlpha * x - sqrtBeta * out;
                case SAMPLE -> out;
            };
            if (clip) {
                original = Math.max(-range, Math.min(range, original));
            }
            float mean = originalCoefficient * original + sampleCoefficient * x;
            sample[i] = t > 0 ? mean + deviation * noiseBuffer[i] : mean;
        }
    }
}

package org.invokej.inference.schedulers;

/**
 * diffusers' LCMScheduler ({@code lcm}) and TCDScheduler ({@code tcd}, with InvokeAI's {@code eta 1.0}),
 * for consistency-distilled models. Both take their timesteps from the 50-step schedule the model was
 * distilled on ({@code original_inference_steps}): {@code 19, 39, ..., 999}, reversed, at
 * {@code floor(linspace(0, 50, steps, endpoint=False))}; so at most 50 steps. Each step predicts the
 * clean sample and re-noises it to the next timestep with fresh noise from {@link StepNoise}, except
 * the last step, which returns the prediction.
 *
 * <p>LCM's prediction is the boundary-conditioned {@code c_out x0 + c_skip x} with {@code sigma_data 0.5}
 * and {@code timestep_scaling 10}. TCD with eta 1 re-noises from timestep {@code floor((1 - eta) prev) = 0}.
 */
final class ConsistencyScheduler extends IntegerTimestepScheduler {
    /** diffusers' {@code original_inference_steps} default for both classes. */
    static final int ORIGINAL_STEPS = 50;
    private static final double TIMESTEP_SCALING = 10.0;
    private static final double SIGMA_DATA = 0.5;
    private static final double TCD_ETA = 1.0;

    private final boolean tcd;
    private final StepNoise noise;
    private float[] noiseBuffer;

    private ConsistencyScheduler(NoiseSchedule schedule, int[] timesteps, boolean tcd, StepNoise noise) {
        super(schedule, timesteps, 0);
        this.tcd = tcd;
        this.noise = noise;
    }

    static ConsistencyScheduler create(NoiseSchedule schedule, int steps, boolean tcd, StepNoise noise) {
        if (steps > ORIGINAL_STEPS) {
            throw new IllegalArgumentException((tcd ? "tcd" : "lcm") + " takes at most " + ORIGINAL_STEPS
                    + " steps (the schedule the model was distilled on), not " + steps);
        }
        int k = schedule.trainSteps() / ORIGINAL_STEPS;
        int[] timesteps = new int[steps];
        double spacing = (double) ORIGINAL_STEPS / steps; // floor(linspace(0, 50, steps, endpoint=False)), as numpy
        for (int i = 0; i < steps; i++) {
            int origin = (int) Math.floor(i * spacing);
            timesteps[i] = (ORIGINAL_STEPS - origin) * k - 1;
        }
        return new ConsistencyScheduler(schedule, timesteps, tcd, noise);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int n = sample.length;
        int t = timesteps[index];
        boolean last = index == timesteps.length - 1;
        double alpha = schedule.alphasCumprod[t];
        float sqrtAlpha = (float) Math.sqrt(alpha);
        float sqrtBeta = (float) Math.sqrt(1 - alpha);
        SchedulerConfig.PredictionType prediction = schedule.config.predictionType();
        if (!last) {
            if (noiseBuffer == null) {
                noiseBuffer = new float[n];
            }
            noise.fill(noiseBuffer);
        }
        if (tcd) {
            int previous = last ? 0 : timesteps[index + 1];
            int s = (int) Math.floor((1 - TCD_ETA) * previous);
            double alphaPrev = schedule.alphasCumprod[previous];
            double alphaS = schedule.alphasCumprod[s];
            float sqrtAlphaS = (float) Math.sqrt(alphaS);
            float sqrtBetaS = (float) Math.sqrt(1 - alphaS);
            float keep = (float) Math.sqrt(alphaPrev / alphaS);
            float fresh = (float) Math.sqrt(1 - alphaPrev / alphaS);
            for (int i = 0; i < n; i++) {
                float x = sample[i];
                float out = modelOutput[i];
                float original;
                float epsilon;
                switch (prediction) {
                    case EPSILON -> {
                        original = (x - sqrtBeta * out) / sqrtAlpha;
                        epsilon = out;
                    }
                    case V_PREDICTION -> {
                        original = sqrtAlpha * x - sqrtBeta * out;
                        epsilon = sqrtAlpha * out + sqrtBeta * x;
                    }
                    default -> {
                        original = out;
                        epsilon = (x - sqrtAlpha * original) / sqrtBeta;
                    }
                }
                float noised = sqrtAlphaS * original + sqrtBetaS * epsilon;
                sample[i] = last ? noised : keep * noised + fresh * noiseBuffer[i];
            }
            return;
        }
        double scaled = t * TIMESTEP_SCALING;
        float skip = (float) (SIGMA_DATA * SIGMA_DATA / (scaled * scaled + SIGMA_DATA * SIGMA_DATA));
        float outScale = (float) (scaled / Math.sqrt(scaled * scaled + SIGMA_DATA * SIGMA_DATA));
        float sqrtAlphaPrev = 0;
        float sqrtBetaPrev = 0;
        if (!last) {
            double alphaPrev = schedule.alphasCumprod[timesteps[index + 1]];
            sqrtAlphaPrev = (float) Math.sqrt(alphaPrev);
            sqrtBetaPrev = (float) Math.sqrt(1 - alphaPrev);
        }
        SchedulerConfig config = schedule.config;
        boolean clip = config.clipSample();
        float range = (float) config.clipSampleRange();
        for (int i = 0; i < n; i++) {
            float x = sample[i];
            float out = modelOutput[i];
            float original = switch (prediction) {
                case EPSILON -> (x - sqrtBeta * out) / sqrtAlpha;
                case V_PREDICTION -> sqrtAlpha * x - sqrtBeta * out;
                case SAMPLE -> out;
            };
            if (clip) {
                original = Math.max(-range, Math.min(range, original));
            }
            float denoised = outScale * original + skip * x;
            sample[i] = last ? denoised : sqrtAlphaPrev * denoised + sqrtBetaPrev * noiseBuffer[i];
        }
    }
}

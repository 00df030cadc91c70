package org.invokej.inference.schedulers;

/** diffusers' DDIMScheduler with eta 0 ({@code ddim}): deterministic steps between integer timesteps. */
final class DdimScheduler extends IntegerTimestepScheduler {

    private DdimScheduler(NoiseSchedule schedule, int[] timesteps, int stride) {
        super(schedule, timesteps, stride);
    }

    static DdimScheduler create(NoiseSchedule schedule, int steps) {
        return new DdimScheduler(schedule, schedule.integerTimesteps(steps), schedule.trainSteps() / steps);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int t = timesteps[index];
        double alpha = schedule.alphaCumprodAt(t);
        double alphaPrev = schedule.alphaCumprodAt(t - stride);
        double beta = 1 - alpha;
        double sqrtAlpha = Math.sqrt(alpha);
        double sqrtBeta = Math.sqrt(beta);
        double sqrtAlphaPrev = Math.sqrt(alphaPrev);
        double direction = Math.sqrt(1 - alphaPrev);
        SchedulerConfig config = schedule.config;
        float range = (float) config.clipSampleRange();
        for (int i = 0; i < sample.length; i++) {
            double x = sample[i];
            double out = modelOutput[i];
            double original;
            double epsilon;
            switch (config.predictionType()) {
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
            if (config.clipSample()) {
                original = Math.max(-range, Math.min(range, original));
            }
            sample[i] = (float) (sqrtAlphaPrev * original + direction * epsilon);
        }
    }
}

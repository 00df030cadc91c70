package org.invokej.inference.schedulers;

/** diffusers' EulerDiscreteScheduler (s_churn 0): {@code euler}, and {@code euler_k} with Karras sigmas. */
final class EulerScheduler extends SigmaScheduler {

    private EulerScheduler(NoiseSchedule schedule, double[][] table) {
        super(schedule, table[0], table[1]);
    }

    static EulerScheduler create(NoiseSchedule schedule, int steps, boolean karras) {
        return new EulerScheduler(schedule, table(schedule, steps, karras));
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        double sigma = sigmas[index];
        double dt = sigmas[index + 1] - sigma;
        if (schedule.config.predictionType() == SchedulerConfig.PredictionType.EPSILON) {
            // (x - x0) / sigma with x0 = x - sigma * eps is eps itself
            float step = (float) dt;
            for (int i = 0; i < sample.length; i++) {
                sample[i] += modelOutput[i] * step;
            }
            return;
        }
        for (int i = 0; i < sample.length; i++) {
            float x = sample[i];
            float derivative = (float) ((x - predictOriginal(x, modelOutput[i], sigma)) / sigma);
            sample[i] = (float) (x + derivative * dt);
        }
    }
}

package org.invokej.inference.schedulers;

/**
 * diffusers' PNDMScheduler with {@code skip_prk_steps} ({@code pndm}): pseudo linear multistep
 * (PLMS). The schedule repeats the second timestep, so {@code steps} steps take {@code steps + 1}
 * UNet evaluations. The Runge-Kutta warm-up of configs without {@code skip_prk_steps} is not
 * implemented; SD 1.x/2.x configs skip it.
 */
final class PndmScheduler extends IntegerTimestepScheduler {
    /** Model outputs, oldest first, up to 4; the buffers are made on the first step and reused. */
    private float[][] history;
    private int size;
    private int counter;
    private float[] firstSample;
    private float[] output;

    private PndmScheduler(NoiseSchedule schedule, int[] timesteps, int stride) {
        super(schedule, timesteps, stride);
    }

    static PndmScheduler create(NoiseSchedule schedule, int steps) {
        int[] descending = schedule.integerTimesteps(steps);
        if (steps == 1) {
            return new PndmScheduler(schedule, descending, schedule.trainSteps());
        }
        // ascending [a0 .. an-1] -> [a0 .. an-2, an-2, an-1], reversed
        int[] plms = new int[steps + 1];
        plms[0] = descending[0];
        plms[1] = descending[1];
        for (int i = 1; i < steps; i++) {
            plms[i + 1] = descending[i];
        }
        return new PndmScheduler(schedule, plms, schedule.trainSteps() / steps);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int timestep = timesteps[index];
        int previous = timestep - stride;
        int n = sample.length;
        if (history == null) {
            history = new float[4][n];
            firstSample = new float[n];
            output = new float[n];
        }
        if (counter != 1) {
            if (size > 3) {
                float[] oldest = history[0];
                System.arraycopy(history, 1, history, 0, 3);
                history[3] = oldest;
                size = 3;
            }
            System.arraycopy(modelOutput, 0, history[size++], 0, n);
        } else {
            previous = timestep;
            timestep = timestep + stride;
        }
        float[] base = sample;
        if (size == 1 && counter == 0) {
            System.arraycopy(history[0], 0, output, 0, n);
            System.arraycopy(sample, 0, firstSample, 0, n);
        } else if (size == 1 && counter == 1) {
            float[] e = history[0];
            for (int i = 0; i < n; i++) {
                output[i] = (modelOutput[i] + e[i]) / 2;
            }
            base = firstSample;
        } else {
            int h = size;
            float[] e1 = history[h - 1];
            float[] e2 = history[h - 2];
            if (h == 2) {
                for (int i = 0; i < n; i++) {
                    output[i] = (3 * e1[i] - e2[i]) / 2;
                }
            } else if (h == 3) {
                float[] e3 = history[h - 3];
                for (int i = 0; i < n; i++) {
                    output[i] = (23 * e1[i] - 16 * e2[i] + 5 * e3[i]) / 12;
                }
            } else {
                float[] e3 = history[h - 3];
                float[] e4 = history[h - 4];
                for (int i = 0; i < n; i++) {
                    output[i] = (55 * e1[i] - 59 * e2[i] + 37 * e3[i] - 9 * e4[i]) / 24;
                }
            }
        }
        previousSample(base, timestep, previous, output, sample);
        counter++;
    }

    /** PNDM's {@code _get_prev_sample}, formula (9) of the paper; writes into {@code out}. */
    private void previousSample(float[] sample, int timestep, int previous, float[] modelOutput, float[] out) {
        double alpha = schedule.alphaCumprodAt(timestep);
        double alphaPrev = schedule.alphaCumprodAt(previous);
        double beta = 1 - alpha;
        double betaPrev = 1 - alphaPrev;
        boolean velocity = schedule.config.predictionType() == SchedulerConfig.PredictionType.V_PREDICTION;
        double sampleCoefficient = Math.sqrt(alphaPrev / alpha);
        double denominator = alpha * Math.sqrt(betaPrev) + Math.sqrt(alpha * beta * alphaPrev);
        double outputCoefficient = (alphaPrev - alpha) / denominator;
        for (int i = 0; i < out.length; i++) {
            double x = sample[i];
            double e = modelOutput[i];
            if (velocity) {
                e = Math.sqrt(alpha) * e + Math.sqrt(beta) * x;
            }
            out[i] = (float) (sampleCoefficient * x - outputCoefficient * e);
        }
    }
}

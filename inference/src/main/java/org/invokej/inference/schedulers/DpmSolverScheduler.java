package org.invokej.inference.schedulers;

/**
 * diffusers' DPMSolverMultistepScheduler as InvokeAI configures it for {@code dpmpp_2m} and
 * {@code dpmpp_2m_k}: algorithm {@code dpmsolver++}, solver order 2 with the midpoint solver type,
 * final sigma 0 (so the last step is first order), Karras sigmas for the {@code _k} variant.
 */
final class DpmSolverScheduler implements Scheduler {
    private final NoiseSchedule schedule;
    private final double[] timesteps;
    /** Karras-style sigmas, one more than the timesteps; the last is 0. */
    private final double[] sigmas;
    private float[] previousOriginal;

    private DpmSolverScheduler(NoiseSchedule schedule, double[] timesteps, double[] sigmas) {
        this.schedule = schedule;
        this.timesteps = timesteps;
        this.sigmas = sigmas;
    }

    static DpmSolverScheduler create(NoiseSchedule schedule, int steps, boolean karras) {
        int n = schedule.trainSteps();
        double[] t = new double[steps];
        double[] s = new double[steps + 1];
        if (karras) {
            double[] k = NoiseSchedule.karras(schedule.sigmas[n - 1], schedule.sigmas[0], steps);
            for (int i = 0; i < steps; i++) {
                s[i] = k[i];
                t[i] = Math.rint(schedule.sigmaToT(k[i]));
            }
        } else {
            switch (schedule.config.timestepSpacing()) {
                case "linspace" -> {
                    // linspace(0, n - 1, steps + 1).round()[::-1][:-1]
                    for (int i = 0; i < steps; i++) {
                        t[i] = Math.rint(SchedulerConfig.linspace(0, n - 1, steps + 1, steps - i));
                    }
                }
                case "leading" -> {
                    int ratio = n / (steps + 1);
                    for (int i = 0; i < steps; i++) {
                        t[i] = (double) (steps - i) * ratio + schedule.config.stepsOffset();
                    }
                }
                default -> {
                    double ratio = (double) n / steps;
                    for (int i = 0; i < steps; i++) {
                        t[i] = Math.rint(n - i * ratio) - 1;
                    }
                }
            }
            for (int i = 0; i < steps; i++) {
                s[i] = schedule.sigmaAt(t[i]);
            }
        }
        s[steps] = 0;
        return new DpmSolverScheduler(schedule, t, s);
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public double[] timesteps() {
        return timesteps.clone();
    }

    double[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public double inputScale(int index) {
        return 1;
    }

    private static double alpha(double sigma) {
        return 1 / Math.sqrt(sigma * sigma + 1);
    }

    private static double lambda(double sigma) {
        double alpha = alpha(sigma);
        return Math.log(alpha) - Math.log(sigma * alpha);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        double sigma = sigmas[index];
        double alphaS = alpha(sigma);
        double sigmaS = sigma * alphaS;
        float[] original = new float[sample.length];
        for (int i = 0; i < sample.length; i++) {
            double x = sample[i];
            double out = modelOutput[i];
            original[i] = (float) switch (schedule.config.predictionType()) {
                case EPSILON -> (x - sigmaS * out) / alphaS;
                case V_PREDICTION -> alphaS * x - sigmaS * out;
                case SAMPLE -> out;
            };
        }
        double sigmaNext = sigmas[index + 1];
        double alphaT = alpha(sigmaNext);
        double sigmaT = sigmaNext * alphaT;
        double h = lambda(sigmaNext) - lambda(sigma);
        double ratio = sigmaT / sigmaS;
        double expTerm = alphaT * (Math.exp(-h) - 1);
        boolean last = index == timesteps.length - 1;
        if (previousOriginal == null || last) {
            for (int i = 0; i < sample.length; i++) {
                sample[i] = (float) (ratio * sample[i] - expTerm * original[i]);
            }
        } else {
            double h0 = lambda(sigma) - lambda(sigmas[index - 1]);
            double r0 = h0 / h;
            for (int i = 0; i < sample.length; i++) {
                double d0 = original[i];
                double d1 = (original[i] - previousOriginal[i]) / r0;
                sample[i] = (float) (ratio * sample[i] - expTerm * d0 - 0.5 * expTerm * d1);
            }
        }
        previousOriginal = original;
    }

    @Override
    public void addNoise(float[] original, float[] noise, int index, float[] out) {
        double alpha = alpha(sigmas[index]);
        float signal = (float) alpha;
        float noiseScale = (float) (sigmas[index] * alpha);
        for (int i = 0; i < out.length; i++) {
            out[i] = signal * original[i] + noiseScale * noise[i];
        }
    }
}

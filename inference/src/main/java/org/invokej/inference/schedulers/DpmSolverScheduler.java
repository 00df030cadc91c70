package org.invokej.inference.schedulers;

/**
 * diffusers' DPMSolverMultistepScheduler as InvokeAI configures it: algorithm {@code dpmsolver++}
 * (or {@code sde-dpmsolver++} for {@code dpmpp_2m_sde}), midpoint solver type, solver order 2 or 3,
 * {@code lower_order_final}, final sigma 0 (so the last step is always first order), Karras sigmas
 * for the {@code _k} names. The first steps of a run use lower orders until enough history exists.
 *
 * <p>The SDE variant draws one noise tensor per step from {@link StepNoise} (InvokeAI's generator,
 * {@code seed ^ 0xFFFFFFFF}), whatever the order of the step, as diffusers does.
 */
final class DpmSolverScheduler extends SolverScheduler {
    private final int solverOrder;
    private final boolean sde;
    private final StepNoise noise;
    /** Data predictions x0, newest first. */
    private float[][] history;
    private float[] noiseBuffer;
    /** diffusers' {@code lower_order_nums}: steps taken so far in this run, capped at the order. */
    private int taken;

    private DpmSolverScheduler(NoiseSchedule schedule, SolverSchedule table, int solverOrder, boolean sde,
            StepNoise noise) {
        super(schedule, table);
        this.solverOrder = solverOrder;
        this.sde = sde;
        this.noise = noise;
    }

    /** {@code dpmpp_2m(_k)} and {@code dpmpp_3m(_k)}. */
    static DpmSolverScheduler create(NoiseSchedule schedule, int steps, boolean karras, int solverOrder) {
        return new DpmSolverScheduler(schedule, table(schedule, steps, karras), solverOrder, false, null);
    }

    /** {@code dpmpp_2m_sde(_k)}. */
    static DpmSolverScheduler createSde(NoiseSchedule schedule, int steps, boolean karras, StepNoise noise) {
        return new DpmSolverScheduler(schedule, table(schedule, steps, karras), 2, true, noise);
    }

    private static SolverSchedule table(NoiseSchedule schedule, int steps, boolean karras) {
        return SolverSchedule.multistep(schedule, steps, karras, SolverSchedule.FinalSigma.ZERO);
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int n = sample.length;
        if (history == null) {
            history = new float[solverOrder][n];
            noiseBuffer = sde ? new float[n] : null;
        }
        int length = timesteps.length;
        // final sigma 0 makes the last step first order; lower_order_final also lowers short runs' second-to-last
        boolean lowerFinal = index == length - 1;
        boolean lowerSecond = index == length - 2 && length < 15;
        float[] m0 = rotate(history);
        predictOriginal(modelOutput, sample, index, m0);
        if (sde) {
            noise.fill(noiseBuffer);
        }
        int order;
        if (solverOrder == 1 || taken < 1 || lowerFinal) {
            order = 1;
        } else if (solverOrder == 2 || taken < 2 || lowerSecond) {
            order = 2;
        } else {
            order = 3;
        }
        double sigmaT = vpSigma(sigmas[index + 1]);
        double alphaT = alpha(sigmas[index + 1]);
        double sigmaS0 = vpSigma(sigmas[index]);
        double lambdaT = lambda(sigmas[index + 1]);
        double lambdaS0 = lambda(sigmas[index]);
        double h = lambdaT - lambdaS0;
        double expMinusH = Math.exp(-h);
        if (order == 1) {
            if (sde) {
                float a = (float) (sigmaT / sigmaS0 * expMinusH);
                float b = (float) (alphaT * (1 - Math.exp(-2 * h)));
                float c = (float) (sigmaT * Math.sqrt(1 - Math.exp(-2 * h)));
                for (int i = 0; i < n; i++) {
                    sample[i] = a * sample[i] + b * m0[i] + c * noiseBuffer[i];
                }
            } else {
                float a = (float) (sigmaT / sigmaS0);
                float b = (float) (alphaT * (expMinusH - 1));
                for (int i = 0; i < n; i++) {
                    sample[i] = a * sample[i] - b * m0[i];
                }
            }
        } else if (order == 2) {
            float[] m1 = history[1];
            double r0 = (lambdaS0 - lambda(sigmas[index - 1])) / h;
            if (sde) {
                float a = (float) (sigmaT / sigmaS0 * expMinusH);
                double b = alphaT * (1 - Math.exp(-2 * h));
                float c = (float) (sigmaT * Math.sqrt(1 - Math.exp(-2 * h)));
                float d0 = (float) b;
                float d1 = (float) (0.5 * b / r0);
                for (int i = 0; i < n; i++) {
                    sample[i] = a * sample[i] + d0 * m0[i] + d1 * (m0[i] - m1[i]) + c * noiseBuffer[i];
                }
            } else {
                float a = (float) (sigmaT / sigmaS0);
                double b = alphaT * (expMinusH - 1);
                float d0 = (float) b;
                float d1 = (float) (0.5 * b / r0);
                for (int i = 0; i < n; i++) {
                    sample[i] = a * sample[i] - d0 * m0[i] - d1 * (m0[i] - m1[i]);
                }
            }
        } else {
            float[] m1 = history[1];
            float[] m2 = history[2];
            double lambdaS1 = lambda(sigmas[index - 1]);
            double lambdaS2 = lambda(sigmas[index - 2]);
            double r0 = (lambdaS0 - lambdaS1) / h;
            double r1 = (lambdaS1 - lambdaS2) / h;
            // D1_0 = (m0 - m1) / r0, D1_1 = (m1 - m2) / r1, D1 = D1_0 + r0 / (r0 + r1) (D1_0 - D1_1),
            // D2 = (D1_0 - D1_1) / (r0 + r1)
            float a = (float) (sigmaT / sigmaS0);
            float c0 = (float) (alphaT * (expMinusH - 1));
            double c1 = alphaT * ((expMinusH - 1) / h + 1);
            double c2 = alphaT * ((expMinusH - 1 + h) / (h * h) - 0.5);
            float inverseR0 = (float) (1 / r0);
            float inverseR1 = (float) (1 / r1);
            float mix = (float) (r0 / (r0 + r1));
            float inverseSum = (float) (1 / (r0 + r1));
            float k1 = (float) c1;
            float k2 = (float) c2;
            for (int i = 0; i < n; i++) {
                float d10 = inverseR0 * (m0[i] - m1[i]);
                float d11 = inverseR1 * (m1[i] - m2[i]);
                float d1 = d10 + mix * (d10 - d11);
                float d2 = inverseSum * (d10 - d11);
                sample[i] = a * sample[i] - c0 * m0[i] + k1 * d1 - k2 * d2;
            }
        }
        if (taken < solverOrder) {
            taken++;
        }
    }
}

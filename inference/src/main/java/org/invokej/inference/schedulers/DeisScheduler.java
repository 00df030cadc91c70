package org.invokej.inference.schedulers;

/**
 * diffusers' DEISMultistepScheduler with its defaults ({@code deis}, {@code deis_k}): log-rho DEIS of
 * solver order 2 over noise predictions, {@code lower_order_final} for runs under 15 steps. Unlike the
 * DPM-Solver schedulers it does not end at sigma 0: without Karras sigmas the last step lands on the
 * smallest training sigma, and with them diffusers repeats the last sigma, so that step changes nothing.
 */
final class DeisScheduler extends SolverScheduler {
    private static final int SOLVER_ORDER = 2;

    /** Noise predictions, newest first. */
    private float[][] history;
    private int taken;

    private DeisScheduler(NoiseSchedule schedule, SolverSchedule table) {
        super(schedule, table);
    }

    static DeisScheduler create(NoiseSchedule schedule, int steps, boolean karras) {
        return new DeisScheduler(schedule, SolverSchedule.multistep(schedule, steps, karras,
                karras ? SolverSchedule.FinalSigma.REPEAT_LAST : SolverSchedule.FinalSigma.SIGMA_MIN));
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        int n = sample.length;
        if (history == null) {
            history = new float[SOLVER_ORDER][n];
        }
        int length = timesteps.length;
        boolean lowerFinal = index == length - 1 && length < 15;
        boolean lowerSecond = index == length - 2 && length < 15;
        float[] m0 = rotate(history);
        // convert_model_output: x0 first, then back to the noise it implies
        predictOriginal(modelOutput, sample, index, m0);
        float alphaS0 = (float) alpha(sigmas[index]);
        float sigmaS0 = (float) vpSigma(sigmas[index]);
        for (int i = 0; i < n; i++) {
            m0[i] = (sample[i] - alphaS0 * m0[i]) / sigmaS0;
        }
        double alphaT = alpha(sigmas[index + 1]);
        double sigmaT = vpSigma(sigmas[index + 1]);
        if (taken < 1 || lowerFinal) {
            double h = lambda(sigmas[index + 1]) - lambda(sigmas[index]);
            float a = (float) (alphaT / alpha(sigmas[index]));
            float b = (float) (sigmaT * (Math.exp(h) - 1));
            for (int i = 0; i < n; i++) {
                sample[i] = a * sample[i] - b * m0[i];
            }
        } else {
            // lowerSecond only matters for solver order 3
            assert SOLVER_ORDER == 2 || !lowerSecond;
            double rhoT = sigmaT / alphaT;
            double rhoS0 = vpSigma(sigmas[index]) / alpha(sigmas[index]);
            double rhoS1 = vpSigma(sigmas[index - 1]) / alpha(sigmas[index - 1]);
            double coef1 = integral(rhoT, rhoS0, rhoS1) - integral(rhoS0, rhoS0, rhoS1);
            double coef2 = integral(rhoT, rhoS1, rhoS0) - integral(rhoS0, rhoS1, rhoS0);
            float[] m1 = history[1];
            float a = (float) (alphaT / alpha(sigmas[index]));
            float c1 = (float) (alphaT * coef1);
            float c2 = (float) (alphaT * coef2);
            for (int i = 0; i < n; i++) {
                sample[i] = a * sample[i] + c1 * m0[i] + c2 * m1[i];
            }
        }
        if (taken < SOLVER_ORDER) {
            taken++;
        }
    }

    /** The antiderivative of the Lagrange basis in log rho: {@code t (log t - log c - 1) / (log b - log c)}. */
    private static double integral(double t, double b, double c) {
        return t * (-Math.log(c) + Math.log(t) - 1) / (Math.log(b) - Math.log(c));
    }
}

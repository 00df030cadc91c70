package org.invokej.inference.schedulers;

/**
 * Integer timesteps and sigmas of diffusers' DPM-Solver family (DPMSolverMultistep, DPMSolverSinglestep,
 * UniPC, DEIS): {@code steps + 1} points spaced over the training range with the last dropped, or
 * Karras sigmas over the whole training range with timesteps rounded to the nearest training step.
 * Sigmas are stored as float32, as diffusers stores them.
 *
 * @param timesteps one per step, largest first
 * @param sigmas one more than the timesteps; the last is the final sigma
 */
record SolverSchedule(double[] timesteps, double[] sigmas) {

    /** What the schedule ends on after its last step. */
    enum FinalSigma {
        /** 0: the last step lands on the clean sample (diffusers' {@code final_sigmas_type "zero"}). */
        ZERO,
        /** The smallest training sigma, sigma(t = 0) ({@code "sigma_min"}, DEIS without Karras). */
        SIGMA_MIN,
        /** A repeat of the last sigma (DEIS with Karras sigmas): the last step changes nothing. */
        REPEAT_LAST
    }

    /** DPMSolverMultistep, UniPC and DEIS: timesteps follow the config's {@code timestep_spacing}. */
    static SolverSchedule multistep(NoiseSchedule schedule, int steps, boolean karras, FinalSigma last) {
        int n = schedule.trainSteps();
        double[] t = new double[steps];
        switch (schedule.config.timestepSpacing()) {
            case "linspace" -> {
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
            default -> { // trailing: arange(n, 0, -n / steps).round() - 1
                double ratio = (double) n / steps;
                for (int i = 0; i < steps; i++) {
                    t[i] = Math.rint(n - i * ratio) - 1;
                }
            }
        }
        return build(schedule, t, karras, last);
    }

    /** DPMSolverSinglestep: always {@code linspace(0, T - 1, steps + 1).round()[::-1][:-1]}, whatever the spacing. */
    static SolverSchedule singlestep(NoiseSchedule schedule, int steps, boolean karras) {
        int n = schedule.trainSteps();
        double[] t = new double[steps];
        for (int i = 0; i < steps; i++) {
            t[i] = Math.rint(SchedulerConfig.linspace(0, n - 1, steps + 1, steps - i));
        }
        return build(schedule, t, karras, FinalSigma.ZERO);
    }

    private static SolverSchedule build(NoiseSchedule schedule, double[] t, boolean karras, FinalSigma last) {
        int steps = t.length;
        int n = schedule.trainSteps();
        double[] s = new double[steps + 1];
        if (karras) {
            double[] k = NoiseSchedule.karras(schedule.sigmas[n - 1], schedule.sigmas[0], steps);
            for (int i = 0; i < steps; i++) {
                t[i] = Math.rint(schedule.sigmaToT(k[i]));
                s[i] = (float) k[i];
            }
        } else {
            for (int i = 0; i < steps; i++) {
                s[i] = (float) schedule.sigmaAt(t[i]);
            }
        }
        s[steps] = switch (last) {
            case ZERO -> 0;
            case SIGMA_MIN -> (float) schedule.sigmas[0];
            case REPEAT_LAST -> s[steps - 1];
        };
        return new SolverSchedule(t, s);
    }
}

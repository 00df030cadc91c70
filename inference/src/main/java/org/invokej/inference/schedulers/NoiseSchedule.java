package org.invokej.inference.schedulers;

/**
 * The training noise levels of a scheduler config: {@code alphas_cumprod} and the matching
 * Karras-style sigmas {@code sqrt((1 - a) / a)}, with the interpolation and Karras-spacing helpers
 * diffusers' discrete schedulers share.
 */
public final class NoiseSchedule {
    public final SchedulerConfig config;
    public final double[] alphasCumprod;
    /** Sigma for each training timestep, ascending. */
    public final double[] sigmas;
    public final double[] logSigmas;

    public NoiseSchedule(SchedulerConfig config) {
        this.config = config;
        this.alphasCumprod = config.alphasCumprod();
        this.sigmas = new double[alphasCumprod.length];
        this.logSigmas = new double[alphasCumprod.length];
        for (int i = 0; i < sigmas.length; i++) {
            sigmas[i] = Math.sqrt((1 - alphasCumprod[i]) / alphasCumprod[i]);
            logSigmas[i] = Math.log(sigmas[i]);
        }
    }

    public int trainSteps() {
        return alphasCumprod.length;
    }

    /** numpy's {@code interp(t, arange(n), sigmas)}: linear in t, clamped at the ends. */
    public double sigmaAt(double t) {
        if (t <= 0) {
            return sigmas[0];
        }
        int last = sigmas.length - 1;
        if (t >= last) {
            return sigmas[last];
        }
        int low = (int) Math.floor(t);
        double w = t - low;
        return sigmas[low] + w * (sigmas[low + 1] - sigmas[low]);
    }

    /** The (fractional) timestep of a sigma, interpolating in log-sigma as diffusers' {@code _sigma_to_t}. */
    public double sigmaToT(double sigma) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma >= logSigmas[i]) {
                low = i;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        double lowValue = logSigmas[low];
        double highValue = logSigmas[low + 1];
        double w = (lowValue - logSigma) / (lowValue - highValue);
        w = Math.max(0, Math.min(1, w));
        return (1 - w) * low + w * (low + 1);
    }

    /** Karras et al. (2022) spacing, rho 7, from sigmaMax down to sigmaMin in {@code count} values. */
    public static double[] karras(double sigmaMax, double sigmaMin, int count) {
        double rho = 7.0;
        double minInvRho = Math.pow(sigmaMin, 1 / rho);
        double maxInvRho = Math.pow(sigmaMax, 1 / rho);
        double[] result = new double[count];
        for (int i = 0; i < count; i++) {
            double ramp = SchedulerConfig.linspace(0, 1, count, i);
            result[i] = Math.pow(maxInvRho + ramp * (minInvRho - maxInvRho), rho);
        }
        return result;
    }

    /** Timesteps of the Karras-style discrete schedulers (Euler, LMS, Heun), as floats, largest first. */
    public double[] discreteTimesteps(int steps) {
        int n = trainSteps();
        double[] t = new double[steps];
        switch (config.timestepSpacing()) {
            case "linspace" -> {
                for (int i = 0; i < steps; i++) {
                    t[steps - 1 - i] = (float) SchedulerConfig.linspace(0, n - 1, steps, i);
                }
            }
            case "leading" -> {
                int ratio = n / steps;
                for (int i = 0; i < steps; i++) {
                    t[steps - 1 - i] = Math.rint((double) i * ratio) + config.stepsOffset();
                }
            }
            default -> { // trailing
                double ratio = (double) n / steps;
                for (int i = 0; i < steps; i++) {
                    t[i] = Math.rint(n - i * ratio) - 1;
                }
            }
        }
        return t;
    }

    /** Integer timesteps of DDIM-style schedulers, largest first. */
    public int[] integerTimesteps(int steps) {
        int n = trainSteps();
        int[] t = new int[steps];
        switch (config.timestepSpacing()) {
            case "linspace" -> {
                for (int i = 0; i < steps; i++) {
                    t[steps - 1 - i] = (int) Math.rint(SchedulerConfig.linspace(0, n - 1, steps, i));
                }
            }
            case "leading" -> {
                int ratio = n / steps;
                for (int i = 0; i < steps; i++) {
                    t[steps - 1 - i] = i * ratio + config.stepsOffset();
                }
            }
            default -> {
                double ratio = (double) n / steps;
                for (int i = 0; i < steps; i++) {
                    t[i] = (int) Math.rint(n - i * ratio) - 1;
                }
            }
        }
        return t;
    }

    /** alphas_cumprod at an integer timestep; negative timesteps mean "after the last step". */
    public double alphaCumprodAt(int t) {
        if (t >= 0) {
            return alphasCumprod[Math.min(t, alphasCumprod.length - 1)];
        }
        return config.setAlphaToOne() ? 1.0 : alphasCumprod[0];
    }

    /** DDPM forward noising at an integer timestep: sqrt(a) x + sqrt(1 - a) n. */
    public void addNoiseAt(int t, float[] original, float[] noise, float[] out) {
        double a = alphasCumprod[t];
        float signal = (float) Math.sqrt(a);
        float noiseScale = (float) Math.sqrt(1 - a);
        for (int i = 0; i < out.length; i++) {
            out[i] = signal * original[i] + noiseScale * noise[i];
        }
    }
}

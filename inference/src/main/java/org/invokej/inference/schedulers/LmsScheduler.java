package org.invokej.inference.schedulers;

/**
 * diffusers' LMSDiscreteScheduler ({@code lms}, {@code lms_k}): linear multistep of order 4 over the
 * derivatives {@code (x - x0) / sigma}, with coefficients that integrate the Lagrange basis between
 * consecutive sigmas (exactly, by 4-point Gauss-Legendre, where diffusers uses scipy's quad).
 */
final class LmsScheduler extends SigmaScheduler {
    private static final int ORDER = 4;
    private static final double[] GAUSS_NODES = {
        -0.8611363115940526, -0.3399810435848563, 0.3399810435848563, 0.8611363115940526};
    private static final double[] GAUSS_WEIGHTS = {
        0.3478548451374538, 0.6521451548625461, 0.6521451548625461, 0.3478548451374538};

    /** Derivatives, newest first; made on the first step and reused. */
    private float[][] derivatives;
    private int kept;

    private LmsScheduler(NoiseSchedule schedule, double[][] table) {
        super(schedule, table[0], table[1]);
    }

    static LmsScheduler create(NoiseSchedule schedule, int steps, boolean karras) {
        return new LmsScheduler(schedule, table(schedule, steps, karras));
    }

    /** The coefficient of the derivative {@code current} steps back, for a step at {@code index}. */
    double coefficient(int order, int index, int current) {
        double a = sigmas[index];
        double b = sigmas[index + 1];
        double sum = 0;
        for (int g = 0; g < GAUSS_NODES.length; g++) {
            double tau = (a + b) / 2 + (b - a) / 2 * GAUSS_NODES[g];
            double product = 1;
            for (int k = 0; k < order; k++) {
                if (k != current) {
                    product *= (tau - sigmas[index - k]) / (sigmas[index - current] - sigmas[index - k]);
                }
            }
            sum += GAUSS_WEIGHTS[g] * product;
        }
        return sum * (b - a) / 2;
    }

    @Override
    public void step(float[] modelOutput, int index, float[] sample) {
        if (derivatives == null) {
            derivatives = new float[ORDER][sample.length];
        }
        double sigma = sigmas[index];
        float[] derivative = SolverScheduler.rotate(derivatives);
        for (int i = 0; i < sample.length; i++) {
            float x = sample[i];
            derivative[i] = (float) ((x - predictOriginal(x, modelOutput[i], sigma)) / sigma);
        }
        kept = Math.min(kept + 1, ORDER);
        // diffusers takes min(index + 1, 4) here, which equals the number of derivatives kept for runs
        // that start at index 0; for runs that start later (img2img) that would weight one derivative
        // with a cubic's coefficient, so the order is what has been kept
        int order = kept;
        for (int k = 0; k < order; k++) {
            float c = (float) coefficient(order, index, k);
            float[] d = derivatives[k];
            for (int i = 0; i < sample.length; i++) {
                sample[i] += c * d[i];
            }
        }
    }
}

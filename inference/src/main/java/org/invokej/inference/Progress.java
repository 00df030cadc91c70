package org.invokej.inference;

/**
 * Where a denoising run is: {@code step} of {@code totalSteps} UNet evaluations done, and now and
 * then a small preview.
 *
 * @param preview null on steps without one
 */
public record Progress(int step, int totalSteps, LatentPreview preview) {

    /** Done share, 0..1 (a fraction, as InvokeAI's {@code percentage}). */
    public double fraction() {
        return totalSteps == 0 ? 1 : (double) step / totalSteps;
    }
}

package org.invokej.inference;

import org.invokej.inference.schedulers.SchedulerName;

import java.util.List;

/**
 * What {@link DiffusionPipeline#denoise} does, field for field InvokeAI's {@code denoise_latents}.
 *
 * @param noise the starting noise, or null when {@code latents} are already noised
 * @param latents start latents (image-to-image), or null to start from zeros (text-to-image)
 * @param cfgScale one guidance scale, or one per step
 * @param seed seeds the ancestral schedulers' noise
 * @param mask inpainting: InvokeAI's denoise mask at the latents' size (1 keeps {@code latents}, 0 paints
 *             anew), or null to denoise everything
 * @param gradientMask whether {@code mask} is a gradient mask (each value says from which step on that
 *             place is painted) rather than a blend
 * @param maskedLatents for inpainting UNets: the latents of the image with the painted part blanked out
 *             (InvokeAI's {@code masked_latents}), or null to take {@code latents} where the mask keeps
 *             them and zeros elsewhere
 */
public record DenoiseRequest(Conditioning positive, Conditioning negative, Latents noise, Latents latents,
        SchedulerName scheduler, int steps, List<Double> cfgScale, double denoisingStart, double denoisingEnd,
        long seed, Mask mask, boolean gradientMask, Latents maskedLatents) {

    public DenoiseRequest(Conditioning positive, Conditioning negative, Latents noise, Latents latents,
            SchedulerName scheduler, int steps, List<Double> cfgScale, double denoisingStart, double denoisingEnd,
            long seed, Mask mask, boolean gradientMask) {
        this(positive, negative, noise, latents, scheduler, steps, cfgScale, denoisingStart, denoisingEnd, seed, mask,
                gradientMask, null);
    }

    public DenoiseRequest(Conditioning positive, Conditioning negative, Latents noise, Latents latents,
            SchedulerName scheduler, int steps, List<Double> cfgScale, double denoisingStart, double denoisingEnd, long seed) {
        this(positive, negative, noise, latents, scheduler, steps, cfgScale, denoisingStart, denoisingEnd, seed, null, false, null);
    }

    public DenoiseRequest {
        if (positive == null || negative == null) {
            throw new IllegalArgumentException("denoise needs positive and negative conditioning");
        }
        if (!positive.sameShape(negative)) {
            throw new IllegalArgumentException("positive and negative conditioning differ in shape"
                    + (positive.isSdxl() != negative.isSdxl() ? " (one is SDXL conditioning, the other is not)" : ""));
        }
        if (noise == null && latents == null) {
            throw new IllegalArgumentException("denoise needs noise, latents, or both");
        }
        if (noise != null && latents != null && !noise.sameShape(latents)) {
            throw new IllegalArgumentException("noise and latents differ in shape");
        }
        if (scheduler == null) {
            throw new IllegalArgumentException("denoise needs a scheduler");
        }
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, not " + steps);
        }
        cfgScale = List.copyOf(cfgScale);
        if (cfgScale.isEmpty() || (cfgScale.size() != 1 && cfgScale.size() != steps)) {
            throw new IllegalArgumentException("cfg_scale needs one value or one per step (" + steps + "), not "
                    + cfgScale.size());
        }
        for (double cfg : cfgScale) {
            if (!(cfg >= 1)) {
                throw new IllegalArgumentException("cfg_scale must be at least 1, not " + cfg);
            }
        }
        if (!(denoisingStart >= 0 && denoisingStart <= 1 && denoisingEnd >= 0 && denoisingEnd <= 1)) {
            throw new IllegalArgumentException("denoising_start and denoising_end must be within 0..1");
        }
        Latents shape = latents != null ? latents : noise;
        if (maskedLatents != null && !maskedLatents.sameShape(shape)) {
            throw new IllegalArgumentException("the masked latents are " + maskedLatents.width() + " x " + maskedLatents.height()
                    + " but the latents are " + shape.width() + " x " + shape.height());
        }
        if (mask != null && (mask.height() != shape.height() || mask.width() != shape.width())) {
            throw new IllegalArgumentException("the denoise mask is " + mask.width() + " x " + mask.height()
                    + " but the latents are " + shape.width() + " x " + shape.height());
        }
    }

    /** The shape of the latents this request produces. */
    Latents shapeSource() {
        return latents != null ? latents : noise;
    }

    /** Whether every step's guidance scale is 1, where guidance is the positive prediction alone. */
    boolean unguided() {
        return cfgScale.stream().allMatch(cfg -> cfg == 1);
    }

    /** The guidance scale for step {@code step} (0-based) of {@code steps}. */
    double cfgAt(int step) {
        return cfgScale.get(Math.min(step, cfgScale.size() - 1));
    }
}

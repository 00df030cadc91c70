package org.invokej.core.models;

/**
 * What inspecting a model folder found out.
 *
 * @param base           {@code sd-1}, {@code sd-2} or {@code sdxl}
 * @param predictionType {@code epsilon}, {@code v_prediction} or {@code sample}
 * @param variant        {@code normal}, or {@code inpaint} (a UNet taking the mask and the masked image besides the latents)
 */
public record ModelFacts(String base, String predictionType, String variant) {
}

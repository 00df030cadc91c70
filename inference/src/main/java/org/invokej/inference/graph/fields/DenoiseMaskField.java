package org.invokej.inference.graph.fields;

/**
 * InvokeAI's {@code DenoiseMaskField}: an inpainting mask kept for the session, the latents of the masked
 * image (for inpainting UNets), and whether the mask is a gradient.
 */
public record DenoiseMaskField(String maskName, String maskedLatentsName, boolean gradient) {
}

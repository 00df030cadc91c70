package org.invokej.inference.graph.fields;

/** InvokeAI's {@code LatentsField}: latents kept for the session, and the seed that made them, if known. */
public record LatentsField(String latentsName, Long seed) {
}

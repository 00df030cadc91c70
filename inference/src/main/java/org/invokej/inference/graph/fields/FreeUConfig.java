package org.invokej.inference.graph.fields;

/** InvokeAI's {@code FreeUConfig}: FreeU's backbone and skip scales. */
public record FreeUConfig(double s1, double s2, double b1, double b2) {
}

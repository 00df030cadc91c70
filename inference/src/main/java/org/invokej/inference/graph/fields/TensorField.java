package org.invokej.inference.graph.fields;

/** InvokeAI's {@code TensorField}: a tensor kept for the session, by name. */
public record TensorField(String tensorName) {
}

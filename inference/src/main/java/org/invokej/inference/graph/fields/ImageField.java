package org.invokej.inference.graph.fields;

/** InvokeAI's {@code ImageField}. */
public record ImageField(String imageName) {
}

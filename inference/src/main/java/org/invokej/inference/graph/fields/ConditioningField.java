package org.invokej.inference.graph.fields;

/** InvokeAI's {@code ConditioningField}: an encoded prompt kept for the session, and its regional mask. */
public record ConditioningField(String conditioningName, TensorField mask) {
}

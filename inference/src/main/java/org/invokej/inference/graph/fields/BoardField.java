package org.invokej.inference.graph.fields;

/** InvokeAI's {@code BoardField}. */
public record BoardField(String boardId) {
}

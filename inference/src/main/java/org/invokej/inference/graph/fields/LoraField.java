package org.invokej.inference.graph.fields;

/** InvokeAI's {@code LoRAField}: a LoRA model and its weight. */
public record LoraField(ModelIdentifier lora, double weight) {
}

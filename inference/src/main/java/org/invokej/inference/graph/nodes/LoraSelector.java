package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.InvocationOutput;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.LoraField;
import org.invokej.inference.graph.fields.ModelIdentifier;

import java.util.List;

/** InvokeAI's {@code lora_selector}: a LoRA and its weight, for a collection loader (the web UI's graphs use it). */
public final class LoraSelector implements NodeType {

    static final Input<ModelIdentifier> LORA = Loras.loraInput();
    static final Input<Double> WEIGHT = Loras.weightInput();

    /** {@code lora_selector_output}. */
    public record Output(LoraField lora) implements InvocationOutput {
    }

    private static final NodeSpec SPEC = NodeSpec.of("lora_selector", "LoRA Selector", List.of(LORA, WEIGHT), "lora_selector_output",
                    Output.class)
            .withDescription("Selects a LoRA model and weight.", "model", "1.0.1", "model");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Output run(Inputs in, NodeContext context) {
        return new Output(new LoraField(in.get(LORA), in.get(WEIGHT)));
    }
}

package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ClipField;
import org.invokej.inference.graph.fields.LoraField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.graph.fields.UNetField;

import java.util.List;

/** InvokeAI's {@code lora_loader}: adds a LoRA with its weight to a UNet and a CLIP (SD 1.x/2.x). */
public final class LoraLoader implements NodeType {

    static final Input<ModelIdentifier> LORA = Loras.loraInput();
    static final Input<Double> WEIGHT = Loras.weightInput();
    static final Input<UNetField> UNET = Loras.unetInput();
    static final Input<ClipField> CLIP = Loras.clipInput("clip", "CLIP");

    private static final NodeSpec SPEC = NodeSpec.of("lora_loader", "LoRA", List.of(LORA, WEIGHT, UNET, CLIP), "lora_loader_output",
                    Loras.LoraLoaderOutput.class)
            .withDescription("Apply selected lora to unet and text_encoder.", "model", "1.0.3", "model");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Loras.LoraLoaderOutput run(Inputs in, NodeContext context) {
        ModelIdentifier lora = in.get(LORA);
        Loras.requireUsable(context, lora);
        Loras.requireNotApplied(Loras.applied(in.get(UNET)), lora, "unet");
        Loras.requireNotApplied(Loras.applied(in.get(CLIP)), lora, "clip");
        List<LoraField> added = List.of(new LoraField(lora, in.get(WEIGHT)));
        return new Loras.LoraLoaderOutput(Loras.with(in.get(UNET), added), Loras.with(in.get(CLIP), added));
    }
}

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

/** InvokeAI's {@code sdxl_lora_loader}: adds a LoRA with its weight to SDXL's UNet and both CLIPs. */
public final class SdxlLoraLoader implements NodeType {

    static final Input<ModelIdentifier> LORA = Loras.loraInput();
    static final Input<Double> WEIGHT = Loras.weightInput();
    static final Input<UNetField> UNET = Loras.unetInput();
    static final Input<ClipField> CLIP = Loras.clipInput("clip", "CLIP 1");
    static final Input<ClipField> CLIP2 = Loras.clipInput("clip2", "CLIP 2");

    private static final NodeSpec SPEC = NodeSpec.of("sdxl_lora_loader", "SDXL LoRA", List.of(LORA, WEIGHT, UNET, CLIP, CLIP2),
                    "sdxl_lora_loader_output", Loras.SdxlLoraLoaderOutput.class)
            .withDescription("Apply selected lora to unet and text_encoder.", "model", "1.0.3", "lora", "model");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Loras.SdxlLoraLoaderOutput run(Inputs in, NodeContext context) {
        ModelIdentifier lora = in.get(LORA);
        Loras.requireUsable(context, lora);
        Loras.requireNotApplied(Loras.applied(in.get(UNET)), lora, "unet");
        Loras.requireNotApplied(Loras.applied(in.get(CLIP)), lora, "clip");
        Loras.requireNotApplied(Loras.applied(in.get(CLIP2)), lora, "clip2");
        List<LoraField> added = List.of(new LoraField(lora, in.get(WEIGHT)));
        return new Loras.SdxlLoraLoaderOutput(Loras.with(in.get(UNET), added), Loras.with(in.get(CLIP), added),
                Loras.with(in.get(CLIP2), added));
    }
}

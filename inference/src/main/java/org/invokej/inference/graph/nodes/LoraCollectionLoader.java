package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ClipField;
import org.invokej.inference.graph.fields.LoraField;
import org.invokej.inference.graph.fields.UNetField;

import java.util.List;

/** InvokeAI's {@code lora_collection_loader}: adds LoRAs (SD 1.x/2.x) to a UNet and a CLIP; the web UI's graphs use it. */
public final class LoraCollectionLoader implements NodeType {

    static final Input<Object> LORAS = Loras.lorasInput();
    static final Input<UNetField> UNET = Loras.unetInput();
    static final Input<ClipField> CLIP = Loras.clipInput("clip", "CLIP");

    private static final NodeSpec SPEC = NodeSpec.of("lora_collection_loader", "LoRA Collection Loader", List.of(LORAS, UNET, CLIP),
                    "lora_loader_output", Loras.LoraLoaderOutput.class)
            .withDescription("Applies a collection of LoRAs to the provided UNet and CLIP models.", "model", "1.0.0", "model");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Loras.LoraLoaderOutput run(Inputs in, NodeContext context) {
        List<LoraField> loras = Loras.collection(in.get(LORAS), List.of("sd-1", "sd-2"), "lora_collection_loader", context);
        return new Loras.LoraLoaderOutput(Loras.with(in.get(UNET), loras), Loras.with(in.get(CLIP), loras));
    }
}

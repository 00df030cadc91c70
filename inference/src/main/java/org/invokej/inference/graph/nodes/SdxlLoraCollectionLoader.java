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

/** InvokeAI's {@code sdxl_lora_collection_loader}: adds SDXL LoRAs to SDXL's UNet and both CLIPs. */
public final class SdxlLoraCollectionLoader implements NodeType {

    static final Input<Object> LORAS = Loras.lorasInput();
    static final Input<UNetField> UNET = Loras.unetInput();
    static final Input<ClipField> CLIP = Loras.clipInput("clip", "CLIP");
    static final Input<ClipField> CLIP2 = Loras.clipInput("clip2", "CLIP 2");

    private static final NodeSpec SPEC = NodeSpec.of("sdxl_lora_collection_loader", "SDXL LoRA Collection Loader",
                    List.of(LORAS, UNET, CLIP, CLIP2), "sdxl_lora_loader_output", Loras.SdxlLoraLoaderOutput.class)
            .withDescription("Applies a collection of SDXL LoRAs to the provided UNet and CLIP models.", "model", "1.0.0", "model");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Loras.SdxlLoraLoaderOutput run(Inputs in, NodeContext context) {
        List<LoraField> loras = Loras.collection(in.get(LORAS), List.of("sdxl"), "sdxl_lora_collection_loader", context);
        return new Loras.SdxlLoraLoaderOutput(Loras.with(in.get(UNET), loras), Loras.with(in.get(CLIP), loras),
                Loras.with(in.get(CLIP2), loras));
    }
}

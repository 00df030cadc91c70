package org.invokej.inference.graph.nodes;

import org.invokej.inference.ModelFolder;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ClipField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.graph.fields.UNetField;
import org.invokej.inference.graph.fields.VaeField;

import java.util.List;

/**
 * InvokeAI's {@code sdxl_model_loader}: splits an SDXL main model into its UNet, its two CLIP text
 * encoders ({@code clip}: CLIP ViT-L, {@code clip2}: OpenCLIP ViT-bigG with projection) and its VAE.
 */
public final class SdxlModelLoader implements NodeType {

    static final Input<ModelIdentifier> MODEL = Input.model("model").required().title("Model")
            .description("SDXL Main model (UNet, VAE, CLIP1, CLIP2) to load").uiType("SDXLMainModelField");

    private static final NodeSpec SPEC = NodeSpec.of("sdxl_model_loader", "Main Model - SDXL", List.of(MODEL),
                    "sdxl_model_loader_output", Outputs.SdxlModelLoaderOutput.class)
            .withDescription("Loads an sdxl base model, outputting its submodels.", "model", "1.0.4", "model", "sdxl");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.SdxlModelLoaderOutput run(Inputs in, NodeContext context) {
        ModelIdentifier model = in.get(MODEL);
        // the folder's layout tells (no sessions loaded here: the nodes that run the model load it, with its LoRAs)
        if (ModelFolder.open(context.resources().modelFolder(model)).second().isEmpty()) {
            throw new IllegalArgumentException("'" + model.name() + "' is not an SDXL model (it has no text_encoder_2);"
                    + " load it with main_model_loader");
        }
        return new Outputs.SdxlModelLoaderOutput(
                new UNetField(model.submodel("unet"), model.submodel("scheduler"), List.of(), List.of(), null),
                new ClipField(model.submodel("tokenizer"), model.submodel("text_encoder"), 0, List.of()),
                new ClipField(model.submodel("tokenizer_2"), model.submodel("text_encoder_2"), 0, List.of()),
                new VaeField(model.submodel("vae"), List.of()));
    }
}

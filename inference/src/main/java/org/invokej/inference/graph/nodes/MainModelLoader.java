package org.invokej.inference.graph.nodes;

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

/** InvokeAI's {@code main_model_loader}: splits a main model into its UNet, CLIP and VAE parts. */
public final class MainModelLoader implements NodeType {

    static final Input<ModelIdentifier> MODEL = Input.model("model").required().title("Main Model")
            .description("Main model (UNet, VAE, CLIP) to load").uiType("MainModelField");

    private static final NodeSpec SPEC = NodeSpec.of("main_model_loader", "Main Model - SD1.5, SD2", List.of(MODEL),
                    "model_loader_output", Outputs.ModelLoaderOutput.class)
            .withDescription("Loads a main model, outputting its submodels.", "model", "1.0.4", "model");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ModelLoaderOutput run(Inputs in, NodeContext context) {
        ModelIdentifier model = in.get(MODEL);
        // As InvokeAI's: the model must be one the owner may use; its sessions are loaded by the nodes that run
        // it, with the LoRAs the fields collect on the way (loading it here would hold a second copy meanwhile).
        context.resources().modelFolder(model);
        return new Outputs.ModelLoaderOutput(
                new UNetField(model.submodel("unet"), model.submodel("scheduler"), List.of(), List.of(), null),
                new ClipField(model.submodel("tokenizer"), model.submodel("text_encoder"), 0, List.of()),
                new VaeField(model.submodel("vae"), List.of()));
    }
}

package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.graph.fields.VaeField;

import java.util.List;

/** InvokeAI's {@code vae_loader}: a standalone VAE model. */
public final class VaeLoader implements NodeType {

    static final Input<ModelIdentifier> VAE_MODEL = Input.model("vae_model").required().title("VAE")
            .description("VAE model to load").uiType("VAEModelField");

    private static final NodeSpec SPEC = NodeSpec.of("vae_loader", "VAE Model - SD1.5, SD2, SDXL, SD3, FLUX", List.of(VAE_MODEL),
                    "vae_output", Outputs.VaeOutput.class)
            .withDescription("Loads a VAE model, outputting a VaeLoaderOutput", "model", "1.0.4", "vae", "model");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.VaeOutput run(Inputs in, NodeContext context) {
        ModelIdentifier vae = in.get(VAE_MODEL).submodel("vae");
        context.model(vae);
        return new Outputs.VaeOutput(new VaeField(vae, List.of()));
    }
}

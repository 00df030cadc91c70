package org.invokej.inference.graph.nodes;

import org.invokej.inference.DiffusionPipeline;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.LatentsField;

import java.util.List;
import java.util.UUID;

/** InvokeAI's {@code noise}: seeded SD noise latents of an image size. */
public final class Noise implements NodeType {

    static final Input<String> NOISE_TYPE = Input.choice("noise_type", "SD", List.of("SD", "FLUX", "FLUX.2", "SD3", "CogView4", "Z-Image", "Anima"))
            .rule(value -> "SD".equals(value) ? null : "only SD noise is supported by this server")
            .title("Noise Type").description("The model family the noise is made for");
    static final Input<Long> SEED = Input.integer("seed").defaultsTo(0L).title("Seed").description("Seed for random number generation");
    static final Input<Long> WIDTH = Input.integer("width").defaultsTo(512L).rule(Rules.MULTIPLE_OF_8)
            .limitedBy(Input.Limit.GENERATION_WIDTH).title("Width")
            .description("Width of output (px)");
    static final Input<Long> HEIGHT = Input.integer("height").defaultsTo(512L).rule(Rules.MULTIPLE_OF_8)
            .limitedBy(Input.Limit.GENERATION_HEIGHT).title("Height")
            .description("Height of output (px)");
    static final Input<Boolean> USE_CPU = Input.bool("use_cpu").defaultsTo(true).title("Use Cpu")
            .description("Use CPU for noise generation (for reproducible results across platforms)");

    private static final NodeSpec SPEC = NodeSpec.of("noise", "Create Latent Noise", List.of(NOISE_TYPE, SEED, WIDTH, HEIGHT, USE_CPU),
                    "noise_output", Outputs.NoiseOutput.class)
            .withDescription("Generates latent noise.", "latents", "1.0.3", "latents", "noise");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.NoiseOutput run(Inputs in, NodeContext context) {
        long seed = Math.floorMod(in.get(SEED), 1L << 32);
        int width = Math.toIntExact(in.get(WIDTH));
        int height = Math.toIntExact(in.get(HEIGHT));
        String name = UUID.randomUUID() + "_noise";
        context.keep(name, DiffusionPipeline.noise(seed, width, height));
        return new Outputs.NoiseOutput(new LatentsField(name, seed), width, height);
    }
}

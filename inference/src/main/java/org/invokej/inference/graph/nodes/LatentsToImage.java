package org.invokej.inference.graph.nodes;

import org.invokej.inference.DiffusionModel;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.LatentsField;
import org.invokej.inference.graph.fields.VaeField;

import java.awt.image.BufferedImage;
import java.util.List;

/** InvokeAI's {@code l2i}: decodes latents with the VAE and saves the image. */
public final class LatentsToImage implements NodeType {

    static final Input<LatentsField> LATENTS = Input.latents("latents").required().connectionOnly().title("Latents")
            .description("Latents tensor");
    static final Input<VaeField> VAE = Input.vae("vae").required().connectionOnly().title("VAE").description("VAE");
    static final Input<Boolean> TILED = Input.bool("tiled").defaultsTo(false).rule(Rules.NOT_TILED).title("Tiled")
            .description("Processing using overlapping tiles (reduce memory consumption)");
    static final Input<Long> TILE_SIZE = Input.integer("tile_size").defaultsTo(0L).title("Tile Size")
            .description("The tile size for VAE tiling in pixels (image space)");
    static final Input<Boolean> FP32 = Input.bool("fp32").defaultsTo(false).title("Fp32").description("Whether or not to use full float32 precision");

    private static final NodeSpec SPEC = NodeSpec.of("l2i", "Latents to Image - SD1.5, SDXL",
                    List.of(LATENTS, VAE, TILED, TILE_SIZE, FP32, ImageSaving.BOARD, ImageSaving.METADATA), "image_output",
                    Outputs.ImageOutput.class)
            .withDescription("Generates an image from latents.", "latents", "1.3.2", "latents", "image", "vae", "l2i");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        DiffusionModel model = context.model(in.get(VAE).vae());
        context.progress("Running VAE decoder");
        BufferedImage image = context.job().pipeline().decode(model, context.latents(in.get(LATENTS)), context.job().cancel());
        return ImageSaving.save(in, context, image);
    }
}

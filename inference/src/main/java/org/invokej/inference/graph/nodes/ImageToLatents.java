package org.invokej.inference.graph.nodes;

import org.invokej.inference.DiffusionModel;
import org.invokej.inference.DiffusionPipeline;
import org.invokej.inference.Latents;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ImageField;
import org.invokej.inference.graph.fields.LatentsField;
import org.invokej.inference.graph.fields.VaeField;

import java.awt.image.BufferedImage;
import java.util.List;

/** InvokeAI's {@code i2l}: encodes an image (cropped to a multiple of 8) into latents with the VAE. */
public final class ImageToLatents implements NodeType {

    static final Input<ImageField> IMAGE = Input.image("image").required().title("Image").description("The image to encode");
    static final Input<VaeField> VAE = Input.vae("vae").required().connectionOnly().title("VAE").description("VAE");
    static final Input<Boolean> TILED = Input.bool("tiled").defaultsTo(false).rule(Rules.NOT_TILED).title("Tiled")
            .description("Processing using overlapping tiles (reduce memory consumption)");
    static final Input<Long> TILE_SIZE = Input.integer("tile_size").defaultsTo(0L).title("Tile Size")
            .description("The tile size for VAE tiling in pixels (image space)");
    static final Input<Boolean> FP32 = Input.bool("fp32").defaultsTo(false).title("Fp32").description("Whether or not to use full float32 precision");
    static final Input<String> COLOR_COMPENSATION = Input.choice("color_compensation", "None", List.of("None", "SDXL"))
            .title("Color Compensation").description("Apply VAE scaling compensation when encoding images (reduces color drift).");

    private static final NodeSpec SPEC = NodeSpec.of("i2l", "Image to Latents - SD1.5, SDXL",
                    List.of(IMAGE, VAE, TILED, TILE_SIZE, FP32, COLOR_COMPENSATION), "latents_output", Outputs.LatentsOutput.class)
            .withDescription("Encodes an image into latents.", "latents", "1.2.0", "latents", "image", "vae", "i2l");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.LatentsOutput run(Inputs in, NodeContext context) {
        DiffusionModel model = context.model(in.get(VAE).vae());
        BufferedImage image = context.resources().loadImage(in.get(IMAGE).imageName());
        int width = image.getWidth() - image.getWidth() % 8;
        int height = image.getHeight() - image.getHeight() % 8;
        if (width == 0 || height == 0) {
            throw new IllegalArgumentException("the image is smaller than 8 pixels on a side");
        }
        context.progress("Running VAE encoder");
        Latents encoded = context.job().pipeline().encodeImage(model, DiffusionPipeline.resize(image, width, height), context.job().cancel());
        String name = context.preparedId() + "_latents";
        context.keep(name, encoded);
        return new Outputs.LatentsOutput(new LatentsField(name, null), width, height);
    }
}

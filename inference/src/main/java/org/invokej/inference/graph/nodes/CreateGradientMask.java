package org.invokej.inference.graph.nodes;

import org.invokej.inference.GradientMask;
import org.invokej.inference.Latents;
import org.invokej.inference.graph.GraphResources;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.DenoiseMaskField;
import org.invokej.inference.graph.fields.ImageField;
import org.invokej.inference.graph.fields.UNetField;
import org.invokej.inference.graph.fields.VaeField;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * InvokeAI's {@code create_gradient_mask}, the denoise mask of its canvas inpainting graphs: {@link GradientMask}
 * of the mask image with {@code edge_radius}, {@code coherence_mode} and {@code minimum_denoise}, the whole
 * repainted area stored as an image for pasting back.
 * When the UNet is an inpainting UNet (9 channels) and the image and VAE are connected, the latents of the
 * image with the repainted part blanked out (mid-grey) are made too, which that UNet takes.
 */
public final class CreateGradientMask implements NodeType {

    static final Input<ImageField> MASK = Input.image("mask").required().title("Mask").description("Image which will be masked");
    static final Input<Long> EDGE_RADIUS = Input.integer("edge_radius").defaultsTo(16L).rule(Rules.NOT_NEGATIVE).title("Edge Radius")
            .description("How far to blur/expand the edges of the mask");
    static final Input<String> COHERENCE_MODE = Input.choice("coherence_mode", "Gaussian Blur", GradientMask.COHERENCE_MODES).title("Coherence Mode");
    static final Input<Double> MINIMUM_DENOISE = Input.number("minimum_denoise").defaultsTo(0.0).rule(Rules.FRACTION)
            .title("Minimum Denoise").description("Minimum denoise level for the coherence region");
    static final Input<UNetField> UNET = Input.unet("unet").connectionOnly().title("[OPTIONAL] UNet")
            .description("OPTIONAL: If the Unet is a specialized Inpainting model, masked_latents will be generated from the image"
                    + " with the VAE");
    static final Input<ImageField> IMAGE = Input.image("image").title("[OPTIONAL] Image")
            .description("OPTIONAL: Only connect for specialized Inpainting models, masked_latents will be generated from the image"
                    + " with the VAE");
    static final Input<VaeField> VAE = Input.vae("vae").connectionOnly().title("[OPTIONAL] VAE")
            .description("OPTIONAL: Only connect for specialized Inpainting models, masked_latents will be generated from the image"
                    + " with the VAE");
    static final Input<Boolean> TILED = Input.bool("tiled").defaultsTo(false).rule(Rules.NOT_TILED).title("Tiled")
            .description("Processing using overlapping tiles (reduce memory consumption)");
    static final Input<Boolean> FP32 = Input.bool("fp32").defaultsTo(false).title("Fp32")
            .description("Whether or not to use full float32 precision");

    private static final NodeSpec SPEC = NodeSpec.of("create_gradient_mask", "Create Gradient Mask",
                    List.of(MASK, EDGE_RADIUS, COHERENCE_MODE, MINIMUM_DENOISE, UNET, IMAGE, VAE, TILED, FP32), "gradient_mask_output",
                    Outputs.GradientMaskOutput.class)
            .withDescription("Creates mask for denoising model run.", "latents", "1.2.0", "mask", "denoise");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.GradientMaskOutput run(Inputs in, NodeContext context) {
        GradientMask gradient = GradientMask.of(context.resources().loadImage(in.get(MASK).imageName()), in.get(EDGE_RADIUS),
                in.get(COHERENCE_MODE), in.get(MINIMUM_DENOISE));
        String maskName = context.preparedId() + "_gradient_mask";
        context.keep(maskName, gradient.mask());
        GraphResources.StoredImage stored = context.resources().saveImage(gradient.expandedArea(), null, null, in.isIntermediate(),
                context.preparedId());
        String maskedLatentsName = null;
        UNetField unet = in.get(UNET);
        VaeField vae = in.get(VAE);
        ImageField imageField = in.get(IMAGE);
        if (unet != null && vae != null && imageField != null && context.model(unet.unet()).isInpaint()) {
            BufferedImage masked = gradient.maskedImage(context.resources().loadImage(imageField.imageName()));
            context.progress("Running VAE encoder");
            Latents latents = context.job().pipeline().encodeImage(context.model(vae.vae()), masked, context.job().cancel());
            maskedLatentsName = context.preparedId() + "_masked_latents";
            context.keep(maskedLatentsName, latents);
        }
        return new Outputs.GradientMaskOutput(new DenoiseMaskField(maskName, maskedLatentsName, true),
                new ImageField(stored.imageName()));
    }
}

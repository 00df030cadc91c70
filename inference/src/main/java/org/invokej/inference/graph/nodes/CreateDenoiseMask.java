package org.invokej.inference.graph.nodes;

import org.invokej.inference.DiffusionModel;
import org.invokej.inference.DiffusionPipeline;
import org.invokej.inference.Latents;
import org.invokej.inference.Mask;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.DenoiseMaskField;
import org.invokej.inference.graph.fields.ImageField;
import org.invokej.inference.graph.fields.VaeField;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * InvokeAI's {@code create_denoise_mask}: a mask image (white keeps, black is painted anew) kept for
 * {@code denoise_latents.denoise_mask}, and, with an image, the latents of the image with the painted
 * part blanked out (which inpainting UNets take). Both are trimmed to a multiple of 8 first.
 */
public final class CreateDenoiseMask implements NodeType {

    static final Input<VaeField> VAE = Input.vae("vae").required().connectionOnly().title("VAE").description("VAE");
    static final Input<ImageField> IMAGE = Input.image("image").title("Image").description("Image which will be masked");
    static final Input<ImageField> MASK = Input.image("mask").required().title("Mask").description("The mask to use when pasting");
    static final Input<Boolean> TILED = Input.bool("tiled").defaultsTo(false).rule(Rules.NOT_TILED).title("Tiled")
            .description("Processing using overlapping tiles (reduce memory consumption)");
    static final Input<Boolean> FP32 = Input.bool("fp32").defaultsTo(false).title("Fp32")
            .description("Whether or not to use full float32 precision");

    private static final NodeSpec SPEC = NodeSpec.of("create_denoise_mask", "Create Denoise Mask",
                    List.of(VAE, IMAGE, MASK, TILED, FP32), "denoise_mask_output", Outputs.DenoiseMaskOutput.class)
            .withDescription("Creates mask for denoising model run.", "latents", "1.0.2", "mask", "denoise");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.DenoiseMaskOutput run(Inputs in, NodeContext context) {
        Mask mask = Mask.ofImage(onGrid(context.resources().loadImage(in.get(MASK).imageName())));
        String maskName = context.preparedId() + "_mask";
        context.keep(maskName, mask);
        String maskedLatentsName = null;
        ImageField imageField = in.get(IMAGE);
        if (imageField != null) {
            DiffusionModel model = context.model(in.get(VAE).vae());
            BufferedImage image = onGrid(context.resources().loadImage(imageField.imageName()));
            Mask onImage = mask.resized(image.getHeight(), image.getWidth());
            BufferedImage masked = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    // InvokeAI multiplies the [-1, 1] image by 0 there: mid-grey
                    boolean painted = onImage.values()[y * image.getWidth() + x] < 0.5f;
                    masked.setRGB(x, y, painted ? 0x808080 : image.getRGB(x, y));
                }
            }
            Latents latents = context.job().pipeline().encodeImage(model, masked, context.job().cancel());
            maskedLatentsName = context.preparedId() + "_masked_latents";
            context.keep(maskedLatentsName, latents);
        }
        return new Outputs.DenoiseMaskOutput(new DenoiseMaskField(maskName, maskedLatentsName, false));
    }

    /** The image with each side trimmed down to a multiple of 8 (resized to it), as InvokeAI's grid tensors are. */
    private static BufferedImage onGrid(BufferedImage image) {
        int width = image.getWidth() - image.getWidth() % 8;
        int height = image.getHeight() - image.getHeight() % 8;
        if (width == 0 || height == 0) {
            throw new IllegalArgumentException("the image is " + image.getWidth() + " x " + image.getHeight()
                    + "; a mask needs at least 8 x 8 pixels");
        }
        return width == image.getWidth() && height == image.getHeight() ? image
                : DiffusionPipeline.resize(image, width, height);
    }
}

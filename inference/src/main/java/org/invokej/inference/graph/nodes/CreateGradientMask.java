package org.invokej.inference.graph.nodes;

import org.invokej.inference.DiffusionPipeline;
import org.invokej.inference.Latents;
import org.invokej.inference.Mask;
import org.invokej.inference.MaskBlur;
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
 * InvokeAI's {@code create_gradient_mask}, the denoise mask of its canvas inpainting graphs: the mask image
 * (white keeps, black is painted anew) blurred outwards by {@code edge_radius} so that the seam is
 * repainted less and less, as a gradient mask (each value says from which step on its place is painted,
 * never less than {@code minimum_denoise}), and the whole repainted area as an image for pasting back.
 * When the UNet is an inpainting UNet (9 channels) and the image and VAE are connected, the latents of the
 * image with the repainted part blanked out (mid-grey) are made too, which that UNet takes.
 */
public final class CreateGradientMask implements NodeType {

    static final Input<ImageField> MASK = Input.image("mask").required().title("Mask").description("Image which will be masked");
    static final Input<Long> EDGE_RADIUS = Input.integer("edge_radius").defaultsTo(16L).rule(Rules.NOT_NEGATIVE).title("Edge Radius")
            .description("How far to blur/expand the edges of the mask");
    static final Input<String> COHERENCE_MODE = Input.choice("coherence_mode", "Gaussian Blur",
            List.of("Gaussian Blur", "Box Blur", "Staged")).title("Coherence Mode");
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
        BufferedImage maskImage = context.resources().loadImage(in.get(MASK).imageName());
        int width = maskImage.getWidth();
        int height = maskImage.getHeight();
        int[] luminance = new int[width * height];
        float[] grey = Mask.ofImage(maskImage).values();
        for (int i = 0; i < grey.length; i++) {
            luminance[i] = Math.round(grey[i] * 255);
        }
        long radius = in.get(EDGE_RADIUS);
        String mode = in.get(COHERENCE_MODE);
        int[] blurred = radius == 0 ? luminance
                : mode.equals("Box Blur") ? MaskBlur.box(luminance, width, height, radius)
                : MaskBlur.gaussian(luminance, width, height, radius / 2.0);
        Mask mask = onGrid(blurred, width, height);
        float[] values = mask.values();
        if (radius > 0) {
            // the original edge becomes 0 and the blur reaches 1 outwards; the coherence band gets at least the minimum
            float threshold = (float) (1 - in.get(MINIMUM_DENOISE));
            for (int i = 0; i < values.length; i++) {
                float v = Math.max(0, (values[i] - 0.5f) * 2);
                boolean band = mode.equals("Staged") ? v > 0 && v < 1 : v > threshold && v < 1;
                values[i] = band ? threshold : v;
            }
        }
        String maskName = context.preparedId() + "_gradient_mask";
        context.keep(maskName, mask);
        BufferedImage expanded = new BufferedImage(mask.width(), mask.height(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                expanded.setRGB(x, y, values[y * mask.width() + x] < 1 ? 0 : 0xFFFFFF);
            }
        }
        GraphResources.StoredImage stored = context.resources().saveImage(expanded, null, null, in.isIntermediate(),
                context.preparedId());
        String maskedLatentsName = null;
        UNetField unet = in.get(UNET);
        VaeField vae = in.get(VAE);
        ImageField imageField = in.get(IMAGE);
        if (unet != null && vae != null && imageField != null && context.model(unet.unet()).isInpaint()) {
            BufferedImage image = context.resources().loadImage(imageField.imageName());
            int gridWidth = image.getWidth() - image.getWidth() % 8;
            int gridHeight = image.getHeight() - image.getHeight() % 8;
            if (gridWidth != image.getWidth() || gridHeight != image.getHeight()) {
                image = DiffusionPipeline.resize(image, gridWidth, gridHeight);
            }
            float[] onImage = mask.resized(gridHeight, gridWidth).values();
            int[] pixels = image.getRGB(0, 0, gridWidth, gridHeight, null, 0, gridWidth);
            for (int i = 0; i < pixels.length; i++) {
                // InvokeAI multiplies the [-1, 1] image by 0 where the mask is below one half: mid-grey
                pixels[i] = onImage[i] < 0.5f ? 0x808080 : pixels[i] & 0xFFFFFF;
            }
            BufferedImage masked = new BufferedImage(gridWidth, gridHeight, BufferedImage.TYPE_INT_RGB);
            masked.setRGB(0, 0, gridWidth, gridHeight, pixels, 0, gridWidth);
            context.progress("Running VAE encoder");
            Latents latents = context.job().pipeline().encodeImage(context.model(vae.vae()), masked, context.job().cancel());
            maskedLatentsName = context.preparedId() + "_masked_latents";
            context.keep(maskedLatentsName, latents);
        }
        return new Outputs.GradientMaskOutput(new DenoiseMaskField(maskName, maskedLatentsName, true),
                new ImageField(stored.imageName()));
    }

    /** The blurred mask in 0..1, trimmed to a multiple of 8 as InvokeAI's grid tensors are. */
    private static Mask onGrid(int[] pixels, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < pixels.length; i++) {
            image.setRGB(i % width, i / width, pixels[i] * 0x010101);
        }
        int gridWidth = width - width % 8;
        int gridHeight = height - height % 8;
        if (gridWidth == 0 || gridHeight == 0) {
            throw new IllegalArgumentException("the mask is " + width + " x " + height + "; it needs at least 8 x 8 pixels");
        }
        return Mask.ofImage(gridWidth == width && gridHeight == height ? image
                : DiffusionPipeline.resize(image, gridWidth, gridHeight));
    }
}

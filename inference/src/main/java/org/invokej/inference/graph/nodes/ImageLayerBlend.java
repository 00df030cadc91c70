package org.invokej.inference.graph.nodes;

import org.invokej.inference.Pixels;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ImageField;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * InvokeAI's {@code invokeai_img_blend} ("Image Layer Blend"), the paste back of its canvas inpaint and
 * outpaint graphs when the whole image is output: the upper layer (the generated image) composited over
 * the base (the canvas composite) with its alpha times {@code opacity} times the inverted mask, so white
 * in the mask keeps the base exactly. The upper layer and the mask are fitted to the base's size as
 * InvokeAI fits them. Only the {@code Normal} blend in RGB is offered; other blend modes and colour
 * spaces are refused at enqueue.
 */
public final class ImageLayerBlend implements NodeType {

    static final Input<ImageField> UPPER = Input.image("layer_upper").required().title("Layer Upper").description("The top image to blend");
    static final Input<String> BLEND_MODE = Input.choice("blend_mode", "Normal", List.of("Normal", "Lighten Only", "Darken Only",
                    "Lighten Only (EAL)", "Darken Only (EAL)", "Hue", "Saturation", "Color", "Luminosity", "Linear Dodge (Add)",
                    "Subtract", "Multiply", "Divide", "Screen", "Overlay", "Linear Burn", "Difference", "Hard Light", "Soft Light",
                    "Vivid Light", "Linear Light", "Color Burn", "Color Dodge"))
            .rule(value -> "Normal".equals(value) ? null : "is not supported by this server: only the Normal blend mode is")
            .title("Blend Mode").description("Available blend modes");
    static final Input<Double> OPACITY = Input.number("opacity").defaultsTo(1.0).rule(Rules.NOT_NEGATIVE).title("Opacity")
            .description("Desired opacity of the upper layer");
    static final Input<ImageField> MASK = Input.image("mask").title("Mask").description("Optional mask, used to restrict areas from blending");
    static final Input<Boolean> FIT_WIDTH = Input.bool("fit_to_width").defaultsTo(false).title("Fit To Width")
            .description("Scale upper layer to fit base width");
    static final Input<Boolean> FIT_HEIGHT = Input.bool("fit_to_height").defaultsTo(true).title("Fit To Height")
            .description("Scale upper layer to fit base height");
    static final Input<ImageField> BASE = Input.image("layer_base").required().title("Layer Base").description("The bottom image to blend");
    static final Input<String> COLOR_SPACE = Input.choice("color_space", "RGB", List.of("RGB", "Linear RGB", "HSL (RGB)", "HSV (RGB)",
                    "Okhsl", "Okhsv", "Oklch (Oklab)", "LCh (CIELab)"))
            .rule(value -> "RGB".equals(value) ? null : "is not supported by this server: only the RGB color space is")
            .title("Color Space").description("Available color spaces for blend computations");
    static final Input<Double> ADAPTIVE_GAMUT = Input.number("adaptive_gamut").defaultsTo(0.0).rule(Rules.NOT_NEGATIVE)
            .title("Adaptive Gamut").description("Adaptive gamut clipping (0=off). Higher prioritizes chroma over lightness");
    static final Input<Boolean> HIGH_PRECISION = Input.bool("high_precision").defaultsTo(true).title("High Precision")
            .description("Use more steps in computing gamut when possible");

    private static final NodeSpec SPEC = NodeSpec.of("invokeai_img_blend", "Image Layer Blend",
                    List.of(UPPER, BLEND_MODE, OPACITY, MASK, FIT_WIDTH, FIT_HEIGHT, BASE, COLOR_SPACE, ADAPTIVE_GAMUT, HIGH_PRECISION,
                            ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Blend two images together, with optional opacity, mask, and blend modes. Originally created by @dwringer",
                    "image", "1.2.0", "image", "blend", "layer", "alpha", "composite", "dodge", "burn");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage base = context.resources().loadImage(in.get(BASE).imageName());
        int width = base.getWidth();
        int height = base.getHeight();
        boolean fitWidth = in.get(FIT_WIDTH);
        boolean fitHeight = in.get(FIT_HEIGHT);
        int[] upper = fitted(context.resources().loadImage(in.get(UPPER).imageName()), width, height, fitWidth, fitHeight);
        int[] mask = null;
        if (in.get(MASK) != null) {
            int[] fittedMask = fitted(context.resources().loadImage(in.get(MASK).imageName()), width, height, fitWidth, fitHeight);
            mask = new int[fittedMask.length];
            for (int i = 0; i < mask.length; i++) {
                mask[i] = Pixels.luminance(fittedMask[i]);
            }
        }
        int[] lower = Pixels.argb(base);
        double opacity = in.get(OPACITY);
        int[] out = new int[lower.length];
        for (int i = 0; i < out.length; i++) {
            double alphaUpper = (upper[i] >>> 24) / 255.0 * opacity * (mask == null ? 1 : 1 - mask[i] / 255.0);
            double alphaLower = (lower[i] >>> 24) / 255.0;
            double alpha = alphaUpper + alphaLower * (1 - alphaUpper);
            if (alpha <= 0) {
                continue;
            }
            int pixel = (int) Math.round(Math.min(1, alpha) * 255) << 24;
            for (int shift = 0; shift < 24; shift += 8) {
                double top = (upper[i] >> shift) & 0xff;
                double bottom = (lower[i] >> shift) & 0xff;
                double value = (top * alphaUpper + bottom * alphaLower * (1 - alphaUpper)) / alpha;
                pixel |= (int) Math.round(Math.min(255, Math.max(0, value))) << shift;
            }
            out[i] = pixel;
        }
        return ImageSaving.save(in, context, Pixels.of(out, width, height, Pixels.hasAlpha(base)));
    }

    /**
     * The layer at the base's size as InvokeAI's {@code scale_and_pad_or_crop_to_base} makes it: stretched
     * when fitting both sides, padded (centred, transparent) or cropped (centred) to keep its aspect when
     * fitting one, as it is otherwise (then cut or extended with transparency at the bottom right).
     */
    private static int[] fitted(BufferedImage layer, int width, int height, boolean fitWidth, boolean fitHeight) {
        if (layer.getWidth() == width && layer.getHeight() == height) {
            return Pixels.argb(layer);
        }
        double aspectBase = (double) width / height;
        double aspectUpper = (double) layer.getWidth() / layer.getHeight();
        if (fitWidth && fitHeight) {
            return Pixels.argb(resized(layer, width, height));
        }
        boolean pad = fitWidth && aspectBase < aspectUpper || fitHeight && aspectUpper <= aspectBase;
        boolean crop = fitWidth && aspectUpper <= aspectBase || fitHeight && aspectBase < aspectUpper;
        int[] out = new int[width * height];
        if (pad) {
            double scale = Math.min((double) width / layer.getWidth(), (double) height / layer.getHeight());
            int w = Math.max(1, (int) Math.round(layer.getWidth() * scale));
            int h = Math.max(1, (int) Math.round(layer.getHeight() * scale));
            Paste.paste(out, width, height, Pixels.argb(resized(layer, w, h)), w, h, (width - w) / 2, (height - h) / 2, null);
        } else if (crop) {
            double scale = Math.max((double) width / layer.getWidth(), (double) height / layer.getHeight());
            int w = Math.max(width, (int) Math.round(layer.getWidth() * scale));
            int h = Math.max(height, (int) Math.round(layer.getHeight() * scale));
            Paste.paste(out, width, height, Pixels.argb(resized(layer, w, h)), w, h, -(w - width) / 2, -(h - height) / 2, null);
        } else {
            Paste.paste(out, width, height, Pixels.argb(layer), layer.getWidth(), layer.getHeight(), 0, 0, null);
        }
        return out;
    }

    private static BufferedImage resized(BufferedImage layer, int width, int height) {
        return Pixels.resized(Pixels.of(Pixels.argb(layer), layer.getWidth(), layer.getHeight(), true), width, height);
    }
}

package org.invokej.inference.graph.nodes;

import org.invokej.inference.LayerBlend;
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
 * outpaint graphs when the whole image is output: {@link LayerBlend#normal}. Only the {@code Normal} blend in
 * RGB is offered; other blend modes and colour spaces are refused at enqueue.
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
        BufferedImage mask = in.get(MASK) == null ? null : context.resources().loadImage(in.get(MASK).imageName());
        return ImageSaving.save(in, context, LayerBlend.normal(context.resources().loadImage(in.get(BASE).imageName()),
                context.resources().loadImage(in.get(UPPER).imageName()), mask, in.get(OPACITY), in.get(FIT_WIDTH), in.get(FIT_HEIGHT)));
    }
}

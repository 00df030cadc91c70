package org.invokej.inference.graph.nodes;

import org.invokej.inference.MaskFade;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ImageField;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * InvokeAI's {@code expand_mask_with_fade}, which its canvas graphs put between {@code create_gradient_mask}'s
 * repainted area and the paste back: {@link MaskFade} with the node's {@code threshold} and {@code fade_size_px}.
 */
public final class ExpandMaskWithFade implements NodeType {

    static final Input<ImageField> MASK = Input.image("mask").required().title("Mask").description("The mask to expand");
    static final Input<Long> THRESHOLD = Input.integer("threshold").defaultsTo(0L).rule(Rules.BYTE).title("Threshold")
            .description("The threshold for the binary mask (0-255)");
    static final Input<Long> FADE_SIZE = Input.integer("fade_size_px").defaultsTo(32L).rule(Rules.NOT_NEGATIVE).title("Fade Size Px")
            .description("The size of the fade in pixels");

    private static final NodeSpec SPEC = NodeSpec.of("expand_mask_with_fade", "Expand Mask with Fade",
                    List.of(MASK, THRESHOLD, FADE_SIZE, ImageSaving.BOARD, ImageSaving.METADATA), "image_output", Outputs.ImageOutput.class)
            .withDescription("Expands a mask with a fade effect. The mask uses black to indicate areas to keep from the generated"
                    + " image and white for areas to discard. The mask is thresholded to create a binary mask, and then a distance"
                    + " transform is applied to create a fade effect. The fade size is specified in pixels, and the mask is expanded"
                    + " by that amount. The result is a mask with a smooth transition from black to white. If the fade size is 0,"
                    + " the mask is returned as-is.", "image", "1.0.1", "image", "mask");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ImageOutput run(Inputs in, NodeContext context) {
        BufferedImage mask = context.resources().loadImage(in.get(MASK).imageName());
        return ImageSaving.save(in, context, MaskFade.expand(mask, Math.toIntExact(in.get(THRESHOLD)),
                Math.toIntExact(in.get(FADE_SIZE))));
    }
}

package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ClipField;

import java.util.List;

/** InvokeAI's {@code clip_skip}: skips final layers of the text encoder. */
public final class ClipSkip implements NodeType {

    static final Input<ClipField> CLIP = Input.clip("clip").required().connectionOnly().title("CLIP")
            .description("CLIP (tokenizer, text encoder, LoRAs) and skipped layer count");
    static final Input<Long> SKIPPED_LAYERS = Input.integer("skipped_layers").defaultsTo(0L).rule(Rules.NOT_NEGATIVE)
            .title("Skipped Layers").description("Number of layers to skip in text encoder");

    private static final NodeSpec SPEC = NodeSpec.of("clip_skip", "Apply CLIP Skip - SD1.5, SD2", List.of(CLIP, SKIPPED_LAYERS),
                    "clip_skip_output", Outputs.ClipOutput.class)
            .withDescription("Skip layers in clip text_encoder model.", "conditioning", "1.1.1", "clipskip", "clip", "skip");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ClipOutput run(Inputs in, NodeContext context) {
        return new Outputs.ClipOutput(in.get(CLIP).skipping(Math.toIntExact(in.get(SKIPPED_LAYERS))));
    }
}

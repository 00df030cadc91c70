package org.invokej.inference.graph.nodes;

import org.invokej.inference.Conditioning;
import org.invokej.inference.DiffusionModel;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ClipField;
import org.invokej.inference.graph.fields.ConditioningField;

import java.util.List;

/** InvokeAI's {@code compel}: encodes a prompt with the CLIP text encoder. */
public final class Compel implements NodeType {

    static final Input<String> PROMPT = Input.string("prompt").defaultsTo("").title("Prompt")
            .description("Prompt to be parsed by Compel to create a conditioning tensor").uiType("TextareaField");
    static final Input<ClipField> CLIP = Input.clip("clip").required().connectionOnly().title("CLIP")
            .description("CLIP (tokenizer, text encoder, LoRAs) and skipped layer count");
    static final Input<Object> MASK = Input.any("mask").rule(Rules.UNSUPPORTED).title("Mask")
            .description("A mask defining the region that this conditioning prompt applies to.");

    private static final NodeSpec SPEC = NodeSpec.of("compel", "Prompt - SD1.5", List.of(PROMPT, CLIP, MASK),
                    "conditioning_output", Outputs.ConditioningOutput.class)
            .withDescription("Parse prompt using compel package to conditioning.", "conditioning", "1.2.1", "prompt", "compel");

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ConditioningOutput run(Inputs in, NodeContext context) {
        ClipField clip = in.get(CLIP);
        DiffusionModel model = context.model(clip.textEncoder(), Loras.applied(clip));
        context.progress("Building conditioning");
        Conditioning encoded = context.job().pipeline().encodePrompt(model, in.get(PROMPT), clip.skippedLayers(),
                context.job().cancel());
        String name = context.preparedId() + "_conditioning";
        context.keep(name, encoded);
        return new Outputs.ConditioningOutput(new ConditioningField(name, null));
    }
}

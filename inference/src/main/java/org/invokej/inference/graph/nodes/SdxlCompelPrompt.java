package org.invokej.inference.graph.nodes;

import org.invokej.inference.Conditioning;
import org.invokej.inference.DiffusionModel;
import org.invokej.inference.SdxlSizes;
import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.ClipField;
import org.invokej.inference.graph.fields.ConditioningField;

import java.util.List;

/**
 * InvokeAI's {@code sdxl_compel_prompt}: the prompt through both SDXL text encoders (the style prompt, when
 * not blank, through the second), their penultimate hidden states side by side, the second encoder's
 * pooled embedding, and the original size, crop and target size as the UNet's {@code time_ids}.
 */
public final class SdxlCompelPrompt implements NodeType {

    private static final String PROMPT_DESCRIPTION = "Prompt to be parsed by Compel to create a conditioning tensor";
    private static final String CLIP_DESCRIPTION = "CLIP (tokenizer, text encoder, LoRAs) and skipped layer count";

    static final Input<String> PROMPT = Input.string("prompt").defaultsTo("").title("Prompt")
            .description(PROMPT_DESCRIPTION).uiType("TextareaField");
    static final Input<String> STYLE = Input.string("style").defaultsTo("").title("Style")
            .description(PROMPT_DESCRIPTION).uiType("TextareaField");
    static final Input<Long> ORIGINAL_WIDTH = size("original_width", "Original Width", 1024);
    static final Input<Long> ORIGINAL_HEIGHT = size("original_height", "Original Height", 1024);
    static final Input<Long> CROP_TOP = size("crop_top", "Crop Top", 0);
    static final Input<Long> CROP_LEFT = size("crop_left", "Crop Left", 0);
    static final Input<Long> TARGET_WIDTH = size("target_width", "Target Width", 1024);
    static final Input<Long> TARGET_HEIGHT = size("target_height", "Target Height", 1024);
    static final Input<ClipField> CLIP = Input.clip("clip").required().connectionOnly().title("CLIP 1")
            .description(CLIP_DESCRIPTION);
    static final Input<ClipField> CLIP2 = Input.clip("clip2").required().connectionOnly().title("CLIP 2")
            .description(CLIP_DESCRIPTION);
    static final Input<Object> MASK = Input.any("mask").rule(Rules.UNSUPPORTED).title("Mask")
            .description("A mask defining the region that this conditioning prompt applies to.");

    private static final NodeSpec SPEC = NodeSpec.of("sdxl_compel_prompt", "Prompt - SDXL",
                    List.of(PROMPT, STYLE, ORIGINAL_WIDTH, ORIGINAL_HEIGHT, CROP_TOP, CROP_LEFT, TARGET_WIDTH, TARGET_HEIGHT,
                            CLIP, CLIP2, MASK),
                    "conditioning_output", Outputs.ConditioningOutput.class)
            .withDescription("Parse prompt using compel package to conditioning.", "conditioning", "1.2.1", "sdxl", "compel",
                    "prompt");

    private static Input<Long> size(String name, String title, long defaultValue) {
        return Input.integer(name).defaultsTo(defaultValue).rule(Rules.SIDE).title(title).description("");
    }

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.ConditioningOutput run(Inputs in, NodeContext context) {
        ClipField clip = in.get(CLIP);
        ClipField clip2 = in.get(CLIP2);
        if (!Loras.applied(clip).equals(Loras.applied(clip2))) {
            // both encoders come from one loaded model, with one set of LoRAs blended into it
            throw new IllegalArgumentException("clip and clip2 carry different LoRAs; this server applies the same LoRAs to"
                    + " both SDXL text encoders (connect both from one sdxl_lora_loader)");
        }
        DiffusionModel model = context.model(clip.textEncoder(), Loras.applied(clip));
        if (!clip2.textEncoder().key().equals(clip.textEncoder().key())) {
            throw new IllegalArgumentException("clip and clip2 come from different models; this server encodes an SDXL"
                    + " prompt with one model's two text encoders");
        }
        context.progress("Building conditioning");
        SdxlSizes sizes = new SdxlSizes(Math.toIntExact(in.get(ORIGINAL_WIDTH)), Math.toIntExact(in.get(ORIGINAL_HEIGHT)),
                Math.toIntExact(in.get(CROP_TOP)), Math.toIntExact(in.get(CROP_LEFT)), Math.toIntExact(in.get(TARGET_WIDTH)),
                Math.toIntExact(in.get(TARGET_HEIGHT)));
        Conditioning encoded = context.job().pipeline().encodeSdxlPrompt(model, in.get(PROMPT), in.get(STYLE), sizes,
                clip.skippedLayers(), clip2.skippedLayers(), context.job().cancel());
        String name = context.preparedId() + "_conditioning";
        context.keep(name, encoded);
        return new Outputs.ConditioningOutput(new ConditioningField(name, null));
    }
}

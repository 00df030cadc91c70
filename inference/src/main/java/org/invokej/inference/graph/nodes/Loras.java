package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.Input;
import org.invokej.inference.graph.InvocationOutput;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.fields.ClipField;
import org.invokej.inference.graph.fields.LoraField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.graph.fields.UNetField;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * What InvokeAI's LoRA nodes share: their inputs, their outputs ({@code lora_loader_output},
 * {@code sdxl_lora_loader_output}) and adding a LoRA to a UNet or CLIP field. The LoRAs only travel in the fields;
 * they are blended into the weights when a node loads the model ({@link NodeContext#model(ModelIdentifier, List)}).
 */
public final class Loras {

    static final String UNET_DESCRIPTION = "UNet (scheduler, LoRAs)";
    static final String CLIP_DESCRIPTION = "CLIP (tokenizer, text encoder, LoRAs) and skipped layer count";

    private Loras() {
    }

    static Input<ModelIdentifier> loraInput() {
        return Input.model("lora").required().title("LoRA").description("LoRA model to load").uiType("LoRAModelField");
    }

    static Input<Double> weightInput() {
        return Input.number("weight").defaultsTo(0.75).title("Weight").description("The weight at which the LoRA is applied to each model");
    }

    static Input<UNetField> unetInput() {
        return Input.unet("unet").connectionOnly().title("UNet").description(UNET_DESCRIPTION);
    }

    static Input<ClipField> clipInput(String name, String title) {
        return Input.clip(name).connectionOnly().title(title).description(CLIP_DESCRIPTION);
    }

    /** The {@code loras} input of the collection loaders: one LoRA or a list of them. */
    static Input<Object> lorasInput() {
        return Input.any("loras").required().title("LoRAs").description("LoRA models and weights. May be a single LoRA or collection.");
    }

    /** {@code lora_loader_output}. */
    public record LoraLoaderOutput(UNetField unet, ClipField clip) implements InvocationOutput {
    }

    /** {@code sdxl_lora_loader_output}. */
    public record SdxlLoraLoaderOutput(UNetField unet, ClipField clip, ClipField clip2) implements InvocationOutput {
    }

    /** The LoRA must be one the owner may use (else the node fails with the model manager's refusal). */
    static void requireUsable(NodeContext context, ModelIdentifier lora) {
        context.resources().modelFolder(lora);
    }

    /** InvokeAI's refusal to apply one LoRA twice to a field. */
    static void requireNotApplied(List<LoraField> applied, ModelIdentifier lora, String field) {
        if (applied.stream().anyMatch(existing -> existing.lora().key().equals(lora.key()))) {
            throw new IllegalArgumentException("LoRA \"" + lora.key() + "\" already applied to " + field);
        }
    }

    static UNetField with(UNetField unet, List<LoraField> loras) {
        if (unet == null) {
            return null;
        }
        List<LoraField> all = new ArrayList<>(unet.loras() == null ? List.of() : unet.loras());
        all.addAll(loras);
        return new UNetField(unet.unet(), unet.scheduler(), List.copyOf(all), unet.seamlessAxes(), unet.freeuConfig());
    }

    static ClipField with(ClipField clip, List<LoraField> loras) {
        if (clip == null) {
            return null;
        }
        List<LoraField> all = new ArrayList<>(clip.loras() == null ? List.of() : clip.loras());
        all.addAll(loras);
        return new ClipField(clip.tokenizer(), clip.textEncoder(), clip.skippedLayers(), List.copyOf(all));
    }

    static List<LoraField> applied(UNetField unet) {
        return unet == null || unet.loras() == null ? List.of() : unet.loras();
    }

    static List<LoraField> applied(ClipField clip) {
        return clip == null || clip.loras() == null ? List.of() : clip.loras();
    }

    /**
     * The collection loaders' LoRAs: one or a list, each once (a repeated LoRA is skipped, as InvokeAI does), each
     * for one of {@code bases} when its identifier names a base, and usable by the owner.
     */
    static List<LoraField> collection(Object loras, List<String> bases, String nodeType, NodeContext context) {
        List<?> given = loras instanceof List<?> list ? list : List.of(loras);
        java.util.Set<String> keys = new LinkedHashSet<>();
        List<LoraField> result = new ArrayList<>();
        for (Object item : given) {
            LoraField lora = (LoraField) org.invokej.inference.graph.FieldKind.LORA.convert(item);
            if (lora == null || lora.lora() == null || lora.lora().key() == null) {
                throw new IllegalArgumentException("loras holds an item that is not a LoRA");
            }
            if (!keys.add(lora.lora().key())) {
                continue;
            }
            if (lora.lora().base() != null && !bases.contains(lora.lora().base())) {
                throw new IllegalArgumentException(nodeType + " takes " + String.join(" or ", bases) + " LoRAs; '"
                        + (lora.lora().name() != null ? lora.lora().name() : lora.lora().key()) + "' is " + lora.lora().base());
            }
            requireUsable(context, lora.lora());
            result.add(lora);
        }
        return result;
    }
}

package org.invokej.inference.graph.fields;

import java.util.List;

/** InvokeAI's {@code CLIPField}: tokenizer, text encoder, how many final layers to skip, and LoRAs. */
public record ClipField(ModelIdentifier tokenizer, ModelIdentifier textEncoder, int skippedLayers, List<LoraField> loras) {

    public ClipField skipping(int more) {
        return new ClipField(tokenizer, textEncoder, skippedLayers + more, loras);
    }
}

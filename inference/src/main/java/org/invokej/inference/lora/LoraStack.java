package org.invokej.inference.lora;

import java.nio.file.Path;
import java.util.List;

/**
 * The LoRAs applied to a model, in order, with their weights: what a loaded model's variant is made of, and part of
 * the model cache's key. Each LoRA's layers go to the part they name (UNet, text encoders).
 */
public record LoraStack(List<Applied> loras) {

    public static final LoraStack NONE = new LoraStack(List.of());

    /** One LoRA file and its weight. */
    public record Applied(Path file, double weight) {
        public Applied {
            file = file.toAbsolutePath().normalize();
        }
    }

    public LoraStack {
        loras = List.copyOf(loras);
    }

    public boolean isEmpty() {
        return loras.isEmpty();
    }

    @Override
    public String toString() {
        return loras.stream().map(a -> a.file().getFileName() + ":" + a.weight()).toList().toString();
    }
}

package org.invokej.inference.graph.fields;

import java.util.List;

/** InvokeAI's {@code UNetField}: the denoiser, its scheduler config and what modifies it. */
public record UNetField(ModelIdentifier unet, ModelIdentifier scheduler, List<LoraField> loras, List<String> seamlessAxes,
                        FreeUConfig freeuConfig) {
}

package org.invokej.core.models;

import java.nio.file.Path;

/**
 * Checks a model folder the way the inference engine will use it, and says what kind of model it is.
 * Refusals are {@link org.invokej.core.DomainException}s whose message names the file and the problem.
 */
public interface ModelInspector {

    /** The quick check: the folder has the parts of an ONNX Stable Diffusion export. */
    void checkLayout(Path folder);

    /** The full check (every part loaded and its graph checked) and what the model is. Slow for real models. */
    ModelFacts inspect(Path folder);

    /**
     * Reads a LoRA file ({@code .safetensors}) whole and says which base model it is for; the facts' base is null
     * when its layers do not tell (the installer then needs it given).
     */
    ModelFacts inspectLora(Path file);
}

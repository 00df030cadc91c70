package org.invokej.http.fakes;

import org.invokej.core.DomainException;
import org.invokej.core.models.ModelFacts;
import org.invokej.core.models.ModelInspector;

import java.nio.file.Path;

/** Says no folder is a model: the route tests check who may install and how refusals look, not ONNX files. */
public final class RefusingInspector implements ModelInspector {

    @Override
    public void checkLayout(Path folder) {
        throw DomainException.unprocessable("Not an ONNX Stable Diffusion export: " + folder.getFileName() + " has no model_index.json");
    }

    @Override
    public ModelFacts inspectLora(Path file) {
        throw DomainException.unprocessable("Not a LoRA: " + file.getFileName());
    }

    @Override
    public ModelFacts inspect(Path folder) {
        checkLayout(folder);
        throw new AssertionError("unreachable");
    }
}

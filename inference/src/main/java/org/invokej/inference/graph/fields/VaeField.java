package org.invokej.inference.graph.fields;

import java.util.List;

/** InvokeAI's {@code VAEField}. */
public record VaeField(ModelIdentifier vae, List<String> seamlessAxes) {
}

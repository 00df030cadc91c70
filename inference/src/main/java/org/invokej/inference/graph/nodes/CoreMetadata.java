package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.GraphJson;
import org.invokej.inference.graph.Inputs;
import org.invokej.inference.graph.NodeContext;
import org.invokej.inference.graph.NodeSpec;
import org.invokej.inference.graph.NodeType;
import org.invokej.inference.graph.fields.MetadataField;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * InvokeAI's {@code core_metadata}: takes any field (seed, prompts, model, …) and outputs them as the
 * metadata written into saved images, with the app version.
 */
public final class CoreMetadata implements NodeType {

    private static final NodeSpec SPEC = NodeSpec.of("core_metadata", "Core Metadata", List.of(), "metadata_output",
                    Outputs.MetadataOutput.class)
            .withDescription("Used internally by Invoke to collect metadata for generations.", "metadata", "2.1.0", "metadata")
            .withAnyField();

    @Override
    public NodeSpec spec() {
        return SPEC;
    }

    @Override
    public Outputs.MetadataOutput run(Inputs in, NodeContext context) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        in.fields().forEach((key, value) -> {
            if (value != null) {
                metadata.put(key, GraphJson.plain(value));
            }
        });
        metadata.put("app_version", context.appVersion());
        return new Outputs.MetadataOutput(new MetadataField(metadata));
    }
}

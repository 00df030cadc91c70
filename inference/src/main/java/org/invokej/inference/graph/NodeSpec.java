package org.invokej.inference.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node type this server runs: its inputs, its output type string and output fields, and whether its
 * results may be cached by default ({@code use_cache}).
 */
record NodeSpec(String type, Map<String, InputSpec> inputs, String outputType, Map<String, FieldKind> outputs,
                boolean useCacheDefault) {

    static NodeSpec of(String type, List<InputSpec> inputs, String outputType, Map<String, FieldKind> outputs) {
        Map<String, InputSpec> byName = new LinkedHashMap<>();
        inputs.forEach(input -> byName.put(input.name(), input));
        return new NodeSpec(type, Map.copyOf(byName), outputType, Map.copyOf(outputs), true);
    }

    NodeSpec withoutCache() {
        return new NodeSpec(type, inputs, outputType, outputs, false);
    }

    /** Whether {@code field} may take many edges ({@code collect.item}). */
    boolean acceptsManyEdges(String field) {
        return type.equals("collect") && field.equals("item");
    }
}

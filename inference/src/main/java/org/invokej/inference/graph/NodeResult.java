package org.invokej.inference.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/** What a node returned, with its output type name ({@code image_output}, …). */
public record NodeResult(String type, InvocationOutput output) {

    /** InvokeAI's JSON of the output: {@code {"type": …, <fields>}}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", type);
        json.putAll(GraphJson.object(output));
        return json;
    }
}

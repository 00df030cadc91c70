package org.invokej.inference.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One node as it runs: the prepared copy (a fresh id, inputs resolved from literals, defaults and
 * edges) and the id of the node in the submitted graph. Events and saved images name the prepared id.
 */
public record Invocation(String preparedId, String sourceId, Inputs inputs) {

    public String type() {
        return inputs.type();
    }

    /** The prepared node as InvokeAI's JSON shows it. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", preparedId);
        json.put("type", inputs.type());
        inputs.fields().forEach((name, value) -> json.put(name, GraphJson.plain(value)));
        json.put("is_intermediate", inputs.isIntermediate());
        json.put("use_cache", inputs.useCache());
        return json;
    }
}

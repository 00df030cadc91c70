package org.invokej.inference.graph;

import java.util.Map;

/**
 * One node as it runs: the prepared copy (a fresh id, inputs resolved from literals, defaults and
 * edges) and the id of the node in the submitted graph. Events and saved images name the prepared id.
 */
public record Invocation(String preparedId, String sourceId, Map<String, Object> node) {

    public String type() {
        return (String) node.get("type");
    }
}

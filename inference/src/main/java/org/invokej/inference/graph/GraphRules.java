package org.invokej.inference.graph;

import org.invokej.core.queue.GraphChecker;

import java.util.Map;
import java.util.Set;

/** The queue's graph checks, by the node catalogue this engine runs. */
public final class GraphRules implements GraphChecker {

    @Override
    public void check(Map<String, Object> graph, Set<String> provided) {
        Graph.parse(graph, provided);
    }

    @Override
    public void checkBatchValue(Map<String, Object> graph, String nodeId, String field, Object value) {
        Graph.checkBatchValue(graph, nodeId, field, value);
    }
}

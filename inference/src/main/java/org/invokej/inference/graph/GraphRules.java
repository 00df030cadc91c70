package org.invokej.inference.graph;

import org.invokej.core.queue.GraphChecker;
import org.invokej.inference.graph.nodes.NodeTypes;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The queue's graph checks, by the node types this engine runs: a graph parses into a typed {@link Graph} or is refused. */
public final class GraphRules implements GraphChecker {

    private final NodeTypes types;

    public GraphRules(NodeTypes types) {
        this.types = types;
    }

    public GraphRules() {
        this(NodeTypes.standard());
    }

    @Override
    public CheckedGraph check(Map<String, Object> graph, Set<String> provided) {
        return new CheckedGraph(List.copyOf(Graph.parse(types, graph, provided).modelKeys()));
    }

    @Override
    public void checkBatchValue(Map<String, Object> graph, String nodeId, String field, Object value) {
        Graph.checkBatchValue(types, graph, nodeId, field, value);
    }
}

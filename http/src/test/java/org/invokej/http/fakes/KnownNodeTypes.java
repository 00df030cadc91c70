package org.invokej.http.fakes;

import org.invokej.core.DomainException;
import org.invokej.core.queue.GraphChecker;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A graph checker that knows only a few node types by name: enough to tell a graph the engine would
 * take from one it would refuse, which is all the routes care about (the real node rules live in
 * {@code inference} and have tests of their own).
 */
public final class KnownNodeTypes implements GraphChecker {

    private final Set<String> types;

    public KnownNodeTypes(Set<String> types) {
        this.types = Set.copyOf(types);
    }

    /** Names as models the fields that look like model identifiers ({@code {"key": …}}), as the real check does. */
    @Override
    public CheckedGraph check(Map<String, Object> graph, Set<String> provided) {
        if (!(graph.get("nodes") instanceof Map<?, ?> nodes)) {
            throw DomainException.unprocessable("Invalid graph: 'nodes' must be an object");
        }
        Set<String> models = new LinkedHashSet<>();
        nodes.forEach((id, node) -> {
            Object type = node instanceof Map<?, ?> fields ? fields.get("type") : null;
            if (!types.contains(String.valueOf(type))) {
                throw DomainException.unprocessable("Invalid graph: node '" + id + "' has unknown type '" + type + "'");
            }
            ((Map<?, ?>) node).values().forEach(value -> {
                if (value instanceof Map<?, ?> field && field.get("key") instanceof String key) {
                    models.add(key);
                }
            });
        });
        return new CheckedGraph(List.copyOf(models));
    }

    @Override
    public void checkBatchValue(Map<String, Object> graph, String nodeId, String field, Object value) {
        if (!(graph.get("nodes") instanceof Map<?, ?> nodes) || !nodes.containsKey(nodeId)) {
            throw DomainException.unprocessable("Invalid batch: the graph has no node '" + nodeId + "'");
        }
    }
}

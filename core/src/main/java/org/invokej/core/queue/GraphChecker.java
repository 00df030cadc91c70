package org.invokej.core.queue;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks graphs at enqueue time; every refusal is a 422 naming the node and field. */
public interface GraphChecker {

    /** What the queue needs to know of a checked graph: the keys of the models it names, each once, in graph order. */
    record CheckedGraph(List<String> modelKeys) {
        public CheckedGraph {
            modelKeys = List.copyOf(modelKeys);
        }
    }

    /**
     * Checks a whole graph; {@code provided} names the {@code node.field} inputs the batch fills in.
     * Returns the models it names, which the enqueuer must be allowed to use.
     */
    CheckedGraph check(Map<String, Object> graph, Set<String> provided);

    /** Checks a value the batch will write into {@code nodeId.field}. */
    void checkBatchValue(Map<String, Object> graph, String nodeId, String field, Object value);
}

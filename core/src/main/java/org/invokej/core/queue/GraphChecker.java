package org.invokej.core.queue;

import java.util.Map;
import java.util.Set;

/** Checks graphs at enqueue time; every refusal is a 422 naming the node and field. */
public interface GraphChecker {

    /** Checks a whole graph; {@code provided} names the {@code node.field} inputs the batch fills in. */
    void check(Map<String, Object> graph, Set<String> provided);

    /** Checks a value the batch will write into {@code nodeId.field}. */
    void checkBatchValue(Map<String, Object> graph, String nodeId, String field, Object value);
}

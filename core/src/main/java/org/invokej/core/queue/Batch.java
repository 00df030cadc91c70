package org.invokej.core.queue;

import java.util.List;
import java.util.Map;

/**
 * InvokeAI's {@code Batch}: a graph, values to substitute into it ({@code data}: the datums of an inner
 * list are zipped, the inner lists multiplied out), how many runs, and tags echoed on items and events.
 */
public record Batch(String batchId, String origin, String destination, List<List<Datum>> data, Map<String, Object> graph,
                    Map<String, Object> workflow, int runs) {

    /** Values for one field of one node, one per session. */
    public record Datum(String nodePath, String fieldName, List<Object> items) {
    }
}

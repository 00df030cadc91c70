package org.invokej.inference.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session as InvokeAI's {@code GraphExecutionState} shows it: the submitted graph, the prepared
 * nodes, which ran, their results and errors, and the mapping between submitted and prepared ids.
 * Mutable while the graph runs on one thread; {@link #toJson} is the snapshot stored with the queue item.
 */
public final class ExecutionState {

    private final String id;
    private final Map<String, Object> graph;
    private final Map<String, Object> preparedNodes = new LinkedHashMap<>();
    private final List<Map<String, Object>> preparedEdges = new ArrayList<>();
    private final List<String> executed = new ArrayList<>();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final Map<String, String> errors = new LinkedHashMap<>();
    private final Map<String, String> preparedToSource = new LinkedHashMap<>();
    private final Map<String, List<String>> sourceToPrepared = new LinkedHashMap<>();

    public ExecutionState(String id, Map<String, Object> graph) {
        this.id = id;
        this.graph = graph;
    }

    void prepared(Invocation invocation) {
        preparedNodes.put(invocation.preparedId(), invocation.toJson());
        preparedToSource.put(invocation.preparedId(), invocation.sourceId());
        sourceToPrepared.computeIfAbsent(invocation.sourceId(), k -> new ArrayList<>()).add(invocation.preparedId());
    }

    void edge(String sourcePrepared, String sourceField, String destinationPrepared, String destinationField) {
        preparedEdges.add(Map.of("source", Map.of("node_id", sourcePrepared, "field", sourceField),
                "destination", Map.of("node_id", destinationPrepared, "field", destinationField)));
    }

    void completed(Invocation invocation, NodeResult result) {
        executed.add(invocation.preparedId());
        results.put(invocation.preparedId(), result.toJson());
    }

    void failed(Invocation invocation, String error) {
        errors.put(invocation.preparedId(), error);
    }

    public String id() {
        return id;
    }

    /** The results of the nodes that ran, by prepared id. */
    public Map<String, Object> results() {
        return results;
    }

    public Map<String, String> errors() {
        return errors;
    }

    /** The snapshot stored as the queue item's {@code session}. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("graph", graph);
        json.put("execution_graph", Map.of("id", id + ":execution", "nodes", new LinkedHashMap<>(preparedNodes),
                "edges", new ArrayList<>(preparedEdges)));
        json.put("executed", new ArrayList<>(executed));
        json.put("executed_history", new ArrayList<>(executed));
        json.put("results", new LinkedHashMap<>(results));
        json.put("errors", new LinkedHashMap<>(errors));
        json.put("prepared_source_mapping", new LinkedHashMap<>(preparedToSource));
        Map<String, Object> reverse = new LinkedHashMap<>();
        sourceToPrepared.forEach((source, prepared) -> reverse.put(source, new ArrayList<>(prepared)));
        json.put("source_prepared_mapping", reverse);
        return json;
    }
}

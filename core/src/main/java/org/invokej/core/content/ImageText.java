package org.invokej.core.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON an image carries, as InvokeAI keeps it in PNG text chunks: generation metadata (an
 * object), the workflow that made it (a valid workflow) and the graph (an object with a {@code nodes}
 * object and an {@code edges} list). Each is null when absent; only values of the right shape are kept.
 */
public record ImageText(String metadata, String workflow, String graph) {

    public static final String METADATA_KEY = "invokeai_metadata";
    public static final String WORKFLOW_KEY = "invokeai_workflow";
    public static final String GRAPH_KEY = "invokeai_graph";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public static final ImageText NONE = new ImageText(null, null, null);

    /** The values among {@code metadata}, {@code workflow} and {@code graph} that have the right shape. */
    public static ImageText keepValid(String metadata, String workflow, String graph) {
        return new ImageText(isObject(metadata) ? metadata : null,
                workflow != null && WorkflowDocument.isValid(workflow) ? workflow : null,
                isGraph(graph) ? graph : null);
    }

    /** What an image's text chunks hold, keeping the valid values. */
    public static ImageText fromChunks(Map<String, String> chunks) {
        return keepValid(chunks.get(METADATA_KEY), chunks.get(WORKFLOW_KEY), chunks.get(GRAPH_KEY));
    }

    /** Whether a workflow or a graph is embedded (InvokeAI's {@code has_workflow}). */
    public boolean hasWorkflow() {
        return workflow != null || graph != null;
    }

    public ImageText withMetadata(String value) {
        return new ImageText(value, workflow, graph);
    }

    /** The text chunks to write, keyword to JSON text. */
    public Map<String, String> chunks() {
        Map<String, String> chunks = new LinkedHashMap<>();
        if (metadata != null) {
            chunks.put(METADATA_KEY, metadata);
        }
        if (workflow != null) {
            chunks.put(WORKFLOW_KEY, workflow);
        }
        if (graph != null) {
            chunks.put(GRAPH_KEY, graph);
        }
        return chunks;
    }

    /** Whether {@code text} is a JSON object. */
    public static boolean isObject(String text) {
        return tree(text).map(JsonNode::isObject).orElse(false);
    }

    private static boolean isGraph(String text) {
        return tree(text).map(node -> node.isObject() && node.path("nodes").isObject() && node.path("edges").isArray())
                .orElse(false);
    }

    private static Optional<JsonNode> tree(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}

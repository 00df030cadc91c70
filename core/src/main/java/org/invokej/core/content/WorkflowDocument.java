package org.invokej.core.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.invokej.core.DomainException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A workflow as the library stores it (InvokeAI's {@code Workflow}, invokeai-api-shapes.md §3.1), validated: the
 * required texts, {@code exposedFields}, {@code meta} with a semver version and a category, node and edge
 * arrays of objects, an optional {@code form}, and at most one {@code workflow_return} node. Unknown
 * top-level keys are dropped. Immutable.
 */
public final class WorkflowDocument {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> TEXTS = List.of("name", "author", "description", "version", "contact", "tags", "notes");
    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final String SHARED_TAG = "shared";

    private final ObjectNode node;

    private WorkflowDocument(ObjectNode node) {
        this.node = node;
    }

    /** Validates a workflow object; 422 naming the first problem. */
    public static WorkflowDocument of(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw invalid("workflow", "must be an object");
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        JsonNode id = json.get("id");
        if (id != null && !id.isNull()) {
            if (!id.isTextual()) {
                throw invalid("workflow.id", "must be a string");
            }
            out.set("id", id);
        }
        for (String field : TEXTS) {
            out.put(field, text(json, field));
        }
        out.set("exposedFields", exposedFields(json.get("exposedFields")));
        out.set("meta", meta(json.get("meta")));
        out.set("nodes", objects(json, "nodes"));
        out.set("edges", objects(json, "edges"));
        JsonNode form = json.get("form");
        if (form != null && !form.isNull() && !form.isObject()) {
            throw invalid("workflow.form", "must be an object or null");
        }
        out.set("form", form == null ? JsonNodeFactory.instance.nullNode() : form);
        checkWorkflowReturn(out.get("nodes"));
        return new WorkflowDocument(out);
    }

    /** Parses and validates JSON text. */
    public static WorkflowDocument parse(String text) {
        try {
            return of(MAPPER.readTree(text));
        } catch (JsonProcessingException e) {
            throw DomainException.unprocessable("workflow: malformed JSON");
        }
    }

    /** Whether {@code text} is a valid workflow (what an uploaded PNG's {@code invokeai_workflow} chunk must be). */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (DomainException e) {
            return false;
        }
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            throw invalid("workflow." + field, "is required");
        }
        if (!value.isTextual()) {
            throw invalid("workflow." + field, "must be a string");
        }
        return value.asText();
    }

    private static ArrayNode exposedFields(JsonNode value) {
        if (value == null || !value.isArray()) {
            throw invalid("workflow.exposedFields", "must be a list");
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            String where = "workflow.exposedFields[" + i + "]";
            if (!item.isObject()) {
                throw invalid(where, "must be an object");
            }
            ObjectNode field = JsonNodeFactory.instance.objectNode();
            field.put("nodeId", text(item, "nodeId", where));
            field.put("fieldName", text(item, "fieldName", where));
            out.add(field);
        }
        return out;
    }

    private static String text(JsonNode json, String field, String where) {
        JsonNode value = json.get(field);
        if (value == null || !value.isTextual()) {
            throw invalid(where + "." + field, "must be a string");
        }
        return value.asText();
    }

    private static ObjectNode meta(JsonNode value) {
        if (value == null || !value.isObject()) {
            throw invalid("workflow.meta", "must be an object");
        }
        String version = text(value, "version", "workflow.meta");
        if (!SEMVER.matcher(version).matches()) {
            throw invalid("workflow.meta.version", "must be a semantic version such as 3.0.0");
        }
        JsonNode category = value.get("category");
        String categoryText = category == null || category.isNull() ? Workflow.USER_CATEGORY : category.asText();
        if (!(category == null || category.isNull() || category.isTextual())
                || !List.of(Workflow.USER_CATEGORY, Workflow.DEFAULT_CATEGORY).contains(categoryText)) {
            throw invalid("workflow.meta.category", "must be user or default");
        }
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        meta.put("version", version);
        meta.put("category", categoryText);
        return meta;
    }

    private static ArrayNode objects(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.isArray()) {
            throw invalid("workflow." + field, "must be a list");
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isObject()) {
                throw invalid("workflow." + field + "[" + i + "]", "must be an object");
            }
        }
        return (ArrayNode) value;
    }

    private static void checkWorkflowReturn(JsonNode nodes) {
        int returns = 0;
        for (JsonNode node : nodes) {
            if ("invocation".equals(node.path("type").asText()) && "workflow_return".equals(node.path("data").path("type").asText())) {
                returns++;
            }
        }
        if (returns > 1) {
            throw invalid("workflow.nodes", "may hold at most one workflow_return node");
        }
    }

    private static DomainException invalid(String where, String problem) {
        return DomainException.unprocessable("Invalid workflow: '" + where + "' " + problem);
    }

    public Optional<String> id() {
        return Optional.ofNullable(node.get("id")).map(JsonNode::asText);
    }

    public String category() {
        return node.get("meta").get("category").asText();
    }

    public String tags() {
        return node.get("tags").asText();
    }

    /** This document with {@code id} as its id. */
    public WorkflowDocument withId(String id) {
        ObjectNode copy = node.deepCopy();
        ObjectNode ordered = JsonNodeFactory.instance.objectNode();
        ordered.put("id", id);
        copy.remove("id");
        ordered.setAll(copy);
        return new WorkflowDocument(ordered);
    }

    /** This document with the {@code shared} tag added or removed (tags re-joined with ", "), as InvokeAI does on publishing. */
    public WorkflowDocument withSharedTag(boolean shared) {
        Set<String> tags = new LinkedHashSet<>();
        Arrays.stream(tags().split(",")).map(String::strip).filter(tag -> !tag.isEmpty()).forEach(tags::add);
        if (shared) {
            tags.add(SHARED_TAG);
        } else {
            tags.remove(SHARED_TAG);
        }
        ObjectNode copy = node.deepCopy();
        copy.put("tags", String.join(", ", new ArrayList<>(tags)));
        return new WorkflowDocument(copy);
    }

    /** The document as JSON text. */
    public String json() {
        return node.toString();
    }

    /** The document as a JSON tree (a copy). */
    public ObjectNode tree() {
        return node.deepCopy();
    }
}

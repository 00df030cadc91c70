package org.invokej.inference.graph;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The invocation schemas of {@code /openapi.json}, written from the node declarations: one
 * {@code <Type>Invocation} schema per node type ({@code class: "invocation"}, its inputs with
 * {@code field_kind}, {@code input}, {@code orig_required}, {@code ui_type} …, and a {@code $ref} to its
 * output), one schema per output type ({@code class: "output"}), and the schemas of the field records
 * they refer to. The shapes are those pydantic writes for InvokeAI's nodes, which InvokeAI's web UI
 * reads to build its node templates (its {@code parseSchema}): a node type is listed in the workflow
 * editor exactly when its schema is here.
 */
public final class InvocationSchemas {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String REF = "#/components/schemas/";
    private static final String ANY_FIELD = "AnyField";

    private InvocationSchemas() {
    }

    /** The {@code components.schemas} entries for {@code types}, by schema name. */
    public static ObjectNode components(List<NodeType> types) {
        ObjectNode schemas = NODES.objectNode();
        Deque<Class<?>> fieldRecords = new ArrayDeque<>();
        for (NodeType type : types) {
            NodeSpec spec = type.spec();
            String outputName = outputSchemaName(spec);
            schemas.set(invocationSchemaName(spec), invocation(spec, outputName, fieldRecords));
            if (!schemas.has(outputName)) {
                schemas.set(outputName, output(spec, fieldRecords));
            }
        }
        schemas.set(ANY_FIELD, NODES.objectNode().put("description", "Any value").put("title", ANY_FIELD));
        while (!fieldRecords.isEmpty()) {
            Class<?> record = fieldRecords.pop();
            String name = fieldSchemaName(record);
            if (!schemas.has(name)) {
                schemas.set(name, fieldRecord(record, name, fieldRecords));
            }
        }
        return schemas;
    }

    /** {@code main_model_loader} → {@code MainModelLoaderInvocation}. */
    public static String invocationSchemaName(NodeSpec spec) {
        return camel(spec.type()) + "Invocation";
    }

    /** {@code model_loader_output} → {@code ModelLoaderOutput}. */
    static String outputSchemaName(NodeSpec spec) {
        return camel(spec.outputType());
    }

    private static ObjectNode invocation(NodeSpec spec, String outputName, Deque<Class<?>> fieldRecords) {
        ObjectNode schema = NODES.objectNode();
        schema.put("category", spec.category());
        schema.put("class", "invocation");
        schema.put("classification", "stable");
        schema.put("description", spec.description() == null ? spec.title() : spec.description());
        schema.put("node_pack", "invokeai");
        schema.set("output", NODES.objectNode().put("$ref", REF + outputName));
        ObjectNode properties = schema.putObject("properties");
        properties.set("id", attribute("Id", "The id of this instance of an invocation. Must be unique among all instances of invocations.")
                .put("type", "string"));
        properties.set("is_intermediate", attribute("Is Intermediate", "Whether or not this is an intermediate invocation.")
                .put("default", false).put("input", "direct").put("orig_required", true).put("type", "boolean")
                .put("ui_hidden", false).put("ui_type", "IsIntermediate"));
        properties.set("use_cache", attribute("Use Cache", "Whether or not to use the cache")
                .put("default", spec.useCacheDefault()).put("type", "boolean"));
        for (Input<?> input : spec.inputs()) {
            properties.set(input.name(), input(input, fieldRecords));
        }
        properties.set("type", typeProperty(spec.type()));
        schema.putArray("required").add("type").add("id");
        ArrayNode tags = schema.putArray("tags");
        spec.tags().forEach(tags::add);
        schema.put("title", spec.title());
        schema.put("type", "object");
        schema.put("version", spec.version());
        return schema;
    }

    /**
     * One input. Required inputs are optional in the schema with {@code orig_required: true}, as InvokeAI
     * writes them (a node in a workflow may get the value from an edge); connection-only inputs and
     * those given as a record are {@code null} by default.
     */
    private static ObjectNode input(Input<?> input, Deque<Class<?>> fieldRecords) {
        ObjectNode field = valueSchema(input.kind(), input.choices(), fieldRecords, !input.isRequired() && input.defaultValue() == null);
        Object defaultValue = input.defaultValue();
        if (defaultValue != null) {
            field.set("default", GraphJson.MAPPER.valueToTree(defaultValue));
            field.set("orig_default", GraphJson.MAPPER.valueToTree(defaultValue));
        } else if (!input.isRequired() || isRecordKind(input.kind())) {
            field.putNull("default");
        }
        field.put("description", input.description() == null ? "" : input.description());
        field.put("field_kind", "input");
        field.put("input", switch (input.mode()) {
            case DIRECT -> "direct";
            case CONNECTION -> "connection";
            case ANY -> "any";
        });
        field.put("orig_required", input.isRequired());
        field.put("title", input.title() == null ? title(input.name()) : input.title());
        String uiType = uiType(input);
        if ("TextareaField".equals(uiType)) {
            // Not a field type in InvokeAI 6: a multi-line text box is a string input with this component.
            field.put("ui_component", "textarea");
        } else if (uiType != null) {
            field.put("ui_type", uiType);
        }
        field.put("ui_hidden", false);
        return field;
    }

    private static String uiType(Input<?> input) {
        if (input.uiType() != null) {
            return input.uiType();
        }
        if (input.kind() == FieldKind.ANY) {
            return input.takesManyEdges() ? "CollectionItemField" : "AnyField";
        }
        return input.kind() == FieldKind.COLLECTION ? "CollectionField" : null;
    }

    private static ObjectNode output(NodeSpec spec, Deque<Class<?>> fieldRecords) {
        ObjectNode schema = NODES.objectNode();
        schema.put("class", "output");
        schema.put("description", "The output of " + spec.type());
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = schema.putArray("required");
        for (Map.Entry<String, FieldKind> output : spec.outputs().entrySet()) {
            ObjectNode field = valueSchema(output.getValue(), List.of(), fieldRecords, false);
            field.put("description", title(output.getKey()));
            field.put("field_kind", "output");
            field.put("title", title(output.getKey()));
            if (output.getValue() == FieldKind.COLLECTION) {
                field.put("ui_type", "CollectionField");
            }
            field.put("ui_hidden", false);
            properties.set(output.getKey(), field);
            required.add(output.getKey());
        }
        properties.set("type", typeProperty(spec.outputType()));
        required.add("type");
        schema.put("title", outputSchemaName(spec));
        schema.put("type", "object");
        return schema;
    }

    /** The JSON Schema of a value of {@code kind}; {@code nullable} adds pydantic's {@code anyOf […, null]}. */
    private static ObjectNode valueSchema(FieldKind kind, List<String> choices, Deque<Class<?>> fieldRecords, boolean nullable) {
        ObjectNode schema = NODES.objectNode();
        switch (kind) {
            case STRING -> schema.put("type", "string");
            case INTEGER -> schema.put("type", "integer");
            case FLOAT -> schema.put("type", "number");
            case BOOLEAN -> schema.put("type", "boolean");
            case CHOICE -> {
                if (!choices.isEmpty()) {
                    ArrayNode values = schema.putArray("enum");
                    choices.forEach(values::add);
                }
                schema.put("type", "string");
            }
            case CONDITIONING_OR_LIST -> {
                fieldRecords.push(FieldKind.CONDITIONING.javaType());
                ArrayNode anyOf = schema.putArray("anyOf");
                anyOf.addObject().put("$ref", REF + fieldSchemaName(FieldKind.CONDITIONING.javaType()));
                anyOf.addObject().put("type", "array").putObject("items").put("$ref", REF + fieldSchemaName(FieldKind.CONDITIONING.javaType()));
            }
            case FLOAT_OR_LIST -> {
                ArrayNode anyOf = schema.putArray("anyOf");
                anyOf.addObject().put("type", "number");
                anyOf.addObject().put("type", "array").putObject("items").put("type", "number");
            }
            // pydantic writes Any as {}, which InvokeAI's UI cannot parse (it warns for each such field and
            // falls back to the ui_type); a named schema that allows anything says the same and parses.
            case COLLECTION -> schema.put("type", "array").putObject("items").put("$ref", REF + ANY_FIELD);
            case ANY -> schema.putArray("allOf").addObject().put("$ref", REF + ANY_FIELD);
            default -> {
                fieldRecords.push(kind.javaType());
                String ref = REF + fieldSchemaName(kind.javaType());
                if (nullable) {
                    ArrayNode anyOf = schema.putArray("anyOf");
                    anyOf.addObject().put("$ref", ref);
                    anyOf.addObject().put("type", "null");
                } else {
                    schema.putArray("allOf").addObject().put("$ref", ref);
                }
            }
        }
        return schema;
    }

    private static boolean isRecordKind(FieldKind kind) {
        return kind.javaType().isRecord();
    }

    /** A field record ({@code ImageField}, {@code UNetField}, …) as an object schema of its components. */
    private static ObjectNode fieldRecord(Class<?> record, String name, Deque<Class<?>> fieldRecords) {
        ObjectNode schema = NODES.objectNode();
        ObjectNode properties = schema.putObject("properties");
        if (record.isRecord()) {
            for (RecordComponent component : record.getRecordComponents()) {
                String field = snake(component.getName());
                properties.set(field, componentSchema(component.getGenericType(), fieldRecords).put("title", title(field)));
            }
        } else {
            schema.put("additionalProperties", true);
        }
        schema.put("title", name);
        schema.put("type", "object");
        return schema;
    }

    private static ObjectNode componentSchema(Type type, Deque<Class<?>> fieldRecords) {
        if (type instanceof ParameterizedType parameterized && parameterized.getRawType() == List.class) {
            ObjectNode schema = NODES.objectNode().put("type", "array");
            schema.set("items", componentSchema(parameterized.getActualTypeArguments()[0], fieldRecords));
            return schema;
        }
        Class<?> raw = type instanceof Class<?> c ? c : Object.class;
        if (raw == String.class) {
            return NODES.objectNode().put("type", "string");
        }
        if (raw == int.class || raw == long.class || raw == Integer.class || raw == Long.class) {
            return NODES.objectNode().put("type", "integer");
        }
        if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class) {
            return NODES.objectNode().put("type", "number");
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return NODES.objectNode().put("type", "boolean");
        }
        if (raw.isRecord()) {
            fieldRecords.push(raw);
            return NODES.objectNode().put("$ref", REF + fieldSchemaName(raw));
        }
        return NODES.objectNode();
    }

    /** InvokeAI's name of a field record: the kind's name where one has it ({@code CLIPField}), else the class's. */
    private static String fieldSchemaName(Class<?> record) {
        for (FieldKind kind : FieldKind.values()) {
            if (kind.javaType() == record && kind.invokeName().matches("[A-Za-z]+")) {
                return kind.invokeName();
            }
        }
        return record.getSimpleName();
    }

    private static ObjectNode attribute(String title, String description) {
        return NODES.objectNode().put("description", description).put("field_kind", "node_attribute").put("title", title);
    }

    private static ObjectNode typeProperty(String value) {
        return NODES.objectNode().put("const", value).put("default", value).put("field_kind", "node_attribute")
                .put("title", "type").put("type", "string");
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder();
        for (String word : snake.split("[_\\-.]+")) {
            if (!word.isEmpty()) {
                out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return out.toString();
    }

    private static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }

    /** {@code skipped_layers} → {@code Skipped Layers}, as pydantic titles an undeclared field. */
    private static String title(String name) {
        StringBuilder out = new StringBuilder();
        for (String word : name.split("_")) {
            if (!word.isEmpty()) {
                out.append(out.isEmpty() ? "" : " ").append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return out.toString();
    }
}

package org.invokej.inference.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.invokej.inference.graph.nodes.NodeTypes;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invocation schemas of {@code /openapi.json}, written from every registered node type, in the shape
 * InvokeAI's web UI parses (its {@code parseSchema} / {@code parseFieldType}; the real UI reading them is
 * {@code InvokeAiWebUiTest}).
 */
class InvocationSchemasTest {

    private static final ObjectNode SCHEMAS = InvocationSchemas.components(NodeTypes.standard().all());

    private static JsonNode invocation(String type) {
        return SCHEMAS.path(InvocationSchemas.invocationSchemaName(NodeTypes.standard().find(type).orElseThrow().spec()));
    }

    @Test
    void everyNodeTypeHasAnInvocationSchemaWithItsOutput() {
        for (NodeType type : NodeTypes.standard().all()) {
            NodeSpec spec = type.spec();
            JsonNode schema = invocation(spec.type());
            assertEquals("invocation", schema.path("class").asText(), spec.type());
            assertEquals(spec.type(), schema.path("properties").path("type").path("default").asText());
            assertEquals(spec.type(), schema.path("properties").path("type").path("const").asText());
            assertEquals(spec.useCacheDefault(), schema.path("properties").path("use_cache").path("default").asBoolean());
            assertEquals(spec.title(), schema.path("title").asText());
            assertEquals(spec.version(), schema.path("version").asText());
            String ref = schema.path("output").path("$ref").asText();
            assertTrue(ref.startsWith("#/components/schemas/"), ref);
            JsonNode output = SCHEMAS.path(ref.substring("#/components/schemas/".length()));
            assertEquals("output", output.path("class").asText(), spec.type() + " → " + ref);
            assertEquals(spec.outputType(), output.path("properties").path("type").path("default").asText());
            for (String field : spec.outputs().keySet()) {
                assertEquals("output", output.path("properties").path(field).path("field_kind").asText(), spec.type() + "." + field);
            }
            for (Input<?> input : spec.inputs()) {
                JsonNode field = schema.path("properties").path(input.name());
                assertEquals("input", field.path("field_kind").asText(), spec.type() + "." + input.name());
                assertEquals(input.isRequired(), field.path("orig_required").asBoolean(), spec.type() + "." + input.name());
                assertEquals(input.mode().name().toLowerCase(java.util.Locale.ROOT), field.path("input").asText());
                assertTrue(parsesAsAFieldType(field), spec.type() + "." + input.name() + ": " + field);
            }
        }
    }

    @Test
    void fieldsCarryInvokeAisTypesDefaultsAndUiHints() {
        JsonNode denoise = invocation("denoise_latents").path("properties");
        assertEquals("integer", denoise.path("steps").path("type").asText());
        assertEquals(10, denoise.path("steps").path("default").asInt());
        assertEquals("SchedulerField", denoise.path("scheduler").path("ui_type").asText());
        assertEquals("connection", denoise.path("unet").path("input").asText());
        assertEquals("#/components/schemas/UNetField", denoise.path("unet").path("allOf").path(0).path("$ref").asText());
        // A number or one per step: InvokeAI's "collection or scalar" union.
        assertEquals(Set.of("number", "array"), types(denoise.path("cfg_scale").path("anyOf")));
        JsonNode model = invocation("main_model_loader").path("properties").path("model");
        assertEquals("MainModelField", model.path("ui_type").asText());
        assertTrue(model.path("orig_required").asBoolean());
        JsonNode resize = invocation("img_resize").path("properties").path("resample_mode");
        assertTrue(resize.path("enum").toString().contains("bicubic"), resize.toString());
        JsonNode prompt = invocation("compel").path("properties").path("prompt");
        assertEquals("textarea", prompt.path("ui_component").asText(), "a multi-line prompt box, not a field type");
        assertTrue(prompt.path("ui_type").isMissingNode());
        JsonNode unet = SCHEMAS.path("UNetField").path("properties");
        assertEquals("#/components/schemas/ModelIdentifierField", unet.path("unet").path("$ref").asText());
        assertEquals("array", unet.path("loras").path("type").asText());
        assertTrue(SCHEMAS.has("ModelIdentifierField") && SCHEMAS.has("ImageField") && SCHEMAS.has("ConditioningField"));
    }

    /** Every {@code $ref} anywhere names a schema that is there. */
    @Test
    void everyReferenceResolves() {
        List<String> refs = new ArrayList<>();
        collect(SCHEMAS, refs);
        assertTrue(refs.size() > 20, refs.toString());
        for (String ref : refs) {
            assertTrue(SCHEMAS.has(ref.substring("#/components/schemas/".length())), ref);
        }
    }

    /** The UI's rules: a ui_type, a const/enum, a $ref (alone, in allOf, or in anyOf with null), a primitive, or T | list[T]. */
    private static boolean parsesAsAFieldType(JsonNode field) {
        if (field.has("ui_type") || field.has("enum") || field.has("const") || field.has("$ref")) {
            return true;
        }
        if (field.has("allOf")) {
            return field.path("allOf").path(0).has("$ref");
        }
        if (field.has("anyOf")) {
            List<JsonNode> options = new ArrayList<>();
            field.path("anyOf").forEach(option -> {
                if (!"null".equals(option.path("type").asText())) {
                    options.add(option);
                }
            });
            return options.size() == 1 ? parsesAsAFieldType(options.get(0)) : options.size() == 2;
        }
        return Set.of("integer", "number", "string", "boolean").contains(field.path("type").asText())
                || "array".equals(field.path("type").asText()) && (field.path("items").has("$ref")
                || Set.of("integer", "number", "string", "boolean").contains(field.path("items").path("type").asText()));
    }

    private static Set<String> types(JsonNode anyOf) {
        Set<String> types = new java.util.HashSet<>();
        anyOf.forEach(option -> types.add(option.path("type").asText()));
        return types;
    }

    private static void collect(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collect(field.getValue(), refs);
                }
            }
        } else if (node.isArray()) {
            node.forEach(item -> collect(item, refs));
        }
    }
}

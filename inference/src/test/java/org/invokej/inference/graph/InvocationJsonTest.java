package org.invokej.inference.graph;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.inference.graph.fields.LatentsField;
import org.invokej.inference.graph.nodes.NodeTypes;
import org.invokej.inference.graph.nodes.Outputs;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a running node and its result are written where they leave the engine: the stored session and the events. */
class InvocationJsonTest {

    private static Invocation collect(List<Object> items) {
        NodeType collect = NodeTypes.standard().find("collect").orElseThrow();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("item", null);
        values.put("collection", items);
        return new Invocation("prepared-1", "collect:1", collect, new Inputs("collect", true, false, values));
    }

    @Test
    void aPreparedNodeIsWrittenAsInvokeAisNodeJsonWithTypedValuesInSnakeCase() {
        Invocation node = collect(List.of(new LatentsField("l-1", 7L)));
        JsonNode json = GraphJson.MAPPER.valueToTree(node);
        assertEquals(List.of("id", "type", "item", "collection", "is_intermediate", "use_cache"), names(json));
        assertEquals("prepared-1", json.path("id").asText());
        assertEquals("l-1", json.path("collection").path(0).path("latents_name").asText());
        assertTrue(json.path("item").isNull());
        assertEquals(json, GraphJson.MAPPER.valueToTree(node.toJson()), "the stored session holds the same JSON");
    }

    @Test
    void eventsShowACollectWithoutItsItemsAndOtherNodesAsTheyAre() {
        Invocation node = collect(List.of("a", "b"));
        JsonNode shown = GraphJson.MAPPER.valueToTree(node.shown());
        assertEquals(0, shown.path("collection").size());
        assertEquals("collect:1", node.shown().sourceId());
        assertEquals(2, GraphJson.MAPPER.valueToTree(node).path("collection").size(), "the stored node keeps them");

        NodeType integer = NodeTypes.standard().find("integer").orElseThrow();
        Invocation plain = new Invocation("p", "s", integer, new Inputs("integer", false, true, Map.of("value", 3L)));
        assertSame(plain, plain.shown());
    }

    @Test
    void aResultIsItsOutputTypeFollowedByTheOutputsFields() {
        JsonNode json = GraphJson.MAPPER.valueToTree(new NodeResult("collect_output", new Outputs.CollectOutput(List.of(1, 2))));
        assertEquals(List.of("type", "collection"), names(json));
        assertEquals("collect_output", json.path("type").asText());
        assertEquals(2, json.path("collection").path(1).asInt());
    }

    private static List<String> names(JsonNode json) {
        List<String> names = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

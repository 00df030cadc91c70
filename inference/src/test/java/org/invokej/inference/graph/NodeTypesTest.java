package org.invokej.inference.graph;

import org.invokej.inference.graph.nodes.NodeTypes;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node-type declarations: what invocation schemas will be written from must be whole and consistent. */
class NodeTypesTest {

    private final List<NodeType> all = NodeTypes.standard().all();

    @Test
    void everyTypeIsRegisteredOnceUnderItsOwnName() {
        Set<String> names = new HashSet<>();
        for (NodeType type : all) {
            assertTrue(names.add(type.spec().type()), "twice: " + type.spec().type());
            assertEquals(type, NodeTypes.standard().find(type.spec().type()).orElseThrow());
        }
        assertEquals(List.copyOf(names).stream().sorted().toList(), NodeTypes.standard().names());
        assertTrue(names.containsAll(List.of("main_model_loader", "vae_loader", "clip_skip", "compel", "collect", "string", "integer",
                "float", "rand_int", "noise", "denoise_latents", "l2i", "i2l", "img_resize", "save_image", "core_metadata")));
        NodeType integer = NodeTypes.standard().find("integer").orElseThrow();
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> new NodeTypes(List.of(integer, integer)));
        assertTrue(twice.getMessage().contains("integer"));
    }

    @Test
    void everyTypeDeclaresATitleAnOutputTypeAndOutputFields() {
        for (NodeType type : all) {
            NodeSpec spec = type.spec();
            assertNotNull(spec.title(), spec.type());
            assertTrue(spec.outputType().endsWith("_output"), spec.type() + ": " + spec.outputType());
            assertFalse(spec.outputs().isEmpty(), spec.type() + " declares no output field");
        }
    }

    @Test
    void inputNamesAreUniqueAndEveryDefaultPassesItsOwnChecks() {
        for (NodeType type : all) {
            NodeSpec spec = type.spec();
            Set<String> names = new HashSet<>();
            for (Input<?> input : spec.inputs()) {
                String where = spec.type() + "." + input.name();
                assertTrue(names.add(input.name()), "declared twice: " + where);
                assertFalse(Set.of("id", "type", "is_intermediate", "use_cache").contains(input.name()), where);
                if (input.isRequired()) {
                    assertNull(input.defaultValue(), "a required input has no default: " + where);
                }
                Object value = input.defaultValue();
                if (value == null) {
                    continue;
                }
                Object json = GraphJson.plain(value);
                assertTrue(input.kind().fits(json), "default of " + where + " is not " + input.kind().describe());
                Graph.checkValue(spec.type(), spec.type(), input, json);
                assertEquals(value, input.convert(json), "default of " + where + " survives its JSON form");
                assertTrue(input.kind().javaType().isInstance(value), where + " holds a " + value.getClass());
            }
        }
    }

    @Test
    void onlyCollectTakesManyEdgesAndOnlyCoreMetadataAnyField() {
        for (NodeType type : all) {
            NodeSpec spec = type.spec();
            boolean many = spec.inputs().stream().anyMatch(Input::takesManyEdges);
            assertEquals(spec.type().equals("collect"), many, spec.type());
            assertEquals(spec.type().equals("core_metadata"), spec.acceptsAnyField(), spec.type());
        }
    }

    @Test
    void theGraphNamesItsModelsForTheQueue() {
        Map<String, Object> json = org.invokej.testing.StandardGraphs.headlessTextToImage("main-key", "x", 1, 64, 2, "euler");
        org.invokej.testing.StandardGraphs.add(json, "v", "vae_loader", Map.of("vae_model", org.invokej.testing.StandardGraphs.model("vae-key")));
        assertEquals(Set.of("main-key", "vae-key"), Graph.parse(json, Set.of()).modelKeys());
    }
}

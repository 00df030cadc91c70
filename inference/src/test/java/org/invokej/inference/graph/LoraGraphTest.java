package org.invokej.inference.graph;

import org.invokej.core.DomainException;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationHandle;
import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.testmodels.TinyLoras;
import org.invokej.inference.testmodels.TinyModels;
import org.invokej.testing.StandardGraphs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The LoRA nodes in graphs: what they refuse, and the progress that names what a LoRA file had that was skipped. */
class LoraGraphTest {

    @TempDir
    static Path folder;

    private static final Map<String, Path> MODELS = new LinkedHashMap<>();
    private static GenerationEngine engine;
    private final GraphExecutor executor = new GraphExecutor("6.14.0");

    @BeforeAll
    static void start() {
        MODELS.put("sd15", TinyModels.sd15().writeTo(folder.resolve("tiny-sd15")));
        MODELS.put("xl", TinyModels.sdxl().writeTo(folder.resolve("tiny-sdxl")));
        MODELS.put("solo", TinyModels.sd15().writeTo(folder.resolve("solo-sd15")));
        MODELS.put("odd", TinyLoras.sd15(32).withUnmatchedLayer().withIgnoredKey().writeTo(folder.resolve("odd.safetensors")));
        MODELS.put("fine", TinyLoras.sd15(32).writeTo(folder.resolve("fine.safetensors")));
        MODELS.put("xl-lora", TinyLoras.sdxl().writeTo(folder.resolve("xl.safetensors")));
        engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Models and LoRAs by key; images are only counted. */
    private static final class World implements GraphResources {
        @Override
        public Path modelFolder(ModelIdentifier model) {
            Path found = MODELS.get(model.key());
            if (found == null) {
                throw DomainException.notFound("Model " + model.key() + " not found");
            }
            return found;
        }

        @Override
        public BufferedImage loadImage(String imageName) {
            throw DomainException.notFound("no image " + imageName);
        }

        @Override
        public StoredImage saveImage(BufferedImage image, BoardField board, MetadataField metadata, boolean intermediate,
                                     String preparedNodeId) {
            return new StoredImage("out.png", image.getWidth(), image.getHeight());
        }
    }

    private List<String> run(Map<String, Object> json) throws Exception {
        Graph graph = Graph.parse(json, Set.of());
        ExecutionState state = new ExecutionState("session-1", json);
        List<String> messages = new ArrayList<>();
        InvocationListener listener = new InvocationListener() {
            @Override
            public void started(Invocation invocation) {
            }

            @Override
            public void progress(Invocation invocation, String message, Double percentage, Preview preview) {
                messages.add(invocation.type() + ": " + message);
            }

            @Override
            public void completed(Invocation invocation, NodeResult result) {
            }
        };
        GenerationHandle<ExecutionState> handle = engine.submit(context -> {
            executor.run(graph, state, context, new World(), listener);
            return state;
        }, progress -> { });
        handle.await(Duration.ofSeconds(60));
        return messages;
    }

    private static Map<String, Object> lora(String key, String base) {
        return new LinkedHashMap<>(Map.of("key", key, "hash", "blake3:0", "name", key, "base", base, "type", "lora"));
    }

    /** The headless graph with {@code loader} (a lora_loader-like node) between the model loader and its users. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withLoader(String model, String id, String type, Map<String, Object> fields) {
        Map<String, Object> graph = StandardGraphs.headlessTextToImage(model, "a fox", 5, 64, 3, "euler");
        StandardGraphs.add(graph, id, type, fields);
        for (Map<String, Object> edge : (List<Map<String, Object>>) graph.get("edges")) {
            Map<String, Object> source = (Map<String, Object>) edge.get("source");
            if (source.get("node_id").equals("m") && List.of("unet", "clip").contains(source.get("field"))) {
                edge.put("source", new LinkedHashMap<>(Map.of("node_id", id, "field", source.get("field"))));
            }
        }
        StandardGraphs.connect(graph, "m", "unet", id, "unet");
        StandardGraphs.connect(graph, "m", "clip", id, "clip");
        return graph;
    }

    @Test
    void skippedLayersAndKeysAreNamedInTheProgress() throws Exception {
        List<String> messages = run(withLoader("sd15", "l", "lora_loader", Map.of("lora", lora("odd", "sd-1"), "weight", 1.0)));
        assertTrue(messages.stream().anyMatch(m -> m.contains("match no weight") && m.contains("odd.safetensors: mid_block_attentions_0_proj_in")),
                messages.toString());
        assertTrue(messages.stream().anyMatch(m -> m.contains("hada_w1_a")), messages.toString());
    }

    @Test
    void aGraphWithALoraLoadsOnlyTheModelWithTheLora() throws Exception {
        run(withLoader("solo", "l", "lora_loader", Map.of("lora", lora("fine", "sd-1"), "weight", 0.7)));
        List<org.invokej.inference.lora.LoraStack> loaded = engine.cache().loadedVariants(MODELS.get("solo"));
        assertEquals(1, loaded.size(), loaded.toString());
        assertEquals(List.of(new org.invokej.inference.lora.LoraStack.Applied(MODELS.get("fine"), 0.7)), loaded.get(0).loras());
    }

    @Test
    void aLoraAppliedTwiceIsRefusedAsInvokeAiRefusesIt() {
        Map<String, Object> graph = withLoader("sd15", "l", "lora_loader", Map.of("lora", lora("fine", "sd-1"), "weight", 1.0));
        StandardGraphs.add(graph, "l2", "lora_loader", Map.of("lora", lora("fine", "sd-1"), "weight", 0.5));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> edges = (List<Map<String, Object>>) graph.get("edges");
        edges.removeIf(edge -> ((Map<?, ?>) edge.get("destination")).get("node_id").equals("d")
                && ((Map<?, ?>) edge.get("destination")).get("field").equals("unet"));
        StandardGraphs.connect(graph, "l", "unet", "l2", "unet");
        StandardGraphs.connect(graph, "l2", "unet", "d", "unet");
        Exception failed = assertThrows(Exception.class, () -> run(graph));
        assertTrue(String.valueOf(failed.getMessage()).contains("already applied to unet"), failed.toString());
    }

    @Test
    void theSd1CollectionLoaderRefusesAnSdxlLora() {
        Map<String, Object> graph = withLoader("sd15", "c", "lora_collection_loader",
                Map.of("loras", List.of(Map.of("lora", lora("xl-lora", "sdxl"), "weight", 1.0))));
        Exception failed = assertThrows(Exception.class, () -> run(graph));
        assertTrue(String.valueOf(failed.getMessage()).contains("takes sd-1 or sd-2 LoRAs; 'xl-lora' is sdxl"), failed.toString());
    }
}

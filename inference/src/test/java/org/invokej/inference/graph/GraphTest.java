package org.invokej.inference.graph;

import org.invokej.core.DomainException;
import org.invokej.testing.StandardGraphs;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Graph checks at enqueue time: every way a graph can be wrong is a 422 naming the node and the field. */
class GraphTest {

    private static final Set<String> UI_PROVIDED = Set.of("seed:Ab3xY9kQ2z.value", "positive_prompt:Qw8Ef1Rt2Y.value",
            "negative_prompt:Zx7Cv6Bn5M.value");

    private static Map<String, Object> ui() {
        return StandardGraphs.webUiTextToImage("model-key", 512, 512, 20, "euler");
    }

    @Test
    void theWebUiGraphAndTheHeadlessGraphAreValidAndOrdered() {
        Graph graph = Graph.parse(ui(), UI_PROVIDED);
        List<String> order = graph.executionOrder();
        assertEquals(13, order.size());
        for (Graph.Edge edge : graph.edges()) {
            assertTrue(order.indexOf(edge.sourceNode()) < order.indexOf(edge.destinationNode()), edge.toString());
        }
        Graph headless = Graph.parse(StandardGraphs.headlessTextToImage("k", "a red fox", 42, 512, 30, "dpmpp_2m_k"), Set.of());
        assertEquals("g1", headless.id());
    }

    private static void refused(Consumer<Map<String, Object>> change, String... expected) {
        Map<String, Object> graph = ui();
        change.accept(graph);
        DomainException e = assertThrows(DomainException.class, () -> Graph.parse(graph, UI_PROVIDED));
        assertEquals(DomainException.Kind.UNPROCESSABLE, e.kind());
        for (String part : expected) {
            assertTrue(e.detail().contains(part), "'" + part + "' missing in: " + e.detail());
        }
    }

    @Test
    void unknownTypesMissingNodesAndMismatchedIdsAreRefused() {
        refused(g -> StandardGraphs.add(g, "x", "flux_denoise", Map.of()), "node 'x'", "unknown type 'flux_denoise'");
        refused(g -> StandardGraphs.connect(g, "ghost", "value", "noise:Df4Gh5Jk6L", "seed"), "node 'ghost'", "not in the graph");
        refused(g -> StandardGraphs.connect(g, "seed:Ab3xY9kQ2z", "value", "ghost", "seed"), "node 'ghost'");
        refused(g -> StandardGraphs.set(g, "noise:Df4Gh5Jk6L", "id", "other"), "must equal its id");
        refused(g -> g.put("nodes", List.of()), "'nodes' must be an object");
        refused(g -> g.put("edges", Map.of()), "'edges' must be a list");
        refused(g -> ((List<Object>) g.get("edges")).add(Map.of("source", "x")), "edge 18");
    }

    @Test
    void badEdgesAreRefused() {
        refused(g -> StandardGraphs.connect(g, "noise:Df4Gh5Jk6L", "nope", "denoise_latents:Zx7Cv8Bn9M", "latents"),
                "node 'noise:Df4Gh5Jk6L' (noise) has no output 'nope'");
        refused(g -> StandardGraphs.connect(g, "seed:Ab3xY9kQ2z", "value", "denoise_latents:Zx7Cv8Bn9M", "nope"), "has no input 'nope'");
        refused(g -> StandardGraphs.connect(g, "positive_prompt:Qw8Ef1Rt2Y", "value", "denoise_latents:Zx7Cv8Bn9M", "steps"),
                "output 'value' of node 'positive_prompt:Qw8Ef1Rt2Y' is a string", "input 'steps'", "takes an integer");
        refused(g -> StandardGraphs.connect(g, "noise:Df4Gh5Jk6L", "noise", "denoise_latents:Zx7Cv8Bn9M", "noise"),
                "field 'noise': takes at most one edge");
    }

    @Test
    void cyclesAreRefused() {
        refused(g -> StandardGraphs.connect(g, "denoise_latents:Zx7Cv8Bn9M", "width", "noise:Df4Gh5Jk6L", "width"), "cycle");
    }

    @Test
    void wrongFieldTypesAndValuesAreRefusedWithNodeAndField() {
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "steps", "twenty"),
                "node 'denoise_latents:Zx7Cv8Bn9M' (denoise_latents), field 'steps': must be an integer");
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "steps", 0), "field 'steps': must be greater than 0");
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "cfg_scale", 0.5), "field 'cfg_scale': must be at least 1");
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "cfg_scale", List.of(7.5, 0.2)), "must be at least 1");
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "denoising_start", 1.5), "must be between 0 and 1");
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "scheduler", "warp_drive"), "unknown scheduler 'warp_drive'");
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "scheduler", "er_sde"), "not implemented");
        refused(g -> StandardGraphs.set(g, "noise:Df4Gh5Jk6L", "width", 500), "field 'width': must be a positive multiple of 8");
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "hidiffusion", true), "field 'hidiffusion'", "not supported");
        refused(g -> StandardGraphs.set(g, "canvas_output:Qa1Ws2Ed3R", "is_intermediate", "no"), "must be a boolean");
        refused(g -> StandardGraphs.set(g, "canvas_output:Qa1Ws2Ed3R", "board", Map.of("id", "x")), "field 'board'");
        refused(g -> StandardGraphs.set(g, "sd1_model_loader:Lk4Jh3Gf2D", "model", "sd15"), "field 'model': must be a model identifier");
    }

    @Test
    void requiredInputsNeedAValueOrAnEdge() {
        Map<String, Object> graph = ui();
        StandardGraphs.set(graph, "sd1_model_loader:Lk4Jh3Gf2D", "model", null);
        DomainException e = assertThrows(DomainException.class, () -> Graph.parse(graph, UI_PROVIDED));
        assertTrue(e.detail().contains("field 'model': is required"), e.detail());
    }

    @Test
    void batchValuesAreCheckedAgainstTheirField() {
        Graph.checkBatchValue(ui(), "seed:Ab3xY9kQ2z", "value", 42);
        Graph.checkBatchValue(ui(), "core_metadata:Rf4Tg5Yh6U", "anything_goes", Map.of("x", 1));
        assertThrows(DomainException.class, () -> Graph.checkBatchValue(ui(), "seed:Ab3xY9kQ2z", "value", "forty-two"));
        assertThrows(DomainException.class, () -> Graph.checkBatchValue(ui(), "ghost", "value", 1));
        assertThrows(DomainException.class, () -> Graph.checkBatchValue(ui(), "seed:Ab3xY9kQ2z", "nope", 1));
    }

    @Test
    void inputsOnlyAnEdgeMaySetRefuseValuesInTheGraphAndInBatchData() {
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "latents", Map.of("latents_name", "someone-elses")),
                "node 'denoise_latents:Zx7Cv8Bn9M' (denoise_latents), field 'latents': is set only by an edge");
        refused(g -> StandardGraphs.set(g, "canvas_output:Qa1Ws2Ed3R", "vae", Map.of("vae", StandardGraphs.model("k"))),
                "field 'vae': is set only by an edge");
        refused(g -> StandardGraphs.set(g, "pos_cond_collect:Nm7Qw8Er9T", "item", Map.of("conditioning_name", "x")),
                "field 'item': is set only by an edge");
        DomainException batch = assertThrows(DomainException.class, () -> Graph.checkBatchValue(ui(), "denoise_latents:Zx7Cv8Bn9M",
                "latents", Map.of("latents_name", "x")));
        assertTrue(batch.detail().contains("field 'latents': is set only by an edge"), batch.detail());
        // a null is no value: clients send unset connection fields as null
        Map<String, Object> graph = ui();
        StandardGraphs.set(graph, "denoise_latents:Zx7Cv8Bn9M", "latents", null);
        Graph.parse(graph, UI_PROVIDED);
    }

    /** A made-up node whose output is a board, to connect to an input that takes a value only. */
    private record BoardOutput(org.invokej.inference.graph.fields.BoardField board) implements InvocationOutput {
    }

    private static final class BoardSource implements NodeType {
        @Override
        public NodeSpec spec() {
            return NodeSpec.of("board_source", "Board", List.of(), "board_output", BoardOutput.class);
        }

        @Override
        public InvocationOutput run(Inputs in, NodeContext context) {
            return new BoardOutput(null);
        }
    }

    @Test
    void inputsThatTakeAValueOnlyRefuseEdges() {
        List<NodeType> types = new java.util.ArrayList<>(org.invokej.inference.graph.nodes.NodeTypes.standard().all());
        types.add(new BoardSource());
        org.invokej.inference.graph.nodes.NodeTypes withBoards = new org.invokej.inference.graph.nodes.NodeTypes(types);
        Map<String, Object> graph = ui();
        StandardGraphs.add(graph, "b", "board_source", Map.of());
        StandardGraphs.connect(graph, "b", "board", "canvas_output:Qa1Ws2Ed3R", "board");
        DomainException e = assertThrows(DomainException.class, () -> Graph.parse(withBoards, graph, UI_PROVIDED));
        assertTrue(e.detail().contains("node 'canvas_output:Qa1Ws2Ed3R' (l2i), field 'board': takes a value only, not an edge"),
                e.detail());
        assertEquals(List.of("nodes", "canvas_output:Qa1Ws2Ed3R", "board"), e.location().orElseThrow().path());
    }

    @Test
    void sizesAndStepsAreBoundedByTheSettingsWithNodeFieldAndSettingNamed() {
        refused(g -> {
            StandardGraphs.set(g, "noise:Df4Gh5Jk6L", "width", 4096);
            StandardGraphs.set(g, "noise:Df4Gh5Jk6L", "height", 4096);
        }, "node 'noise:Df4Gh5Jk6L' (noise), field 'width': and 'height' ask for 4096 x 4096 pixels",
                "at most 4194304 pixels (max_generation_pixels)");
        refused(g -> StandardGraphs.set(g, "noise:Df4Gh5Jk6L", "width", 1L << 40), "field 'width'", "max_generation_pixels");
        refused(g -> StandardGraphs.add(g, "r", "img_resize", Map.of("image", Map.of("image_name", "x.png"),
                "width", 100000, "height", 100000)), "node 'r' (img_resize), field 'width': and 'height' ask for 100000 x 100000",
                "(max_image_pixels)");
        refused(g -> StandardGraphs.set(g, "denoise_latents:Zx7Cv8Bn9M", "steps", 1001),
                "node 'denoise_latents:Zx7Cv8Bn9M' (denoise_latents), field 'steps': is 1001; this server runs at most 500 steps (max_steps)");
        // at the limits: accepted
        Map<String, Object> graph = ui();
        StandardGraphs.set(graph, "noise:Df4Gh5Jk6L", "width", 2048);
        StandardGraphs.set(graph, "noise:Df4Gh5Jk6L", "height", 2048);
        StandardGraphs.set(graph, "denoise_latents:Zx7Cv8Bn9M", "steps", 500);
        Graph.parse(graph, UI_PROVIDED);
    }

    @Test
    void limitsComeFromTheSettingsAndHoldForBatchValues() {
        org.invokej.inference.graph.nodes.NodeTypes small = org.invokej.inference.graph.nodes.NodeTypes.standard()
                .withLimits(new GraphLimits(1_000_000, 512 * 512, 30));
        Map<String, Object> graph = ui();
        StandardGraphs.set(graph, "denoise_latents:Zx7Cv8Bn9M", "steps", 50);
        DomainException steps = assertThrows(DomainException.class, () -> Graph.parse(small, graph, UI_PROVIDED));
        assertTrue(steps.detail().contains("is 50; this server runs at most 30 steps (max_steps)"), steps.detail());
        StandardGraphs.set(graph, "denoise_latents:Zx7Cv8Bn9M", "steps", 30);
        Graph.parse(small, graph, UI_PROVIDED);
        StandardGraphs.set(graph, "noise:Df4Gh5Jk6L", "width", 520);
        assertThrows(DomainException.class, () -> Graph.parse(small, graph, UI_PROVIDED));
        StandardGraphs.set(graph, "noise:Df4Gh5Jk6L", "width", 512);

        // a batch value is checked with the literal it pairs with
        DomainException batch = assertThrows(DomainException.class,
                () -> Graph.checkBatchValue(small, graph, "noise:Df4Gh5Jk6L", "height", 1024));
        assertTrue(batch.detail().contains("ask for 512 x 1024 pixels"), batch.detail());
        Graph.checkBatchValue(small, graph, "noise:Df4Gh5Jk6L", "height", 512);
        assertThrows(DomainException.class, () -> Graph.checkBatchValue(small, graph, "denoise_latents:Zx7Cv8Bn9M", "steps", 31));
        // the generation bound never exceeds the image bound
        assertEquals(1_000_000, new GraphLimits(1_000_000, 50_000_000, 10).maxGenerationPixels());
    }
}

package org.invokej.inference.graph;

import org.invokej.core.DomainException;
import org.invokej.inference.EngineSettings;
import org.invokej.inference.GenerationCancelledException;
import org.invokej.inference.GenerationEngine;
import org.invokej.inference.GenerationHandle;
import org.invokej.inference.onnx.OrtDevice;
import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.testing.StandardGraphs;
import org.invokej.inference.testmodels.TinyModels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every supported node on the real pipeline with the tiny models, through the engine's dispatch thread. */
class GraphExecutorTest {

    @TempDir
    static Path folder;

    private static Path model;
    private static GenerationEngine engine;
    private final GraphExecutor executor = new GraphExecutor("6.14.0");

    @BeforeAll
    static void start() {
        model = TinyModels.sd15().writeTo(folder.resolve("tiny"));
        engine = new GenerationEngine(new EngineSettings(OrtDevice.CPU, 1L << 30, 1, 2));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Records what the graph did and keeps saved images in memory. */
    static final class Recorder implements GraphResources, InvocationListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());
        final Map<String, BufferedImage> images = new LinkedHashMap<>();
        final List<Map<String, Object>> savedMetadata = new ArrayList<>();
        final List<Boolean> savedIntermediate = new ArrayList<>();
        final List<String> savedBoards = new ArrayList<>();
        int previews;
        CountDownLatch denoising = new CountDownLatch(1);

        @Override
        public Path modelFolder(ModelIdentifier identifier) {
            if (!"tiny".equals(identifier.key())) {
                throw DomainException.notFound("Model " + identifier.key() + " not found");
            }
            return model;
        }

        @Override
        public BufferedImage loadImage(String imageName) {
            BufferedImage image = images.get(imageName);
            if (image == null) {
                throw DomainException.forbidden("Not authorized to access this image");
            }
            return image;
        }

        @Override
        public StoredImage saveImage(BufferedImage image, BoardField board, MetadataField metadata, boolean intermediate, String nodeId) {
            String name = "img" + images.size() + ".png";
            images.put(name, image);
            savedMetadata.add(metadata == null ? null : metadata.values());
            savedIntermediate.add(intermediate);
            savedBoards.add(board == null ? null : board.boardId());
            return new StoredImage(name, image.getWidth(), image.getHeight());
        }

        @Override
        public void started(Invocation invocation) {
            events.add("started " + invocation.sourceId());
        }

        @Override
        public void progress(Invocation invocation, String message, Double percentage, Preview preview) {
            if (preview != null) {
                previews++;
                assertTrue(preview.jpeg().length > 0 && preview.width() == preview.previewWidth() * 8);
            }
            if (message.equals("Denoising")) {
                denoising.countDown();
            }
            events.add("progress " + invocation.sourceId() + " " + message);
        }

        @Override
        public void completed(Invocation invocation, NodeResult result) {
            events.add("completed " + invocation.sourceId() + " " + result.type());
        }
    }

    @Test
    void aSizeAnEdgeBringsIsHeldToTheLimitsBeforeTheNodeRuns() {
        Recorder recorder = new Recorder();
        recorder.images.put("in.png", new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB));
        Map<String, Object> json = new java.util.LinkedHashMap<>(Map.of("id", "g", "nodes", new java.util.LinkedHashMap<>(),
                "edges", new ArrayList<>()));
        StandardGraphs.add(json, "w", "integer", Map.of("value", 100000));
        StandardGraphs.add(json, "r", "img_resize", Map.of("image", Map.of("image_name", "in.png"), "height", 100000));
        StandardGraphs.connect(json, "w", "value", "r", "width");
        Graph graph = Graph.parse(json, Set.of()); // the width is not known at enqueue
        DomainException cause = assertThrows(DomainException.class, () -> run(graph, json, recorder));
        assertTrue(cause.getMessage().contains("node 'r' (img_resize), field 'width': and 'height' ask for 100000 x 100000"),
                cause.getMessage());
        assertEquals(1, recorder.images.size(), "nothing was made");
    }

    private ExecutionState run(Map<String, Object> json, Recorder recorder) throws Exception {
        return run(Graph.parse(json, Set.of()), json, recorder);
    }

    private ExecutionState run(Graph graph, Map<String, Object> json, Recorder recorder) throws Exception {
        ExecutionState state = new ExecutionState("session-1", json);
        GenerationHandle<ExecutionState> handle = engine.submit(context -> {
            executor.run(graph, state, context, recorder, recorder);
            return state;
        }, progress -> { });
        return handle.await(Duration.ofSeconds(60));
    }

    private static Map<String, Object> webUi(long seed, String prompt) {
        Map<String, Object> graph = StandardGraphs.webUiTextToImage("tiny", 64, 64, 4, "euler");
        StandardGraphs.set(graph, "seed:Ab3xY9kQ2z", "value", seed);
        StandardGraphs.set(graph, "positive_prompt:Qw8Ef1Rt2Y", "value", prompt);
        StandardGraphs.set(graph, "negative_prompt:Zx7Cv6Bn5M", "value", "blurry");
        return graph;
    }

    @Test
    void theWebUiGraphRunsEveryNodeAndSavesOneImageWithItsMetadata() throws Exception {
        Recorder recorder = new Recorder();
        ExecutionState state = run(webUi(7, "a red fox"), recorder);
        assertEquals(13, state.results().size());
        assertEquals(1, recorder.images.size());
        BufferedImage image = recorder.images.values().iterator().next();
        assertEquals(64, image.getWidth());
        assertFalse(recorder.savedIntermediate.get(0));
        Map<String, Object> metadata = recorder.savedMetadata.get(0);
        assertEquals(7L, ((Number) metadata.get("seed")).longValue());
        assertEquals("a red fox", metadata.get("positive_prompt"));
        assertEquals("blurry", metadata.get("negative_prompt"));
        assertEquals("txt2img", metadata.get("generation_mode"));
        assertEquals("6.14.0", metadata.get("app_version"));
        assertTrue(recorder.previews > 0, "denoising sent previews");
        assertTrue(recorder.events.indexOf("started denoise_latents:Zx7Cv8Bn9M")
                < recorder.events.indexOf("progress denoise_latents:Zx7Cv8Bn9M Denoising"));
        assertTrue(recorder.events.contains("completed canvas_output:Qa1Ws2Ed3R image_output"), recorder.events.toString());
        Map<String, Object> json = state.toJson();
        assertEquals(13, ((List<?>) json.get("executed")).size());
        assertEquals(13, ((Map<?, ?>) json.get("prepared_source_mapping")).size());
        assertTrue(((Map<?, ?>) json.get("errors")).isEmpty());
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyResultHasExactlyTheOutputFieldsItsNodeTypeDeclares() throws Exception {
        Recorder recorder = new Recorder();
        Map<String, Object> graph = webUi(3, "a kite");
        StandardGraphs.add(graph, "f", "float", Map.of("value", 2.5));
        StandardGraphs.add(graph, "rnd", "rand_int", Map.of("low", 1, "high", 9));
        Map<String, Object> json = run(graph, recorder).toJson();
        Map<String, Object> prepared = (Map<String, Object>) ((Map<String, Object>) json.get("execution_graph")).get("nodes");
        Map<String, Object> results = (Map<String, Object>) json.get("results");
        assertEquals(15, results.size());
        Set<String> types = new java.util.HashSet<>();
        results.forEach((id, value) -> {
            Map<String, Object> result = (Map<String, Object>) value;
            String type = (String) ((Map<String, Object>) prepared.get(id)).get("type");
            NodeSpec spec = org.invokej.inference.graph.nodes.NodeTypes.standard().find(type).orElseThrow().spec();
            assertEquals(spec.outputType(), result.get("type"), type);
            Set<String> fields = new java.util.HashSet<>(result.keySet());
            fields.remove("type");
            assertEquals(spec.outputs().keySet(), fields, type);
            types.add(type);
        });
        assertEquals(12, types.size(), types.toString());
    }

    @Test
    void theSameSeedGivesTheSamePixelsAndAnotherSeedOthers() throws Exception {
        Recorder first = new Recorder();
        Recorder again = new Recorder();
        Recorder other = new Recorder();
        run(webUi(11, "a cat"), first);
        run(webUi(11, "a cat"), again);
        run(webUi(12, "a cat"), other);
        int[] a = pixels(first.images.values().iterator().next());
        assertTrue(java.util.Arrays.equals(a, pixels(again.images.values().iterator().next())));
        assertFalse(java.util.Arrays.equals(a, pixels(other.images.values().iterator().next())));
    }

    @Test
    void imageToImageResizeAndSaveNodes() throws Exception {
        Recorder recorder = new Recorder();
        recorder.images.put("init.png", new BufferedImage(70, 66, BufferedImage.TYPE_INT_RGB));
        Map<String, Object> graph = StandardGraphs.headlessTextToImage("tiny", "a boat", 3, 64, 4, "ddim");
        StandardGraphs.add(graph, "i", "i2l", Map.of("image", Map.of("image_name", "init.png")));
        StandardGraphs.connect(graph, "m", "vae", "i", "vae");
        StandardGraphs.connect(graph, "i", "latents", "d", "latents");
        StandardGraphs.set(graph, "d", "denoising_start", 0.5);
        StandardGraphs.set(graph, "z", "width", 64);
        StandardGraphs.set(graph, "z", "height", 64);
        StandardGraphs.add(graph, "r", "img_resize", Map.of("width", 32, "height", 24, "board", Map.of("board_id", "b1")));
        StandardGraphs.connect(graph, "o", "image", "r", "image");
        StandardGraphs.add(graph, "s", "save_image", Map.of());
        StandardGraphs.connect(graph, "r", "image", "s", "image");
        StandardGraphs.add(graph, "rnd", "rand_int", Map.of("low", 5, "high", 6));
        run(graph, recorder);
        List<BufferedImage> saved = new ArrayList<>(recorder.images.values());
        assertEquals(4, saved.size(), "init + l2i + resize + save");
        assertEquals(32, saved.get(2).getWidth());
        assertEquals(24, saved.get(2).getHeight());
        assertEquals("b1", recorder.savedBoards.get(1));
        assertTrue(recorder.events.contains("progress i Running VAE encoder"));
    }

    @Test
    void aFailingNodeStopsTheSessionAndIsRecorded() throws Exception {
        Recorder recorder = new Recorder();
        Map<String, Object> graph = StandardGraphs.headlessTextToImage("missing-model", "x", 1, 64, 2, "euler");
        ExecutionException e = assertThrows(ExecutionException.class, () -> {
            Graph parsed = Graph.parse(graph, Set.of());
            ExecutionState state = new ExecutionState("s", graph);
            engine.submit(context -> {
                executor.run(parsed, state, context, recorder, recorder);
                return state;
            }, p -> { }).future().get(60, TimeUnit.SECONDS);
        });
        GraphExecutor.NodeFailure failure = assertInstanceOf(GraphExecutor.NodeFailure.class,
                e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause());
        assertEquals("m", failure.invocation().sourceId());
        assertEquals("DomainException", failure.errorType());
        assertTrue(failure.getMessage().contains("missing-model"));
        assertFalse(recorder.events.contains("started p"), "nothing after the failed node runs");
    }

    @Test
    void cancellingStopsDenoisingWithinAStep() throws Exception {
        Recorder recorder = new Recorder();
        Map<String, Object> json = StandardGraphs.headlessTextToImage("tiny", "x", 1, 64, 400, "euler");
        Graph graph = Graph.parse(json, Set.of());
        ExecutionState state = new ExecutionState("s", json);
        GenerationHandle<ExecutionState> handle = engine.submit(context -> {
            executor.run(graph, state, context, recorder, recorder);
            return state;
        }, p -> { });
        assertTrue(recorder.denoising.await(30, TimeUnit.SECONDS));
        long before = recorder.events.stream().filter(event -> event.endsWith("Denoising")).count();
        handle.cancel();
        ExecutionException e = assertThrows(ExecutionException.class, () -> handle.future().get(30, TimeUnit.SECONDS));
        Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
        assertNotNull(cause);
        assertTrue(cause instanceof GenerationCancelledException || cause instanceof java.util.concurrent.CancellationException, cause.toString());
        long after = recorder.events.stream().filter(event -> event.endsWith("Denoising")).count();
        assertTrue(after - before <= 2, "at most one more step after the cancel: " + (after - before));
        assertFalse(recorder.events.contains("started o"));
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}

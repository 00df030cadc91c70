package org.invokej.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The graphs InvokeAI's clients send, as JSON maps: the web UI's SD1.5 text-to-image graph (invokeai-api-shapes.md
 * §5.3, node ids with the UI's prefixes, prompts and seeds through batch data) and the minimal headless
 * graph of the same section. Tests change them with {@link #set} before sending.
 */
public final class StandardGraphs {

    private StandardGraphs() {
    }

    /** InvokeAI's model identifier for a model key. */
    public static Map<String, Object> model(String key) {
        return new LinkedHashMap<>(Map.of("key", key, "hash", "blake3:0", "name", "tiny-sd15", "base", "sd-1", "type", "main"));
    }

    /** The web UI's Generate-tab text-to-image graph (prompts and seed left to the batch). */
    public static Map<String, Object> webUiTextToImage(String modelKey, int width, int height, int steps, String scheduler) {
        Map<String, Object> nodes = new LinkedHashMap<>();
        node(nodes, "seed:Ab3xY9kQ2z", "integer", Map.of());
        node(nodes, "positive_prompt:Qw8Ef1Rt2Y", "string", Map.of());
        node(nodes, "negative_prompt:Zx7Cv6Bn5M", "string", Map.of());
        node(nodes, "sd1_model_loader:Lk4Jh3Gf2D", "main_model_loader", Map.of("model", model(modelKey)));
        node(nodes, "clip_skip:Po9Iu8Yt7R", "clip_skip", Map.of("skipped_layers", 0));
        node(nodes, "pos_cond:As1Df2Gh3J", "compel", Map.of());
        node(nodes, "neg_cond:Kl4Zx5Cv6B", "compel", Map.of());
        node(nodes, "pos_cond_collect:Nm7Qw8Er9T", "collect", Map.of());
        node(nodes, "neg_cond_collect:Yu1Io2Pa3S", "collect", Map.of());
        node(nodes, "noise:Df4Gh5Jk6L", "noise", Map.of("use_cpu", true, "width", width, "height", height));
        node(nodes, "denoise_latents:Zx7Cv8Bn9M", "denoise_latents", Map.of("cfg_scale", 7.5, "cfg_rescale_multiplier", 0,
                "scheduler", scheduler, "steps", steps, "denoising_start", 0, "denoising_end", 1));
        Map<String, Object> output = node(nodes, "canvas_output:Qa1Ws2Ed3R", "l2i", Map.of("fp32", false));
        output.put("is_intermediate", false);
        output.put("use_cache", false);
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("cfg_scale", 7.5, "cfg_rescale_multiplier", 0, "model", model(modelKey),
                "steps", steps, "rand_device", "cpu", "scheduler", scheduler, "clip_skip", 0, "generation_mode", "txt2img",
                "width", width, "height", height));
        node(nodes, "core_metadata:Rf4Tg5Yh6U", "core_metadata", metadata);
        List<Map<String, Object>> edges = new ArrayList<>();
        edge(edges, "sd1_model_loader:Lk4Jh3Gf2D", "unet", "denoise_latents:Zx7Cv8Bn9M", "unet");
        edge(edges, "sd1_model_loader:Lk4Jh3Gf2D", "clip", "clip_skip:Po9Iu8Yt7R", "clip");
        edge(edges, "clip_skip:Po9Iu8Yt7R", "clip", "pos_cond:As1Df2Gh3J", "clip");
        edge(edges, "clip_skip:Po9Iu8Yt7R", "clip", "neg_cond:Kl4Zx5Cv6B", "clip");
        edge(edges, "positive_prompt:Qw8Ef1Rt2Y", "value", "pos_cond:As1Df2Gh3J", "prompt");
        edge(edges, "negative_prompt:Zx7Cv6Bn5M", "value", "neg_cond:Kl4Zx5Cv6B", "prompt");
        edge(edges, "pos_cond:As1Df2Gh3J", "conditioning", "pos_cond_collect:Nm7Qw8Er9T", "item");
        edge(edges, "neg_cond:Kl4Zx5Cv6B", "conditioning", "neg_cond_collect:Yu1Io2Pa3S", "item");
        edge(edges, "pos_cond_collect:Nm7Qw8Er9T", "collection", "denoise_latents:Zx7Cv8Bn9M", "positive_conditioning");
        edge(edges, "neg_cond_collect:Yu1Io2Pa3S", "collection", "denoise_latents:Zx7Cv8Bn9M", "negative_conditioning");
        edge(edges, "seed:Ab3xY9kQ2z", "value", "noise:Df4Gh5Jk6L", "seed");
        edge(edges, "noise:Df4Gh5Jk6L", "noise", "denoise_latents:Zx7Cv8Bn9M", "noise");
        edge(edges, "denoise_latents:Zx7Cv8Bn9M", "latents", "canvas_output:Qa1Ws2Ed3R", "latents");
        edge(edges, "sd1_model_loader:Lk4Jh3Gf2D", "vae", "canvas_output:Qa1Ws2Ed3R", "vae");
        edge(edges, "seed:Ab3xY9kQ2z", "value", "core_metadata:Rf4Tg5Yh6U", "seed");
        edge(edges, "positive_prompt:Qw8Ef1Rt2Y", "value", "core_metadata:Rf4Tg5Yh6U", "positive_prompt");
        edge(edges, "negative_prompt:Zx7Cv6Bn5M", "value", "core_metadata:Rf4Tg5Yh6U", "negative_prompt");
        edge(edges, "core_metadata:Rf4Tg5Yh6U", "metadata", "canvas_output:Qa1Ws2Ed3R", "metadata");
        return graph("sd1_graph:Ab3xY9kQ2z", nodes, edges);
    }

    /** The batch data the web UI sends with {@link #webUiTextToImage}: one session per seed. */
    public static List<List<Map<String, Object>>> webUiBatchData(List<Long> seeds, String prompt, String negative) {
        return List.of(
                List.of(datum("seed:Ab3xY9kQ2z", "value", new ArrayList<>(seeds))),
                List.of(datum("positive_prompt:Qw8Ef1Rt2Y", "value", List.of(prompt)),
                        datum("negative_prompt:Zx7Cv6Bn5M", "value", List.of(negative))));
    }

    /** The minimal headless text-to-image graph of invokeai-api-shapes.md §5.3. */
    public static Map<String, Object> headlessTextToImage(String modelKey, String prompt, long seed, int size, int steps, String scheduler) {
        Map<String, Object> nodes = new LinkedHashMap<>();
        node(nodes, "m", "main_model_loader", Map.of("model", model(modelKey)));
        node(nodes, "p", "compel", Map.of("prompt", prompt));
        node(nodes, "n", "compel", Map.of("prompt", ""));
        node(nodes, "z", "noise", Map.of("seed", seed, "width", size, "height", size));
        node(nodes, "d", "denoise_latents", Map.of("steps", steps, "cfg_scale", 7.5, "scheduler", scheduler));
        Map<String, Object> output = node(nodes, "o", "l2i", Map.of());
        output.put("is_intermediate", false);
        output.put("use_cache", false);
        List<Map<String, Object>> edges = new ArrayList<>();
        edge(edges, "m", "clip", "p", "clip");
        edge(edges, "m", "clip", "n", "clip");
        edge(edges, "m", "unet", "d", "unet");
        edge(edges, "p", "conditioning", "d", "positive_conditioning");
        edge(edges, "n", "conditioning", "d", "negative_conditioning");
        edge(edges, "z", "noise", "d", "noise");
        edge(edges, "d", "latents", "o", "latents");
        edge(edges, "m", "vae", "o", "vae");
        return graph("g1", nodes, edges);
    }

    /**
     * An {@code enqueue_batch} body InvokeAI 6.14's web UI sends, kept as JSON beside this class
     * ({@code graphs/NAME.json}: {@code sdxl-text-to-image} from the Generate tab, {@code sdxl-image-to-image}
     * from the canvas), with its {@code $PLACEHOLDER}s (model key, hash and name, image name) filled in.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> webUiBatch(String name, Map<String, String> placeholders) {
        try (java.io.InputStream in = StandardGraphs.class.getResourceAsStream("graphs/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no graph resource " + name);
            }
            String json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
                json = json.replace("$" + placeholder.getKey(), placeholder.getValue());
            }
            if (json.contains("\"$")) {
                throw new IllegalArgumentException(name + ": a placeholder is left unfilled");
            }
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(json, LinkedHashMap.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Sets {@code field} of node {@code nodeId} in a graph map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> set(Map<String, Object> graph, String nodeId, String field, Object value) {
        ((Map<String, Object>) ((Map<String, Object>) graph.get("nodes")).get(nodeId)).put(field, value);
        return graph;
    }

    /** Adds an edge to a graph map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> connect(Map<String, Object> graph, String from, String output, String to, String input) {
        edge((List<Map<String, Object>>) graph.get("edges"), from, output, to, input);
        return graph;
    }

    /** Adds a node to a graph map. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> add(Map<String, Object> graph, String id, String type, Map<String, Object> fields) {
        node((Map<String, Object>) graph.get("nodes"), id, type, fields);
        return graph;
    }

    public static Map<String, Object> datum(String nodePath, String field, List<?> items) {
        return new LinkedHashMap<>(Map.of("node_path", nodePath, "field_name", field, "items", items));
    }

    private static Map<String, Object> graph(String id, Map<String, Object> nodes, List<Map<String, Object>> edges) {
        Map<String, Object> graph = new LinkedHashMap<>();
        graph.put("id", id);
        graph.put("nodes", nodes);
        graph.put("edges", edges);
        return graph;
    }

    private static Map<String, Object> node(Map<String, Object> nodes, String id, String type, Map<String, Object> fields) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("type", type);
        node.put("id", id);
        node.put("is_intermediate", true);
        node.put("use_cache", true);
        node.putAll(fields);
        nodes.put(id, node);
        return node;
    }

    private static void edge(List<Map<String, Object>> edges, String from, String output, String to, String input) {
        edges.add(new LinkedHashMap<>(Map.of("source", Map.of("node_id", from, "field", output),
                "destination", Map.of("node_id", to, "field", input))));
    }
}

package org.invokej.inference.graph;

import org.invokej.inference.Conditioning;
import org.invokej.inference.DenoiseRequest;
import org.invokej.inference.DiffusionModel;
import org.invokej.inference.DiffusionPipeline;
import org.invokej.inference.JobContext;
import org.invokej.inference.Latents;
import org.invokej.inference.schedulers.SchedulerName;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a checked {@link Graph} node by node on the engine's dispatch thread: each node is prepared
 * (fresh id, inputs resolved from its literals, the catalogue's defaults and the outputs of the nodes
 * feeding it), run, and reported to the listener. Tensors (latents, conditioning) stay in memory for
 * the session and travel between nodes by name, as InvokeAI's do. A node that fails stops the session.
 */
public final class GraphExecutor {

    /** The InvokeAI version written into {@code core_metadata} as {@code app_version}. */
    private final String appVersion;

    public GraphExecutor(String appVersion) {
        this.appVersion = appVersion;
    }

    /** Why a session stopped early: the node that failed and how. */
    public static final class NodeFailure extends RuntimeException {
        private final Invocation invocation;
        private final String errorType;

        NodeFailure(Invocation invocation, Throwable cause) {
            super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
            this.invocation = invocation;
            this.errorType = cause.getClass().getSimpleName();
        }

        public Invocation invocation() {
            return invocation;
        }

        public String errorType() {
            return errorType;
        }
    }

    /**
     * Runs {@code graph} within an engine job. Returns when every node ran; throws {@link NodeFailure}
     * when one fails, and the engine's cancellation exception when {@code context}'s token is cancelled.
     */
    public void run(Graph graph, ExecutionState state, JobContext context, GraphResources resources, InvocationListener listener) {
        Session session = new Session(context, resources, listener);
        Map<String, Invocation> prepared = new HashMap<>();
        for (String sourceId : graph.executionOrder()) {
            context.cancel().check();
            Map<String, Object> node = graph.nodes().get(sourceId);
            String preparedId = UUID.randomUUID().toString();
            Map<String, Object> inputs = resolve(graph, sourceId, node, prepared, state);
            inputs.put("id", preparedId);
            Invocation invocation = new Invocation(preparedId, sourceId, inputs);
            state.prepared(invocation);
            for (Graph.Edge edge : graph.edgesInto(sourceId)) {
                state.edge(prepared.get(edge.sourceNode()).preparedId(), edge.sourceField(), invocation.preparedId(), edge.destinationField());
            }
            prepared.put(sourceId, invocation);
            listener.started(invocation);
            Map<String, Object> result;
            try {
                result = session.invoke(invocation);
            } catch (org.invokej.inference.GenerationCancelledException cancelled) {
                throw cancelled;
            } catch (RuntimeException e) {
                if (context.cancel().isCancelled()) {
                    throw new org.invokej.inference.GenerationCancelledException();
                }
                NodeFailure failure = new NodeFailure(invocation, e);
                state.failed(invocation, failure.errorType() + ": " + failure.getMessage());
                throw failure;
            }
            state.completed(invocation, result);
            listener.completed(invocation, result);
        }
    }

    /** The node's inputs: catalogue defaults, then its literals, then what its edges bring. */
    private static Map<String, Object> resolve(Graph graph, String sourceId, Map<String, Object> node,
                                               Map<String, Invocation> prepared, ExecutionState state) {
        String type = (String) node.get("type");
        NodeSpec spec = NodeCatalogue.find(type).orElseThrow();
        Map<String, Object> inputs = new LinkedHashMap<>();
        spec.inputs().values().forEach(input -> inputs.put(input.name(), input.defaultValue()));
        node.forEach((key, value) -> {
            if (value != null || !inputs.containsKey(key)) {
                inputs.put(key, value);
            }
        });
        inputs.putIfAbsent("is_intermediate", false);
        inputs.putIfAbsent("use_cache", spec.useCacheDefault());
        List<Object> collected = new ArrayList<>();
        for (Graph.Edge edge : graph.edgesInto(sourceId)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) state.results().get(prepared.get(edge.sourceNode()).preparedId());
            Object value = result.get(edge.sourceField());
            if (spec.acceptsManyEdges(edge.destinationField())) {
                collected.add(value);
            } else {
                inputs.put(edge.destinationField(), value);
            }
        }
        if (type.equals("collect")) {
            List<Object> collection = new ArrayList<>();
            if (inputs.get("collection") instanceof List<?> literal) {
                collection.addAll(literal);
            }
            collection.addAll(collected);
            inputs.put("collection", collection);
            inputs.remove("item");
        }
        for (InputSpec input : spec.inputs().values()) {
            if (input.required() && inputs.get(input.name()) == null) {
                throw Graph.invalid(Graph.where(sourceId, type, input.name()) + "has no value when the node runs");
            }
        }
        return inputs;
    }

    /** One session's tensors and helpers. */
    private final class Session {
        private final JobContext context;
        private final GraphResources resources;
        private final InvocationListener listener;
        private final Map<String, Latents> latents = new HashMap<>();
        private final Map<String, Conditioning> conditioning = new HashMap<>();
        private final Map<String, DiffusionModel> loaded = new HashMap<>();

        Session(JobContext context, GraphResources resources, InvocationListener listener) {
            this.context = context;
            this.resources = resources;
            this.listener = listener;
        }

        Map<String, Object> invoke(Invocation invocation) {
            Map<String, Object> in = invocation.node();
            return switch (invocation.type()) {
                case "main_model_loader" -> mainModelLoader(invocation);
                case "vae_loader" -> {
                    Map<String, Object> model = map(in.get("vae_model"));
                    model(invocation, model, "vae");
                    yield output("vae_output", "vae", Map.of("vae", submodel(model, "vae"), "seamless_axes", List.of()));
                }
                case "clip_skip" -> {
                    Map<String, Object> clip = new LinkedHashMap<>(map(in.get("clip")));
                    clip.put("skipped_layers", integer(clip.getOrDefault("skipped_layers", 0)) + integer(in.get("skipped_layers")));
                    yield output("clip_skip_output", "clip", clip);
                }
                case "compel" -> compel(invocation);
                case "collect" -> output("collect_output", "collection", in.get("collection"));
                case "string" -> output("string_output", "value", String.valueOf(in.get("value")));
                case "integer" -> output("integer_output", "value", integer(in.get("value")));
                case "rand_int" -> {
                    long low = integer(in.get("low"));
                    long high = integer(in.get("high"));
                    if (high <= low) {
                        throw new IllegalArgumentException("high must be greater than low");
                    }
                    yield output("integer_output", "value", ThreadLocalRandom.current().nextLong(low, high));
                }
                case "noise" -> noise(in);
                case "denoise_latents" -> denoise(invocation);
                case "l2i" -> latentsToImage(invocation);
                case "i2l" -> imageToLatents(invocation);
                case "img_resize" -> {
                    BufferedImage image = resources.loadImage(imageName(in.get("image")));
                    BufferedImage resized = DiffusionPipeline.resize(image, (int) integer(in.get("width")), (int) integer(in.get("height")));
                    yield save(invocation, resized);
                }
                case "save_image" -> save(invocation, resources.loadImage(imageName(in.get("image"))));
                case "core_metadata" -> {
                    Map<String, Object> metadata = new LinkedHashMap<>();
                    in.forEach((key, value) -> {
                        if (value != null && !List.of("id", "type", "is_intermediate", "use_cache").contains(key)) {
                            metadata.put(key, value);
                        }
                    });
                    metadata.put("app_version", appVersion);
                    yield output("metadata_output", "metadata", metadata);
                }
                default -> throw new IllegalStateException("no implementation for node type " + invocation.type());
            };
        }

        private Map<String, Object> mainModelLoader(Invocation invocation) {
            Map<String, Object> model = map(invocation.node().get("model"));
            model(invocation, model, "unet");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("type", "model_loader_output");
            Map<String, Object> unet = new LinkedHashMap<>();
            unet.put("unet", submodel(model, "unet"));
            unet.put("scheduler", submodel(model, "scheduler"));
            unet.put("loras", List.of());
            unet.put("seamless_axes", List.of());
            unet.put("freeu_config", null);
            result.put("unet", unet);
            result.put("clip", new LinkedHashMap<>(Map.of("tokenizer", submodel(model, "tokenizer"),
                    "text_encoder", submodel(model, "text_encoder"), "skipped_layers", 0, "loras", List.of())));
            result.put("vae", new LinkedHashMap<>(Map.of("vae", submodel(model, "vae"), "seamless_axes", List.of())));
            return result;
        }

        private Map<String, Object> compel(Invocation invocation) {
            Map<String, Object> clip = map(invocation.node().get("clip"));
            DiffusionModel model = model(invocation, map(clip.get("text_encoder")), "text_encoder");
            listener.progress(invocation, "Building conditioning", null, null);
            Conditioning encoded = context.pipeline().encodePrompt(model, String.valueOf(invocation.node().get("prompt")),
                    (int) integer(clip.getOrDefault("skipped_layers", 0)), context.cancel());
            String name = invocation.preparedId() + "_conditioning";
            conditioning.put(name, encoded);
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("conditioning_name", name);
            field.put("mask", null);
            return output("conditioning_output", "conditioning", field);
        }

        private Map<String, Object> noise(Map<String, Object> in) {
            long seed = Math.floorMod(integer(in.get("seed")), 1L << 32);
            int width = (int) integer(in.get("width"));
            int height = (int) integer(in.get("height"));
            Latents noise = DiffusionPipeline.noise(seed, width, height);
            String name = UUID.randomUUID() + "_noise";
            latents.put(name, noise);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("type", "noise_output");
            result.put("noise", latentsField(name, seed));
            result.put("width", width);
            result.put("height", height);
            return result;
        }

        private Map<String, Object> denoise(Invocation invocation) {
            Map<String, Object> in = invocation.node();
            Map<String, Object> unet = map(in.get("unet"));
            DiffusionModel model = model(invocation, map(unet.get("unet")), "unet");
            Map<String, Object> noiseField = in.get("noise") == null ? null : map(in.get("noise"));
            Map<String, Object> latentsField = in.get("latents") == null ? null : map(in.get("latents"));
            Latents noise = noiseField == null ? null : tensor(noiseField);
            Latents start = latentsField == null ? null : tensor(latentsField);
            Object seedValue = noiseField != null ? noiseField.get("seed") : latentsField != null ? latentsField.get("seed") : null;
            long seed = seedValue == null ? 0 : integer(seedValue);
            List<Double> cfg = in.get("cfg_scale") instanceof List<?> list
                    ? list.stream().map(v -> ((Number) v).doubleValue()).toList()
                    : List.of(((Number) in.get("cfg_scale")).doubleValue());
            DenoiseRequest request = new DenoiseRequest(conditioning(in.get("positive_conditioning"), "positive_conditioning"),
                    conditioning(in.get("negative_conditioning"), "negative_conditioning"), noise, start,
                    SchedulerName.parse(String.valueOf(in.get("scheduler"))), (int) integer(in.get("steps")), cfg,
                    ((Number) in.get("denoising_start")).doubleValue(), ((Number) in.get("denoising_end")).doubleValue(), seed);
            Latents result = context.pipeline().denoise(model, request, progress -> {
                InvocationListener.Preview preview = progress.preview() == null ? null
                        : new InvocationListener.Preview(progress.preview().toJpeg(), progress.preview().width(),
                        progress.preview().height(), progress.preview().width() * 8, progress.preview().height() * 8);
                listener.progress(invocation, "Denoising", progress.fraction(), preview);
            }, context.cancel());
            String name = invocation.preparedId() + "_latents";
            latents.put(name, result);
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("type", "latents_output");
            output.put("latents", latentsField(name, null));
            output.put("width", result.imageWidth());
            output.put("height", result.imageHeight());
            return output;
        }

        private Map<String, Object> latentsToImage(Invocation invocation) {
            Map<String, Object> in = invocation.node();
            DiffusionModel model = model(invocation, map(map(in.get("vae")).get("vae")), "vae");
            listener.progress(invocation, "Running VAE decoder", null, null);
            BufferedImage image = context.pipeline().decode(model, tensor(map(in.get("latents"))), context.cancel());
            return save(invocation, image);
        }

        private Map<String, Object> imageToLatents(Invocation invocation) {
            Map<String, Object> in = invocation.node();
            DiffusionModel model = model(invocation, map(map(in.get("vae")).get("vae")), "vae");
            BufferedImage image = resources.loadImage(imageName(in.get("image")));
            int width = image.getWidth() - image.getWidth() % 8;
            int height = image.getHeight() - image.getHeight() % 8;
            if (width == 0 || height == 0) {
                throw new IllegalArgumentException("the image is smaller than 8 pixels on a side");
            }
            listener.progress(invocation, "Running VAE encoder", null, null);
            Latents encoded = context.pipeline().encodeImage(model, DiffusionPipeline.resize(image, width, height), context.cancel());
            String name = invocation.preparedId() + "_latents";
            latents.put(name, encoded);
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("type", "latents_output");
            output.put("latents", latentsField(name, null));
            output.put("width", width);
            output.put("height", height);
            return output;
        }

        private Map<String, Object> save(Invocation invocation, BufferedImage image) {
            Map<String, Object> in = invocation.node();
            listener.progress(invocation, "Saving image", null, null);
            String board = in.get("board") instanceof Map<?, ?> field ? (String) field.get("board_id") : null;
            @SuppressWarnings("unchecked")
            Map<String, Object> metadata = in.get("metadata") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
            GraphResources.StoredImage stored = resources.saveImage(image, board, metadata,
                    Boolean.TRUE.equals(in.get("is_intermediate")), invocation.preparedId());
            Map<String, Object> output = new LinkedHashMap<>();
            output.put("type", "image_output");
            output.put("image", Map.of("image_name", stored.imageName()));
            output.put("width", stored.width());
            output.put("height", stored.height());
            return output;
        }

        /** The loaded model of an identifier, announced to the listener the first time in this session. */
        private DiffusionModel model(Invocation invocation, Map<String, Object> identifier, String submodel) {
            String key = String.valueOf(identifier.get("key"));
            DiffusionModel model = loaded.get(key);
            if (model == null) {
                listener.progress(invocation, "Loading model " + identifier.getOrDefault("name", key) + " (" + submodel + ")", null, null);
                listener.modelLoad(identifier, submodel, false);
                model = context.model(resources.modelFolder(identifier));
                listener.modelLoad(identifier, submodel, true);
                loaded.put(key, model);
            }
            return model;
        }

        private Conditioning conditioning(Object field, String input) {
            Object single = field;
            if (field instanceof List<?> list) {
                if (list.size() != 1) {
                    throw new IllegalArgumentException(input + " has " + list.size()
                            + " conditionings; this server takes exactly one (regional prompts are not supported)");
                }
                single = list.get(0);
            }
            String name = String.valueOf(map(single).get("conditioning_name"));
            Conditioning found = conditioning.get(name);
            if (found == null) {
                throw new IllegalArgumentException("unknown conditioning '" + name + "'");
            }
            return found;
        }

        private Latents tensor(Map<String, Object> field) {
            String name = String.valueOf(field.get("latents_name"));
            Latents found = latents.get(name);
            if (found == null) {
                throw new IllegalArgumentException("unknown latents '" + name + "'");
            }
            return found;
        }
    }

    private static Map<String, Object> output(String type, String field, Object value) {
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("type", type);
        output.put(field, value);
        return output;
    }

    private static Map<String, Object> latentsField(String name, Object seed) {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("latents_name", name);
        field.put("seed", seed);
        return field;
    }

    private static Map<String, Object> submodel(Map<String, Object> model, String submodel) {
        Map<String, Object> copy = new LinkedHashMap<>(model);
        copy.put("submodel_type", submodel);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        if (!(value instanceof Map<?, ?>)) {
            throw new IllegalArgumentException("expected an object, got " + value);
        }
        return (Map<String, Object>) value;
    }

    private static long integer(Object value) {
        return ((Number) value).longValue();
    }

    private static String imageName(Object field) {
        return String.valueOf(map(field).get("image_name"));
    }
}

package org.invokej.inference.graph;

import org.invokej.inference.Conditioning;
import org.invokej.inference.DiffusionModel;
import org.invokej.inference.GenerationCancelledException;
import org.invokej.inference.JobContext;
import org.invokej.inference.Latents;
import org.invokej.inference.Mask;
import org.invokej.inference.graph.fields.ConditioningField;
import org.invokej.inference.graph.fields.LatentsField;
import org.invokej.inference.graph.fields.LoraField;
import org.invokej.inference.lora.LoraStack;
import org.invokej.inference.graph.fields.ModelIdentifier;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs a checked {@link Graph} node by node on the engine's dispatch thread: each node is prepared
 * (fresh id, inputs resolved from the declared defaults, its typed literals and the outputs of the nodes
 * feeding it), run by its {@link NodeType}, and reported to the listener. A node that fails stops the session.
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
        Map<String, InvocationOutput> outputs = new HashMap<>();
        for (String sourceId : graph.executionOrder()) {
            context.cancel().check();
            Graph.Node node = graph.nodes().get(sourceId);
            Invocation invocation = new Invocation(UUID.randomUUID().toString(), sourceId, node.type(), resolve(graph, node, outputs));
            state.prepared(invocation);
            for (Graph.Edge edge : graph.edgesInto(sourceId)) {
                state.edge(prepared.get(edge.sourceNode()).preparedId(), edge.sourceField(), invocation.preparedId(), edge.destinationField());
            }
            prepared.put(sourceId, invocation);
            listener.started(invocation);
            InvocationOutput output;
            try {
                output = node.type().run(invocation.inputs(), session.running(invocation));
            } catch (GenerationCancelledException cancelled) {
                throw cancelled;
            } catch (RuntimeException e) {
                if (context.cancel().isCancelled()) {
                    throw new GenerationCancelledException();
                }
                NodeFailure failure = new NodeFailure(invocation, e);
                state.failed(invocation, failure.errorType() + ": " + failure.getMessage());
                throw failure;
            }
            NodeResult result = new NodeResult(node.type().spec().outputType(), output);
            outputs.put(sourceId, output);
            state.completed(invocation, result);
            listener.completed(invocation, result);
        }
    }

    /** The node's inputs: declared defaults, then its literals, then what its edges bring. */
    private static Inputs resolve(Graph graph, Graph.Node node, Map<String, InvocationOutput> outputs) {
        NodeSpec spec = node.type().spec();
        Map<String, Object> values = new LinkedHashMap<>();
        spec.inputs().forEach(input -> values.put(input.name(), input.defaultValue()));
        values.putAll(node.literals());
        Map<String, List<Object>> many = new LinkedHashMap<>();
        for (Graph.Edge edge : graph.edgesInto(node.id())) {
            Object value = NodeSpec.outputValue(outputs.get(edge.sourceNode()), edge.sourceField());
            Input<?> input = spec.input(edge.destinationField()).orElse(null);
            if (input == null) {
                values.put(edge.destinationField(), value);
            } else if (input.takesManyEdges()) {
                many.computeIfAbsent(input.name(), k -> new ArrayList<>()).add(value);
            } else {
                values.put(input.name(), input.convert(value));
            }
        }
        values.putAll(many);
        Inputs inputs = node.type().prepare(new Inputs(spec.type(), Boolean.TRUE.equals(node.isIntermediate()),
                node.useCache() != null ? node.useCache() : spec.useCacheDefault(), values));
        for (Input<?> input : spec.inputs()) {
            if (input.isRequired() && inputs.fields().get(input.name()) == null) {
                throw Graph.invalid(Graph.where(node.id(), spec.type(), input.name()) + "has no value when the node runs");
            }
        }
        // Values edges brought were not known at enqueue: the limits hold them before the node allocates anything.
        Graph.checkLimits(graph.limits(), node.id(), spec, input -> inputs.fields().get(input.name()));
        return inputs;
    }

    /** One session's tensors and loaded models. */
    private final class Session {
        private final JobContext context;
        private final GraphResources resources;
        private final InvocationListener listener;
        private final Map<String, Latents> latents = new HashMap<>();
        private final Map<String, Conditioning> conditioning = new HashMap<>();
        private final Map<String, Mask> masks = new HashMap<>();
        private final Map<String, DiffusionModel> loaded = new HashMap<>();
        /** By model key, the first of its LoRA combinations loaded in this session. */
        private final Map<String, DiffusionModel> loadedAnyLoras = new HashMap<>();

        Session(JobContext context, GraphResources resources, InvocationListener listener) {
            this.context = context;
            this.resources = resources;
            this.listener = listener;
        }

        NodeContext running(Invocation invocation) {
            return new NodeContext() {
                @Override
                public JobContext job() {
                    return context;
                }

                @Override
                public GraphResources resources() {
                    return resources;
                }

                @Override
                public DiffusionModel model(ModelIdentifier model) {
                    return model(model, List.of());
                }

                @Override
                public DiffusionModel model(ModelIdentifier model, List<LoraField> loras) {
                    String key = loras.isEmpty() ? model.key() : model.key() + " " + loras;
                    DiffusionModel found = loaded.get(key);
                    if (found == null && loras.isEmpty() && "vae".equals(model.submodelType())) {
                        // LoRAs leave the VAE alone: the model loaded with them serves, rather than a second copy
                        found = loadedAnyLoras.get(model.key());
                    }
                    if (found == null) {
                        progress("Loading model " + (model.name() != null ? model.name() : model.key()) + " ("
                                + model.submodelType() + ")" + (loras.isEmpty() ? "" : " with " + loras.size() + " LoRA(s)"));
                        List<LoraStack.Applied> applied = new ArrayList<>();
                        for (LoraField lora : loras) {
                            listener.modelLoad(lora.lora(), false);
                            applied.add(new LoraStack.Applied(resources.modelFolder(lora.lora()), lora.weight()));
                            listener.modelLoad(lora.lora(), true);
                        }
                        listener.modelLoad(model, false);
                        found = context.model(resources.modelFolder(model), new LoraStack(applied));
                        listener.modelLoad(model, true);
                        loaded.put(key, found);
                        loadedAnyLoras.putIfAbsent(model.key(), found);
                        if (!found.unmatchedLoraLayers().isEmpty()) {
                            progress("LoRA layers that match no weight of this model were skipped: "
                                    + String.join(", ", found.unmatchedLoraLayers()));
                        }
                        if (!found.ignoredLoraKeys().isEmpty()) {
                            progress("LoRA keys of no layer this server applies (LoHa, LoKr, DoRA, …) were skipped: "
                                    + String.join(", ", found.ignoredLoraKeys()));
                        }
                    }
                    return found;
                }

                @Override
                public String preparedId() {
                    return invocation.preparedId();
                }

                @Override
                public String appVersion() {
                    return appVersion;
                }

                @Override
                public void progress(String message) {
                    listener.progress(invocation, message, null, null);
                }

                @Override
                public void progress(String message, Double fraction, InvocationListener.Preview preview) {
                    listener.progress(invocation, message, fraction, preview);
                }

                @Override
                public void keep(String name, Latents value) {
                    latents.put(name, value);
                }

                @Override
                public void keep(String name, Conditioning value) {
                    conditioning.put(name, value);
                }

                @Override
                public Latents latents(LatentsField field) {
                    Latents found = latents.get(field.latentsName());
                    if (found == null) {
                        throw new IllegalArgumentException("unknown latents '" + field.latentsName() + "'");
                    }
                    return found;
                }

                @Override
                public void keep(String name, Mask mask) {
                    masks.put(name, mask);
                }

                @Override
                public Mask mask(String name) {
                    Mask found = masks.get(name);
                    if (found == null) {
                        throw new IllegalArgumentException("unknown mask '" + name + "'");
                    }
                    return found;
                }

                @Override
                public Conditioning conditioning(ConditioningField field) {
                    Conditioning found = conditioning.get(field.conditioningName());
                    if (found == null) {
                        throw new IllegalArgumentException("unknown conditioning '" + field.conditioningName() + "'");
                    }
                    return found;
                }
            };
        }
    }
}

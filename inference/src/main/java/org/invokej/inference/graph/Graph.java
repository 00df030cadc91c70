package org.invokej.inference.graph;

import org.invokej.core.DomainException;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.graph.nodes.NodeTypes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checked, typed InvokeAI graph: every node of a registered type with its literal fields converted to
 * their typed values, every edge between existing fields of compatible kinds, each input fed by at most
 * one edge (but inputs that take many, like {@code collect.item}), no cycle. Built by {@link #parse},
 * which refuses anything else with a 422 that names the node and the field.
 */
public final class Graph {

    /** An edge: the output {@code sourceField} of one node feeds the input {@code destinationField} of another. */
    public record Edge(String sourceNode, String sourceField, String destinationNode, String destinationField) {
    }

    /**
     * A node of the submitted graph: its type, its literal fields as typed values (declared inputs
     * converted, undeclared ones of an any-field node as given) and its flags (null: not given).
     */
    public record Node(String id, NodeType type, Map<String, Object> literals, Boolean isIntermediate, Boolean useCache) {
    }

    private final String id;
    private final Map<String, Node> nodes;
    private final List<Edge> edges;
    private final List<String> order;
    private final GraphLimits limits;

    private Graph(String id, Map<String, Node> nodes, List<Edge> edges, List<String> order, GraphLimits limits) {
        this.id = id;
        this.nodes = nodes;
        this.edges = edges;
        this.order = order;
        this.limits = limits;
    }

    /** {@link #parse(NodeTypes, Map, Set)} with the node types this server runs. */
    public static Graph parse(Map<String, Object> json, Set<String> provided) {
        return parse(NodeTypes.standard(), json, provided);
    }

    /**
     * Checks a graph as JSON (maps, lists, strings, numbers, booleans) against {@code types}.
     * {@code provided} names the {@code node.field} inputs a batch will fill in, which count as given.
     */
    public static Graph parse(NodeTypes types, Map<String, Object> json, Set<String> provided) {
        Object rawNodes = json.get("nodes");
        if (!(rawNodes instanceof Map<?, ?> nodeMap)) {
            throw invalid("'nodes' must be an object of node id to node");
        }
        Map<String, Map<?, ?>> raw = new LinkedHashMap<>();
        Map<String, NodeType> typeOf = new LinkedHashMap<>();
        nodeMap.forEach((key, value) -> {
            String nodeId = String.valueOf(key);
            raw.put(nodeId, node(types, nodeId, value));
            typeOf.put(nodeId, types.find((String) ((Map<?, ?>) value).get("type")).orElseThrow());
        });
        List<Edge> edges = edges(json.get("edges"), typeOf);
        Map<String, List<Edge>> incoming = new HashMap<>();
        edges.forEach(edge -> incoming.computeIfAbsent(edge.destinationNode(), k -> new ArrayList<>()).add(edge));
        Map<String, Node> nodes = new LinkedHashMap<>();
        raw.forEach((nodeId, node) -> nodes.put(nodeId, typed(nodeId, typeOf.get(nodeId), node,
                incoming.getOrDefault(nodeId, List.of()), provided, types.limits())));
        List<String> order = topologicalOrder(nodes.keySet(), edges);
        Object id = json.get("id");
        return new Graph(id instanceof String s ? s : java.util.UUID.randomUUID().toString(), Collections.unmodifiableMap(nodes),
                List.copyOf(edges), order, types.limits());
    }

    /** The limits the graph was checked against, which its nodes are held to again when they run. */
    public GraphLimits limits() {
        return limits;
    }

    public String id() {
        return id;
    }

    /** The nodes by id, with their typed literals. */
    public Map<String, Node> nodes() {
        return nodes;
    }

    public List<Edge> edges() {
        return edges;
    }

    /** Node ids in an order where every node comes after the nodes that feed it. */
    public List<String> executionOrder() {
        return order;
    }

    /** The edges into {@code nodeId}, in the order the graph lists them. */
    public List<Edge> edgesInto(String nodeId) {
        return edges.stream().filter(edge -> edge.destinationNode().equals(nodeId)).toList();
    }

    /** The keys of the models the graph names in its model fields, each once. */
    public Set<String> modelKeys() {
        Set<String> keys = new LinkedHashSet<>();
        nodes.values().forEach(node -> node.literals().values().forEach(value -> {
            if (value instanceof ModelIdentifier model) {
                keys.add(model.key());
            }
        }));
        return keys;
    }

    /**
     * Checks one value a batch will write into {@code nodeId.field}: the node must exist, have that input
     * (core_metadata takes any field), and the value must fit it.
     */
    public static void checkBatchValue(Map<String, Object> json, String nodeId, String field, Object value) {
        checkBatchValue(NodeTypes.standard(), json, nodeId, field, value);
    }

    public static void checkBatchValue(NodeTypes types, Map<String, Object> json, String nodeId, String field, Object value) {
        if (!(json.get("nodes") instanceof Map<?, ?> nodes) || !(nodes.get(nodeId) instanceof Map<?, ?> node)) {
            throw invalid("batch data names node '" + nodeId + "', which is not in the graph");
        }
        String type = String.valueOf(node.get("type"));
        NodeSpec spec = types.find(type)
                .orElseThrow(() -> invalid("node '" + nodeId + "' has unknown type '" + type + "'")).spec();
        if (spec.acceptsAnyField()) {
            return;
        }
        Input<?> input = spec.input(field).orElse(null);
        if (input == null) {
            throw invalid("batch data names field '" + field + "' of node '" + nodeId + "' (" + type + "), which has no such input");
        }
        if (value == null) {
            throw invalid(where(nodeId, type, field) + "batch values must not be null");
        }
        checkDirect(nodeId, type, input);
        checkValue(nodeId, type, input, value);
        if (input.limit() != Input.Limit.NONE) {
            // the other inputs' values as far as the graph gives them; an edge or another batch field is not known yet
            checkLimits(types.limits(), nodeId, spec, other -> other.name().equals(field) ? input.convert(value)
                    : node.get(other.name()) != null && other.kind().fits(node.get(other.name())) ? other.convert(node.get(other.name())) : null);
        }
    }

    /** A 422 naming the node, the field and the setting when the known values break a limit. */
    static void checkLimits(GraphLimits limits, String nodeId, NodeSpec spec, java.util.function.Function<Input<?>, Object> known) {
        GraphLimits.Problem problem = limits.check(spec, known);
        if (problem != null) {
            throw invalid(nodeId, problem.field(), where(nodeId, spec.type(), problem.field()) + problem.message());
        }
    }

    private static Map<?, ?> node(NodeTypes types, String key, Object value) {
        if (!(value instanceof Map<?, ?> node)) {
            throw invalid("node '" + key + "' must be an object");
        }
        Object id = node.get("id");
        if (id != null && !key.equals(id)) {
            throw invalid("node '" + key + "' has id '" + id + "'; a node's key must equal its id");
        }
        Object type = node.get("type");
        if (!(type instanceof String typeName)) {
            throw invalid("node '" + key + "' has no type");
        }
        java.util.Optional<String> refusal = types.refusal(typeName);
        if (refusal.isPresent()) {
            throw invalid(key, "type", "node '" + key + "' (" + typeName + ") " + refusal.get());
        }
        if (types.find(typeName).isEmpty()) {
            throw invalid("node '" + key + "' has unknown type '" + typeName + "'; this server runs " + types.names());
        }
        for (String flag : List.of("is_intermediate", "use_cache")) {
            if (node.containsKey(flag) && !(node.get(flag) instanceof Boolean)) {
                throw invalid(key, flag, where(key, typeName, flag) + "must be a boolean");
            }
        }
        return node;
    }

    private static List<Edge> edges(Object raw, Map<String, NodeType> nodes) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> list)) {
            throw invalid("'edges' must be a list");
        }
        List<Edge> edges = new ArrayList<>();
        Map<String, Integer> feeds = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            Edge edge = edge(list.get(i), i);
            NodeType source = nodes.get(edge.sourceNode());
            NodeType destination = nodes.get(edge.destinationNode());
            if (source == null) {
                throw invalid("edge " + i + " comes from node '" + edge.sourceNode() + "', which is not in the graph");
            }
            if (destination == null) {
                throw invalid("edge " + i + " goes to node '" + edge.destinationNode() + "', which is not in the graph");
            }
            NodeSpec sourceSpec = source.spec();
            NodeSpec destinationSpec = destination.spec();
            FieldKind output = sourceSpec.outputs().get(edge.sourceField());
            if (output == null) {
                throw invalid("edge " + i + ": node '" + edge.sourceNode() + "' (" + sourceSpec.type() + ") has no output '"
                        + edge.sourceField() + "'; it has " + sourceSpec.outputs().keySet().stream().sorted().toList());
            }
            Input<?> input = destinationSpec.input(edge.destinationField())
                    .orElse(destinationSpec.acceptsAnyField() ? Input.any(edge.destinationField()) : null);
            if (input == null) {
                throw invalid("edge " + i + ": node '" + edge.destinationNode() + "' (" + destinationSpec.type() + ") has no input '"
                        + edge.destinationField() + "'");
            }
            if (input.mode() == Input.Mode.DIRECT) {
                throw invalid(edge.destinationNode(), edge.destinationField(), where(edge.destinationNode(), destinationSpec.type(),
                        edge.destinationField()) + "takes a value only, not an edge (edge " + i + " from node '" + edge.sourceNode() + "')");
            }
            if (!input.kind().accepts(output)) {
                throw invalid("edge " + i + ": output '" + edge.sourceField() + "' of node '" + edge.sourceNode() + "' is "
                        + output.describe() + ", but input '" + edge.destinationField() + "' of node '" + edge.destinationNode()
                        + "' takes " + input.kind().describe());
            }
            String target = edge.destinationNode() + "." + edge.destinationField();
            if (feeds.merge(target, 1, Integer::sum) > 1 && !input.takesManyEdges()) {
                throw invalid(where(edge.destinationNode(), destinationSpec.type(), edge.destinationField())
                        + "takes at most one edge");
            }
            edges.add(edge);
        }
        return edges;
    }

    private static Edge edge(Object raw, int index) {
        if (raw instanceof Map<?, ?> edge && edge.get("source") instanceof Map<?, ?> source
                && edge.get("destination") instanceof Map<?, ?> destination
                && source.get("node_id") instanceof String sourceNode && source.get("field") instanceof String sourceField
                && destination.get("node_id") instanceof String destinationNode && destination.get("field") instanceof String destinationField) {
            return new Edge(sourceNode, sourceField, destinationNode, destinationField);
        }
        throw invalid("edge " + index + " must be {\"source\": {\"node_id\", \"field\"}, \"destination\": {\"node_id\", \"field\"}}");
    }

    private static Node typed(String nodeId, NodeType type, Map<?, ?> node, List<Edge> incoming, Set<String> provided,
                              GraphLimits limits) {
        NodeSpec spec = type.spec();
        Set<String> fed = new HashSet<>();
        incoming.forEach(edge -> fed.add(edge.destinationField()));
        Map<String, Object> literals = new LinkedHashMap<>();
        for (Input<?> input : spec.inputs()) {
            Object value = node.get(input.name());
            if (value != null) {
                checkDirect(nodeId, spec.type(), input);
                checkValue(nodeId, spec.type(), input, value);
                literals.put(input.name(), input.convert(value));
            }
            boolean given = value != null || fed.contains(input.name()) || provided.contains(nodeId + "." + input.name());
            if (input.isRequired() && !given) {
                throw invalid(nodeId, input.name(), where(nodeId, spec.type(), input.name()) + "is required: give it a value or connect an edge to it");
            }
        }
        checkLimits(limits, nodeId, spec, input -> literals.containsKey(input.name()) ? literals.get(input.name())
                : fed.contains(input.name()) || provided.contains(nodeId + "." + input.name()) ? null : input.defaultValue());
        if (spec.acceptsAnyField()) {
            node.forEach((key, value) -> {
                String name = String.valueOf(key);
                if (value != null && !COMMON_KEYS.contains(name) && !literals.containsKey(name)) {
                    literals.put(name, value);
                }
            });
        }
        return new Node(nodeId, type, Collections.unmodifiableMap(literals), (Boolean) node.get("is_intermediate"),
                (Boolean) node.get("use_cache"));
    }

    private static final Set<String> COMMON_KEYS = Set.of("id", "type", "is_intermediate", "use_cache");

    /** An input only an edge may set ({@code Input.Connection}) refuses a value. */
    private static void checkDirect(String nodeId, String type, Input<?> input) {
        if (input.mode() == Input.Mode.CONNECTION) {
            throw invalid(nodeId, input.name(), where(nodeId, type, input.name())
                    + "is set only by an edge from another node's output, not by a value; remove the value and connect an edge");
        }
    }

    static void checkValue(String nodeId, String type, Input<?> input, Object value) {
        if (!input.kind().fits(value)) {
            throw invalid(nodeId, input.name(), where(nodeId, type, input.name()) + "must be " + input.kind().describe());
        }
        if (input.kind() == FieldKind.CHOICE && !input.choices().isEmpty() && !input.choices().contains(value)) {
            throw invalid(nodeId, input.name(), where(nodeId, type, input.name()) + "must be one of " + input.choices());
        }
        if (input.rule() != null) {
            String problem = input.rule().problem(value);
            if (problem != null) {
                throw invalid(nodeId, input.name(), where(nodeId, type, input.name()) + problem);
            }
        }
    }

    private static List<String> topologicalOrder(Collection<String> ids, List<Edge> edges) {
        Map<String, Integer> indegree = new LinkedHashMap<>();
        Map<String, List<String>> next = new HashMap<>();
        ids.forEach(id -> indegree.put(id, 0));
        for (Edge edge : edges) {
            indegree.merge(edge.destinationNode(), 1, Integer::sum);
            next.computeIfAbsent(edge.sourceNode(), k -> new ArrayList<>()).add(edge.destinationNode());
        }
        Deque<String> ready = new ArrayDeque<>();
        indegree.forEach((id, degree) -> {
            if (degree == 0) {
                ready.add(id);
            }
        });
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            String id = ready.poll();
            order.add(id);
            for (String successor : next.getOrDefault(id, List.of())) {
                if (indegree.merge(successor, -1, Integer::sum) == 0) {
                    ready.add(successor);
                }
            }
        }
        if (order.size() < ids.size()) {
            List<String> inCycle = ids.stream().filter(id -> !order.contains(id)).sorted().toList();
            throw invalid("the graph has a cycle through nodes " + inCycle);
        }
        return List.copyOf(order);
    }

    static String where(String nodeId, String type, String field) {
        return "node '" + nodeId + "' (" + type + "), field '" + field + "': ";
    }

    static DomainException invalid(String problem) {
        return DomainException.unprocessable("Invalid graph: " + problem);
    }

    /** A problem with one field of one node: located at {@code nodes, <node id>, <field>} of the graph. */
    static DomainException invalid(String nodeId, String field, String problem) {
        return DomainException.unprocessable("Invalid graph: " + problem,
                new DomainException.Location(List.of("nodes", nodeId, field), "value_error"));
    }
}

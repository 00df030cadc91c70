package org.invokej.inference.graph.nodes;

import org.invokej.inference.graph.GraphLimits;
import org.invokej.inference.graph.NodeType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node types this server runs, by InvokeAI type name: the one list graphs are checked and run
 * against (and invocation schemas are written from). A new node type is a class and a line here.
 */
public final class NodeTypes {

    private static final NodeTypes STANDARD = new NodeTypes(List.of(
            new MainModelLoader(),
            new SdxlModelLoader(),
            new VaeLoader(),
            new LoraSelector(),
            new LoraLoader(),
            new SdxlLoraLoader(),
            new LoraCollectionLoader(),
            new SdxlLoraCollectionLoader(),
            new ClipSkip(),
            new Compel(),
            new SdxlCompelPrompt(),
            new Collect(),
            new StringPrimitive(),
            new IntegerPrimitive(),
            new FloatPrimitive(),
            new RandomInteger(),
            new Noise(),
            new DenoiseLatents(),
            new CreateDenoiseMask(),
            new CreateGradientMask(),
            new LatentsToImage(),
            new ImageToLatents(),
            new ImageResize(),
            new SaveImage(),
            new CoreMetadata()));

    private final Map<String, NodeType> byType;
    private final GraphLimits limits;

    /** A registry of {@code types} with the default limits; their type names must differ. */
    public NodeTypes(List<NodeType> types) {
        this(types, GraphLimits.DEFAULT);
    }

    /** A registry of {@code types} whose graphs are held to {@code limits}; their type names must differ. */
    public NodeTypes(List<NodeType> types, GraphLimits limits) {
        Map<String, NodeType> map = new LinkedHashMap<>();
        for (NodeType type : types) {
            if (map.put(type.spec().type(), type) != null) {
                throw new IllegalArgumentException("two node types are named " + type.spec().type());
            }
        }
        this.byType = Map.copyOf(map);
        this.limits = limits;
    }

    /** The node types this server runs, with the default limits. */
    public static NodeTypes standard() {
        return STANDARD;
    }

    /** The same node types, their graphs held to {@code other} limits (the settings'). */
    public NodeTypes withLimits(GraphLimits other) {
        return new NodeTypes(List.copyOf(byType.values()), other);
    }

    /** The sizes and step counts graphs of these types may ask for. */
    public GraphLimits limits() {
        return limits;
    }

    public Optional<NodeType> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** Every registered type. */
    public List<NodeType> all() {
        return byType.values().stream().sorted(java.util.Comparator.comparing(type -> type.spec().type())).toList();
    }

    /** The type names, sorted, for error messages and documentation. */
    public List<String> names() {
        return byType.keySet().stream().sorted().toList();
    }
}

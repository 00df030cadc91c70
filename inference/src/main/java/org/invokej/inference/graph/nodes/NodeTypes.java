package org.invokej.inference.graph.nodes;

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

    /** A registry of {@code types}; their type names must differ. */
    public NodeTypes(List<NodeType> types) {
        Map<String, NodeType> map = new LinkedHashMap<>();
        for (NodeType type : types) {
            if (map.put(type.spec().type(), type) != null) {
                throw new IllegalArgumentException("two node types are named " + type.spec().type());
            }
        }
        this.byType = Map.copyOf(map);
    }

    public static NodeTypes standard() {
        return STANDARD;
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

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
            new ImageCrop(),
            new ImagePaste(),
            new MaskFromAlpha(),
            new MaskCombine(),
            new ExpandMaskWithFade(),
            new ApplyMaskToImage(),
            new ImageLayerBlend(),
            new CanvasPasteBack(),
            new InfillTile(),
            new InfillColor(),
            new ImageNoise(),
            new SaveImage(),
            new CoreMetadata()));

    /**
     * InvokeAI node types this server knows and refuses at enqueue, with what to use instead: infill
     * methods that need a model or a native library this server does not have (InvokeAI's canvas picks
     * one in its "Infill Method" setting; LaMa is its default).
     */
    private static final Map<String, String> REFUSED = Map.of(
            "infill_lama", "needs the LaMa model, which this server does not run",
            "infill_cv2", "needs OpenCV's inpainting, which this server does not include",
            "infill_patchmatch", "needs PatchMatch, which this server does not include");
    private static final String INFILL_INSTEAD = "; use infill_tile or infill_rgba instead (in InvokeAI's canvas:"
            + " Infill Method \"Tile\" or \"Color\")";

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

    /** Why this server refuses node type {@code type} and what to use instead, for a type it knows but does not run. */
    public Optional<String> refusal(String type) {
        String reason = REFUSED.get(type);
        return reason == null ? Optional.empty()
                : Optional.of("is not supported by this server: " + type + " " + reason + INFILL_INSTEAD);
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

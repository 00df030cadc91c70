package org.invokej.inference.graph;

import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.ClipField;
import org.invokej.inference.graph.fields.DenoiseMaskField;
import org.invokej.inference.graph.fields.ImageField;
import org.invokej.inference.graph.fields.LatentsField;
import org.invokej.inference.graph.fields.LoraField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.graph.fields.UNetField;
import org.invokej.inference.graph.fields.VaeField;

import java.util.List;
import java.util.Objects;

/**
 * One input field of a node type, declared once with everything InvokeAI's invocation schema says of
 * it: name, kind, default, whether it is required, how it may be given ({@link Mode}), value rules,
 * title, description and UI type. {@code T} is the Java value a node reads with {@link Inputs#get}.
 * Declared as constants of the node class: {@code Input.integer("steps").defaultsTo(10L).rule(Rules.POSITIVE)}.
 */
public final class Input<T> {

    /** InvokeAI's {@code input}: set in the graph, only by an edge, or either. */
    public enum Mode { DIRECT, CONNECTION, ANY }

    /**
     * What a limit from the settings bounds ({@link GraphLimits}): the width or height of an image the
     * node makes, of the latents it makes (a generation's size), or a step count. A node's width and
     * height of one kind are checked together, as pixels.
     */
    public enum Limit { NONE, IMAGE_WIDTH, IMAGE_HEIGHT, GENERATION_WIDTH, GENERATION_HEIGHT, STEPS }

    /** A further check of a literal value; returns a problem ("must be …") or null. */
    @FunctionalInterface
    public interface ValueRule {
        String problem(Object value);
    }

    private final String name;
    private final FieldKind kind;
    private final T defaultValue;
    private final boolean required;
    private final Mode mode;
    private final List<String> choices;
    private final ValueRule rule;
    private final boolean manyEdges;
    private final String title;
    private final String description;
    private final String uiType;
    private final Limit limit;

    private Input(String name, FieldKind kind, T defaultValue, boolean required, Mode mode, List<String> choices, ValueRule rule,
                  boolean manyEdges, String title, String description, String uiType, Limit limit) {
        this.name = Objects.requireNonNull(name);
        this.kind = Objects.requireNonNull(kind);
        this.defaultValue = defaultValue;
        this.required = required;
        this.mode = mode;
        this.choices = List.copyOf(choices);
        this.rule = rule;
        this.manyEdges = manyEdges;
        this.title = title;
        this.description = description;
        this.uiType = uiType;
        this.limit = limit;
    }

    private static <T> Input<T> of(String name, FieldKind kind) {
        return new Input<>(name, kind, null, false, Mode.ANY, List.of(), null, false, null, null, null, Limit.NONE);
    }

    public static Input<String> string(String name) { return of(name, FieldKind.STRING); }
    public static Input<Long> integer(String name) { return of(name, FieldKind.INTEGER); }
    public static Input<Double> number(String name) { return of(name, FieldKind.FLOAT); }
    public static Input<Boolean> bool(String name) { return of(name, FieldKind.BOOLEAN); }
    public static Input<ImageField> image(String name) { return of(name, FieldKind.IMAGE); }
    public static Input<BoardField> board(String name) { return of(name, FieldKind.BOARD); }
    public static Input<org.invokej.inference.graph.fields.ColorField> color(String name) { return of(name, FieldKind.COLOR); }
    public static Input<ModelIdentifier> model(String name) { return of(name, FieldKind.MODEL); }
    public static Input<LatentsField> latents(String name) { return of(name, FieldKind.LATENTS); }
    public static Input<LoraField> lora(String name) { return of(name, FieldKind.LORA); }
    public static Input<DenoiseMaskField> denoiseMask(String name) { return of(name, FieldKind.DENOISE_MASK); }
    public static Input<UNetField> unet(String name) { return of(name, FieldKind.UNET); }
    public static Input<ClipField> clip(String name) { return of(name, FieldKind.CLIP); }
    public static Input<VaeField> vae(String name) { return of(name, FieldKind.VAE); }
    public static Input<MetadataField> metadata(String name) { return of(name, FieldKind.METADATA); }
    /** A conditioning or a list of them, as given; read with {@link Inputs#list}. */
    public static Input<Object> conditionings(String name) { return of(name, FieldKind.CONDITIONING_OR_LIST); }
    /** A number or one per step, as given; read with {@link Inputs#list}. */
    public static Input<Object> numbers(String name) { return of(name, FieldKind.FLOAT_OR_LIST); }
    public static Input<List<Object>> collection(String name) { return of(name, FieldKind.COLLECTION); }
    public static Input<Object> any(String name) { return of(name, FieldKind.ANY); }

    /** One of {@code choices}, {@code defaultValue} unless given. */
    public static Input<String> choice(String name, String defaultValue, List<String> choices) {
        return new Input<>(name, FieldKind.CHOICE, defaultValue, false, Mode.ANY, choices, null, false, null, null, null, Limit.NONE);
    }

    /** A free word checked by {@code rule} (e.g. a scheduler name). */
    public static Input<String> word(String name) { return of(name, FieldKind.CHOICE); }

    public Input<T> defaultsTo(T value) {
        return new Input<>(name, kind, value, required, mode, choices, rule, manyEdges, title, description, uiType, limit);
    }

    /** The node cannot run without a value, from the graph or an edge. */
    public Input<T> required() {
        return new Input<>(name, kind, defaultValue, true, mode, choices, rule, manyEdges, title, description, uiType, limit);
    }

    public Input<T> mode(Mode how) {
        return new Input<>(name, kind, defaultValue, required, how, choices, rule, manyEdges, title, description, uiType, limit);
    }

    /** Only by an edge ({@code input=Input.Connection}): a value in the graph or in batch data is refused. */
    public Input<T> connectionOnly() {
        return mode(Mode.CONNECTION);
    }

    /** Only by a value in the graph or batch data ({@code input=Input.Direct}): an edge into it is refused. */
    public Input<T> directOnly() {
        return mode(Mode.DIRECT);
    }

    public Input<T> rule(ValueRule check) {
        return new Input<>(name, kind, defaultValue, required, mode, choices, check, manyEdges, title, description, uiType, limit);
    }

    /** Takes any number of edges, read as the list of their values ({@code collect.item}). */
    public Input<T> manyEdges() {
        return new Input<>(name, kind, defaultValue, required, mode, choices, rule, true, title, description, uiType, limit);
    }

    public Input<T> title(String text) {
        return new Input<>(name, kind, defaultValue, required, mode, choices, rule, manyEdges, text, description, uiType, limit);
    }

    public Input<T> description(String text) {
        return new Input<>(name, kind, defaultValue, required, mode, choices, rule, manyEdges, title, text, uiType, limit);
    }

    public Input<T> uiType(String type) {
        return new Input<>(name, kind, defaultValue, required, mode, choices, rule, manyEdges, title, description, type, limit);
    }

    /** Bounded by the setting behind {@code what} (checked at enqueue and again when the node runs). */
    public Input<T> limitedBy(Limit what) {
        return new Input<>(name, kind, defaultValue, required, mode, choices, rule, manyEdges, title, description, uiType, what);
    }

    public String name() { return name; }
    public FieldKind kind() { return kind; }
    public T defaultValue() { return defaultValue; }
    public boolean isRequired() { return required; }
    public Mode mode() { return mode; }
    public List<String> choices() { return choices; }
    public ValueRule rule() { return rule; }
    public boolean takesManyEdges() { return manyEdges; }
    public String title() { return title; }
    public String description() { return description; }
    public String uiType() { return uiType; }
    public Limit limit() { return limit; }

    /** {@code value} (a literal, a default or an output) as this input's Java value. */
    @SuppressWarnings("unchecked")
    T convert(Object value) {
        return (T) kind.convert(value);
    }

    @Override
    public String toString() {
        return name + ": " + kind;
    }
}

package org.invokej.inference.graph;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import org.invokej.inference.graph.fields.BoardField;
import org.invokej.inference.graph.fields.ClipField;
import org.invokej.inference.graph.fields.ColorField;
import org.invokej.inference.graph.fields.ConditioningField;
import org.invokej.inference.graph.fields.DenoiseMaskField;
import org.invokej.inference.graph.fields.ImageField;
import org.invokej.inference.graph.fields.LatentsField;
import org.invokej.inference.graph.fields.LoraField;
import org.invokej.inference.graph.fields.MetadataField;
import org.invokej.inference.graph.fields.ModelIdentifier;
import org.invokej.inference.graph.fields.UNetField;
import org.invokej.inference.graph.fields.VaeField;

import java.util.List;
import java.util.Map;

/**
 * The value kinds of node inputs and outputs: what a literal of each looks like in graph JSON, which
 * outputs may feed which inputs, InvokeAI's name for it (schemas) and the Java value it becomes.
 */
public enum FieldKind {
    STRING("str", String.class),
    INTEGER("int", Long.class),
    FLOAT("float", Double.class),
    BOOLEAN("bool", Boolean.class),
    /** {@code {"image_name": …}} */
    IMAGE("ImageField", ImageField.class),
    /** {@code {"r": …, "g": …, "b": …, "a": …}}, each 0…255 */
    COLOR("ColorField", ColorField.class),
    /** {@code {"board_id": …}} */
    BOARD("BoardField", BoardField.class),
    /** {@code {"key": …, …}}: a model identifier (the web UI sends the whole model config). */
    MODEL("ModelIdentifierField", ModelIdentifier.class),
    /** {@code {"lora": {"key": …}, "weight": …}} */
    LORA("LoRAField", LoraField.class),
    LATENTS("LatentsField", LatentsField.class),
    CONDITIONING("ConditioningField", ConditioningField.class),
    /** {@code {"mask_name": …, "masked_latents_name": …, "gradient": …}} */
    DENOISE_MASK("DenoiseMaskField", DenoiseMaskField.class),
    UNET("UNetField", UNetField.class),
    CLIP("CLIPField", ClipField.class),
    VAE("VAEField", VaeField.class),
    /** Any JSON object. */
    METADATA("MetadataField", MetadataField.class),
    /** A conditioning, or a list of them (from a {@code collect}); kept in the shape given. */
    CONDITIONING_OR_LIST("ConditioningField | list[ConditioningField]", Object.class),
    /** A number, or one per step; kept in the shape given. */
    FLOAT_OR_LIST("float | list[float]", Object.class),
    /** A list of anything. */
    COLLECTION("list[Any]", List.class),
    ANY("Any", Object.class),
    /** One of a fixed set of words (see the input's choices). */
    CHOICE("Literal", String.class);

    private static final JavaType CONDITIONINGS = GraphJson.MAPPER.getTypeFactory().constructType(new TypeReference<List<ConditioningField>>() { });
    private static final JavaType FLOATS = GraphJson.MAPPER.getTypeFactory().constructType(new TypeReference<List<Double>>() { });

    private final String invokeName;
    private final Class<?> javaType;

    FieldKind(String invokeName, Class<?> javaType) {
        this.invokeName = invokeName;
        this.javaType = javaType;
    }

    /** InvokeAI's name of this kind, as its schemas show it. */
    public String invokeName() {
        return invokeName;
    }

    /** The Java class values of this kind have. */
    public Class<?> javaType() {
        return javaType;
    }

    /**
     * A value of this kind from a JSON literal, a default or another node's output: the typed record it
     * stands for. Lists and "or list" kinds keep their shape.
     */
    public Object convert(Object value) {
        if (value == null) {
            return null;
        }
        return switch (this) {
            case ANY -> value;
            case COLLECTION -> List.copyOf((List<?>) value);
            case CONDITIONING_OR_LIST -> value instanceof List<?> list ? List.copyOf(GraphJson.MAPPER.<List<ConditioningField>>convertValue(list, CONDITIONINGS))
                    : CONDITIONING.convert(value);
            case FLOAT_OR_LIST -> value instanceof List<?> list ? List.copyOf(GraphJson.MAPPER.<List<Double>>convertValue(list, FLOATS))
                    : FLOAT.convert(value);
            default -> javaType.isInstance(value) ? value : GraphJson.MAPPER.convertValue(value, javaType);
        };
    }

    /** Whether an output of kind {@code source} may feed an input of this kind. */
    boolean accepts(FieldKind source) {
        return switch (this) {
            case ANY -> true;
            case FLOAT -> source == FLOAT || source == INTEGER;
            case FLOAT_OR_LIST -> source == FLOAT || source == INTEGER || source == COLLECTION || source == FLOAT_OR_LIST;
            case CONDITIONING_OR_LIST -> source == CONDITIONING || source == COLLECTION || source == CONDITIONING_OR_LIST;
            case COLLECTION -> source == COLLECTION;
            case STRING, CHOICE -> source == STRING;
            default -> source == this;
        };
    }

    /** Whether a literal JSON value fits this kind (null never does; that is handled by the caller). */
    boolean fits(Object value) {
        return switch (this) {
            case STRING -> value instanceof String || value instanceof Number;
            case INTEGER -> isInteger(value);
            case FLOAT -> value instanceof Number;
            case BOOLEAN -> value instanceof Boolean;
            case IMAGE -> hasText(value, "image_name");
            case BOARD -> hasText(value, "board_id");
            case COLOR -> value instanceof Map<?, ?> map && java.util.stream.Stream.of("r", "g", "b", "a")
                    .allMatch(key -> isInteger(map.get(key)) && ((Number) map.get(key)).longValue() >= 0
                            && ((Number) map.get(key)).longValue() <= 255);
            case MODEL -> hasText(value, "key");
            case LORA -> value instanceof Map<?, ?> map && MODEL.fits(map.get("lora")) && map.get("weight") instanceof Number;
            case LATENTS -> hasText(value, "latents_name");
            case CONDITIONING -> hasText(value, "conditioning_name");
            case DENOISE_MASK -> hasText(value, "mask_name");
            case UNET, CLIP, VAE, METADATA -> value instanceof Map;
            case CONDITIONING_OR_LIST -> CONDITIONING.fits(value)
                    || value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(CONDITIONING::fits);
            case FLOAT_OR_LIST -> value instanceof Number
                    || value instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(item -> item instanceof Number);
            case COLLECTION -> value instanceof List;
            case ANY -> true;
            case CHOICE -> value instanceof String;
        };
    }

    /** How a person reads this kind in an error message. */
    String describe() {
        return switch (this) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case FLOAT -> "a number";
            case BOOLEAN -> "a boolean";
            case IMAGE -> "an image ({\"image_name\": …})";
            case BOARD -> "a board ({\"board_id\": …})";
            case COLOR -> "a color ({\"r\": …, \"g\": …, \"b\": …, \"a\": …}, each 0 to 255)";
            case MODEL -> "a model identifier ({\"key\": …})";
            case LORA -> "a LoRA ({\"lora\": {\"key\": …}, \"weight\": …})";
            case LATENTS -> "latents";
            case CONDITIONING -> "a conditioning";
            case DENOISE_MASK -> "a denoise mask";
            case UNET -> "a UNet field";
            case CLIP -> "a CLIP field";
            case VAE -> "a VAE field";
            case METADATA -> "an object";
            case CONDITIONING_OR_LIST -> "a conditioning or a list of them";
            case FLOAT_OR_LIST -> "a number or a list of numbers";
            case COLLECTION -> "a list";
            case ANY -> "any value";
            case CHOICE -> "one of the allowed words";
        };
    }

    /** The kind of an output record's component of Java type {@code type}. */
    static FieldKind ofOutput(Class<?> type) {
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return INTEGER;
        }
        if (type == double.class || type == Double.class) {
            return FLOAT;
        }
        if (type == boolean.class || type == Boolean.class) {
            return BOOLEAN;
        }
        if (List.class.isAssignableFrom(type)) {
            return COLLECTION;
        }
        for (FieldKind kind : values()) {
            if (kind.javaType == type && kind != ANY) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no field kind for output values of " + type);
    }

    static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger
                || value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && !Double.isInfinite(number.doubleValue());
    }

    private static boolean hasText(Object value, String key) {
        return value instanceof Map<?, ?> map && map.get(key) instanceof String text && !text.isEmpty();
    }
}

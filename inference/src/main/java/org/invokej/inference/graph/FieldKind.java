package org.invokej.inference.graph;

import java.util.List;
import java.util.Map;

/** The value kinds of node inputs and outputs, with what a literal of each looks like in graph JSON. */
enum FieldKind {
    STRING, INTEGER, FLOAT, BOOLEAN,
    /** {@code {"image_name": …}} */
    IMAGE,
    /** {@code {"board_id": …}} */
    BOARD,
    /** {@code {"key": …, …}}: a model identifier (the web UI sends the whole model config). */
    MODEL,
    LATENTS, CONDITIONING, UNET, CLIP, VAE,
    /** Any JSON object. */
    METADATA,
    /** A conditioning, or a list of them (from a {@code collect}). */
    CONDITIONING_OR_LIST,
    /** A number, or one per step. */
    FLOAT_OR_LIST,
    /** A list of anything. */
    COLLECTION,
    ANY,
    /** One of a fixed set of words (see the input's choices). */
    CHOICE;

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
            case MODEL -> hasText(value, "key");
            case LATENTS -> hasText(value, "latents_name");
            case CONDITIONING -> hasText(value, "conditioning_name");
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
            case MODEL -> "a model identifier ({\"key\": …})";
            case LATENTS -> "latents";
            case CONDITIONING -> "a conditioning";
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

    static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger
                || value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && !Double.isInfinite(number.doubleValue());
    }

    private static boolean hasText(Object value, String key) {
        return value instanceof Map<?, ?> map && map.get(key) instanceof String text && !text.isEmpty();
    }
}

package org.invokej.inference.graph;

import java.util.List;

/**
 * One input of a node type.
 *
 * @param defaultValue the value when neither the graph nor an edge gives one (null: none)
 * @param required     whether the node cannot run without a value (from the graph or an edge)
 * @param choices      the allowed words of a {@link FieldKind#CHOICE} input
 * @param rule         extra checks of a literal value (ranges, multiples), null for none
 */
record InputSpec(String name, FieldKind kind, Object defaultValue, boolean required, List<String> choices, ValueRule rule) {

    /** A further check of a literal value; returns a problem ("must be …") or null. */
    @FunctionalInterface
    interface ValueRule {
        String problem(Object value);
    }

    static InputSpec optional(String name, FieldKind kind, Object defaultValue) {
        return new InputSpec(name, kind, defaultValue, false, List.of(), null);
    }

    static InputSpec required(String name, FieldKind kind) {
        return new InputSpec(name, kind, null, true, List.of(), null);
    }

    static InputSpec choice(String name, String defaultValue, List<String> choices) {
        return new InputSpec(name, FieldKind.CHOICE, defaultValue, false, List.copyOf(choices), null);
    }

    InputSpec withRule(ValueRule check) {
        return new InputSpec(name, kind, defaultValue, required, choices, check);
    }
}

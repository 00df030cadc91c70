package org.invokej.inference.graph;

import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a node type declares: its InvokeAI type name and title, its inputs in order, its output's type
 * name and record (whose components are the output fields), and whether its results may be cached by
 * default ({@code use_cache}). Built with {@link #of} and the {@code with…} steps.
 *
 * @param acceptsAnyField whether the node takes fields it does not declare ({@code core_metadata})
 */
public record NodeSpec(String type, String title, String description, List<String> tags, String category, String version,
                       List<Input<?>> inputs, String outputType, Class<? extends InvocationOutput> outputClass,
                       boolean useCacheDefault, boolean acceptsAnyField) {

    public NodeSpec {
        inputs = List.copyOf(inputs);
        tags = List.copyOf(tags);
        if (!outputClass.isRecord()) {
            throw new IllegalArgumentException(type + ": the output of a node must be a record");
        }
    }

    public static NodeSpec of(String type, String title, List<Input<?>> inputs, String outputType,
                              Class<? extends InvocationOutput> outputClass) {
        return new NodeSpec(type, title, null, List.of(), "", "1.0.0", inputs, outputType, outputClass, true, false);
    }

    public NodeSpec withDescription(String text, String category, String version, String... tagWords) {
        return new NodeSpec(type, title, text, List.of(tagWords), category, version, inputs, outputType, outputClass, useCacheDefault,
                acceptsAnyField);
    }

    /** Results are not reused by default (random values, side effects). */
    public NodeSpec withoutCache() {
        return new NodeSpec(type, title, description, tags, category, version, inputs, outputType, outputClass, false, acceptsAnyField);
    }

    public NodeSpec withAnyField() {
        return new NodeSpec(type, title, description, tags, category, version, inputs, outputType, outputClass, useCacheDefault, true);
    }

    /** The declared input {@code name}. */
    public Optional<Input<?>> input(String name) {
        return inputs.stream().filter(input -> input.name().equals(name)).findFirst();
    }

    /** The output fields, in the record's order, with their kinds. */
    public Map<String, FieldKind> outputs() {
        Map<String, FieldKind> outputs = new LinkedHashMap<>();
        for (RecordComponent component : outputClass.getRecordComponents()) {
            outputs.put(snakeCase(component.getName()), FieldKind.ofOutput(component.getType()));
        }
        return outputs;
    }

    /** The value of output field {@code field} in {@code output} (a record of {@link #outputClass}). */
    static Object outputValue(InvocationOutput output, String field) {
        for (RecordComponent component : output.getClass().getRecordComponents()) {
            if (snakeCase(component.getName()).equals(field)) {
                try {
                    return component.getAccessor().invoke(output);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read output " + field + " of " + output, e);
                }
            }
        }
        throw new IllegalArgumentException(output.getClass().getSimpleName() + " has no output " + field);
    }

    private static String snakeCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}

package org.invokej.inference.graph;

import org.invokej.inference.graph.fields.ConditioningField;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's input values as it runs, typed: declared defaults, then the graph's literals, then what its
 * edges bring. Read with {@link #get}; the undeclared fields of a node that takes any field
 * ({@code core_metadata}) with {@link #fields}.
 */
public final class Inputs {

    private final String type;
    private final boolean intermediate;
    private final boolean useCache;
    private final Map<String, Object> values;

    Inputs(String type, boolean intermediate, boolean useCache, Map<String, Object> values) {
        this.type = type;
        this.intermediate = intermediate;
        this.useCache = useCache;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String type() {
        return type;
    }

    /** InvokeAI's {@code is_intermediate}: the images it saves are hidden from the gallery. */
    public boolean isIntermediate() {
        return intermediate;
    }

    public boolean useCache() {
        return useCache;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Input<T> input) {
        return (T) values.get(input.name());
    }

    /** The value of an "or list" or collection input as a list of {@code type} values. */
    public <T> List<T> list(Input<?> input, Class<T> elementType) {
        Object value = values.get(input.name());
        List<?> list = value == null ? List.of() : value instanceof List<?> many ? many : List.of(value);
        return list.stream().map(item -> elementType.isInstance(item) ? elementType.cast(item)
                : GraphJson.MAPPER.convertValue(item, elementType)).toList();
    }

    /** The conditionings of an input that takes one or a list. */
    public List<ConditioningField> conditionings(Input<?> input) {
        return list(input, ConditioningField.class);
    }

    /** Every field with its value, by name, in order (declared ones first). */
    public Map<String, Object> fields() {
        return values;
    }

    /** A copy with {@code field} set to {@code value} (for {@link NodeType#prepare}). */
    public Inputs with(String field, Object value) {
        Map<String, Object> changed = new LinkedHashMap<>(values);
        changed.put(field, value);
        return new Inputs(type, intermediate, useCache, changed);
    }
}

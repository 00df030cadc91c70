package org.invokej.inference.graph.fields;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * InvokeAI's {@code MetadataField}: free-form JSON written into the image (seed, prompts, model, …).
 * Its values are plain JSON values (maps, lists, strings, numbers, booleans), in the order given.
 */
public record MetadataField(Map<String, Object> values) {

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public MetadataField {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    @JsonValue
    @Override
    public Map<String, Object> values() {
        return values;
    }
}

package org.invokej.inference.graph;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How the typed values of a graph (fields, outputs) become InvokeAI's JSON and back: snake_case names,
 * nulls written, unknown properties (a whole model config sent as an identifier) ignored. Used at the
 * edges only: parsing a graph, and the session, results and events handed to the queue.
 */
public final class GraphJson {

    /** Configured once, then only read. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private GraphJson() {
    }

    /** {@code value} as plain JSON values (maps, lists, strings, numbers, booleans). */
    public static Object plain(Object value) {
        return MAPPER.convertValue(value, Object.class);
    }

    /** A typed object (a record) as a JSON object of plain values, in its declared order. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> object(Object value) {
        return value == null ? null : new LinkedHashMap<>(MAPPER.convertValue(value, Map.class));
    }
}

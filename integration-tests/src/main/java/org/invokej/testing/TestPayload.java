package org.invokej.testing;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import org.invokej.core.events.EventPayload;
import org.invokej.core.events.ServerEvent;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An event payload a test makes up ({@code {"n": 1}}), to publish through the real delivery; and an
 * event's payload as JSON, written the way the live connection writes it.
 */
public record TestPayload(Map<String, Object> fields) implements EventPayload {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    public TestPayload {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static TestPayload of(Map<String, ?> fields) {
        return new TestPayload(new LinkedHashMap<>(fields));
    }

    @JsonValue
    @Override
    public Map<String, Object> fields() {
        return fields;
    }

    /** {@code event}'s payload as the JSON clients receive (without the timestamp the delivery adds). */
    public static JsonNode json(ServerEvent event) {
        return JSON.valueToTree(event.payload());
    }
}

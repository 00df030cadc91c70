package org.invokej.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.Map;

/** JSON columns (sessions, graphs, workflows) as plain maps and lists. */
final class JsonText {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonText() {
    }

    static String write(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot store a value as JSON", e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(String text) {
        return text == null ? null : read(text, Map.class);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(String text) {
        return text == null ? null : read(text, List.class);
    }

    static <T> T read(String text, Class<T> type) {
        try {
            return MAPPER.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable JSON in the database", e);
        }
    }
}

package org.invokej.core.queue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Graphs and sessions are plain JSON values here (maps, lists, strings, numbers, booleans, null). */
final class JsonValues {

    private JsonValues() {
    }

    @SuppressWarnings("unchecked")
    static <T> T deepCopy(T value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, item) -> copy.put(String.valueOf(key), deepCopy(item)));
            return (T) copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(item -> copy.add(deepCopy(item)));
            return (T) copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> node(Map<String, Object> graph, String nodeId) {
        return (Map<String, Object>) ((Map<String, Object>) graph.get("nodes")).get(nodeId);
    }
}

package org.invokej.core.queue;

import org.invokej.core.DomainException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a batch into sessions as InvokeAI does (api-shapes §4.1): the datums of each inner list are
 * zipped, the inner lists multiplied out (the first varies slowest), the whole repeated {@code runs}
 * times, and each combination's values written into a copy of the graph.
 */
public final class BatchExpansion {

    /** One session to enqueue: its graph with the values in, and which values those were. */
    public record Session(Map<String, Object> graph, List<Map<String, Object>> fieldValues) {
    }

    private BatchExpansion() {
    }

    /** Checks the batch's data against its graph; refusals are 422s. Returns what the checked graph uses. */
    public static GraphChecker.CheckedGraph check(Batch batch, GraphChecker checker) {
        Set<String> seen = new HashSet<>();
        for (List<Batch.Datum> inner : batch.data()) {
            if (inner.isEmpty()) {
                throw DomainException.unprocessable("Invalid batch: an inner list of 'data' is empty");
            }
            int size = inner.get(0).items().size();
            for (Batch.Datum datum : inner) {
                if (datum.items().size() != size) {
                    throw DomainException.unprocessable("Invalid batch: the datums of one inner list must have the same number of items ("
                            + datum.nodePath() + "." + datum.fieldName() + " has " + datum.items().size() + ", not " + size + ")");
                }
                if (!seen.add(datum.nodePath() + "." + datum.fieldName())) {
                    throw DomainException.unprocessable("Invalid batch: " + datum.nodePath() + "." + datum.fieldName()
                            + " appears more than once in 'data'");
                }
                checkSameType(datum);
                for (Object item : datum.items()) {
                    checker.checkBatchValue(batch.graph(), datum.nodePath(), datum.fieldName(), item);
                }
            }
        }
        return checker.check(batch.graph(), seen);
    }

    /**
     * How many sessions the batch asks for; {@link Long#MAX_VALUE} when that does not fit in a long (a
     * small body with many inner lists multiplies out to an astronomical number, which must be refused
     * rather than wrap around).
     */
    public static long requested(Batch batch) {
        long product = batch.runs();
        try {
            for (List<Batch.Datum> inner : batch.data()) {
                product = Math.multiplyExact(product, inner.get(0).items().size());
            }
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
        return product;
    }

    /** The sessions of a checked batch, in InvokeAI's order. */
    public static List<Session> expand(Batch batch) {
        List<List<Map<String, Object>>> combinations = new ArrayList<>();
        combinations.add(List.of());
        for (List<Batch.Datum> inner : batch.data()) {
            List<List<Map<String, Object>>> next = new ArrayList<>();
            for (List<Map<String, Object>> prefix : combinations) {
                for (int i = 0; i < inner.get(0).items().size(); i++) {
                    List<Map<String, Object>> values = new ArrayList<>(prefix);
                    for (Batch.Datum datum : inner) {
                        Map<String, Object> value = new LinkedHashMap<>();
                        value.put("node_path", datum.nodePath());
                        value.put("field_name", datum.fieldName());
                        value.put("value", datum.items().get(i));
                        values.add(value);
                    }
                    next.add(values);
                }
            }
            combinations = next;
        }
        List<Session> sessions = new ArrayList<>();
        for (int run = 0; run < batch.runs(); run++) {
            for (List<Map<String, Object>> values : combinations) {
                Map<String, Object> graph = JsonValues.deepCopy(batch.graph());
                for (Map<String, Object> value : values) {
                    JsonValues.node(graph, (String) value.get("node_path")).put((String) value.get("field_name"),
                            JsonValues.deepCopy(value.get("value")));
                }
                sessions.add(new Session(graph, values.isEmpty() ? null : values));
            }
        }
        return sessions;
    }

    private static void checkSameType(Batch.Datum datum) {
        Set<String> kinds = new HashSet<>();
        for (Object item : datum.items()) {
            kinds.add(item instanceof Number ? "number" : item == null ? "null" : item instanceof Map ? "object"
                    : item instanceof List ? "list" : item.getClass().getSimpleName());
        }
        if (kinds.size() > 1) {
            throw DomainException.unprocessable("Invalid batch: the items of " + datum.nodePath() + "." + datum.fieldName()
                    + " must all be of one type, not " + kinds);
        }
    }
}

package org.invokej.http.queue;

import org.invokej.core.DomainException;
import org.invokej.core.queue.Batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads InvokeAI's {@code {"batch": Batch, "prepend": bool}} from a parsed JSON body, with 422s naming the field. */
final class BatchRequest {

    private BatchRequest() {
    }

    record Enqueue(Batch batch, boolean prepend) {
    }

    @SuppressWarnings("unchecked")
    static Enqueue parse(Map<String, Object> body) {
        Object prepend = body.get("prepend");
        if (prepend != null && !(prepend instanceof Boolean)) {
            throw invalid("'prepend' must be a boolean");
        }
        if (!(body.get("batch") instanceof Map<?, ?> rawBatch)) {
            throw invalid("'batch' is required and must be an object");
        }
        Map<String, Object> batch = (Map<String, Object>) rawBatch;
        if (!(batch.get("graph") instanceof Map<?, ?> graph)) {
            throw invalid("'batch.graph' is required and must be an object");
        }
        Object runs = batch.getOrDefault("runs", 1);
        if (!(runs instanceof Integer count) || count < 1) {
            throw invalid("'batch.runs' must be a whole number of at least 1");
        }
        Object workflow = batch.get("workflow");
        if (workflow != null && !(workflow instanceof Map)) {
            throw invalid("'batch.workflow' must be an object or null");
        }
        return new Enqueue(new Batch(text(batch, "batch_id"), text(batch, "origin"), text(batch, "destination"),
                data(batch.get("data")), (Map<String, Object>) graph, (Map<String, Object>) workflow, count),
                Boolean.TRUE.equals(prepend));
    }

    private static List<List<Batch.Datum>> data(Object raw) {
        if (raw == null) {
            return List.of();
        }
        if (!(raw instanceof List<?> outer)) {
            throw invalid("'batch.data' must be a list of lists of datums");
        }
        List<List<Batch.Datum>> data = new ArrayList<>();
        for (int i = 0; i < outer.size(); i++) {
            if (!(outer.get(i) instanceof List<?> inner)) {
                throw invalid("'batch.data[" + i + "]' must be a list of datums");
            }
            List<Batch.Datum> datums = new ArrayList<>();
            for (int j = 0; j < inner.size(); j++) {
                String where = "'batch.data[" + i + "][" + j + "]'";
                if (!(inner.get(j) instanceof Map<?, ?> datum) || !(datum.get("node_path") instanceof String node)
                        || !(datum.get("field_name") instanceof String field) || !(datum.get("items") instanceof List<?> items)) {
                    throw invalid(where + " must be {\"node_path\": string, \"field_name\": string, \"items\": list}");
                }
                datums.add(new Batch.Datum(node, field, new ArrayList<>(items)));
            }
            data.add(datums);
        }
        return data;
    }

    private static String text(Map<String, Object> batch, String field) {
        Object value = batch.get(field);
        if (value != null && !(value instanceof String)) {
            throw invalid("'batch." + field + "' must be a string or null");
        }
        return (String) value;
    }

    private static DomainException invalid(String problem) {
        return DomainException.unprocessable("Invalid batch: " + problem);
    }
}

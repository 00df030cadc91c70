package org.invokej.http.queue;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.invokej.core.DomainException;
import org.invokej.core.queue.QueuePayloads;
import org.invokej.core.queue.QueueService;
import org.invokej.http.Json;
import org.invokej.http.QueryParams;
import org.invokej.http.auth.Caller;
import org.invokej.http.auth.Requirement;
import org.invokej.core.auth.ApiKeyScope;
import org.invokej.http.auth.RouteAccess;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/v1/queue/{queue_id}/…}: InvokeAI's session queue routes (invokeai-api-shapes.md §4). */
public final class SessionQueueRoutes implements HttpService {

    private final Json json;
    private final QueueService queue;

    public SessionQueueRoutes(Json json, QueueService queue) {
        this.json = json;
        this.queue = queue;
    }

    /** Every queue route needs a user (anyone in single-user mode); pausing and resuming need an administrator. */
    public static void access(RouteAccess.Builder access) {
        access.route(Requirement.ADMIN_OR_DEFAULT, "/api/v1/queue/*/processor/**")
                .route(Requirement.USER_OR_DEFAULT, "/api/v1/queue/**")
                .keys(ApiKeyScope.QUEUE, "/api/v1/queue/**");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/{queue_id}/enqueue_batch", this::enqueue)
                .get("/{queue_id}/list_all", (req, res) -> json.send(res, queue.listAll(Caller.actor(req), queueId(req),
                        QueryParams.text(req, "destination").orElse(null)).stream().map(QueuePayloads::item).toList()))
                .get("/{queue_id}/item_ids", (req, res) -> {
                    boolean descending = !QueryParams.text(req, "order_dir").orElse("DESC").equalsIgnoreCase("ASC");
                    List<Long> ids = queue.itemIds(queueId(req), descending);
                    json.send(res, Map.of("item_ids", ids, "total_count", ids.size()));
                })
                .post("/{queue_id}/items_by_ids", (req, res) -> json.send(res,
                        queue.itemsByIds(Caller.actor(req), queueId(req), ids(req)).stream().map(QueuePayloads::item).toList()))
                .post("/{queue_id}/item_summaries_by_ids", (req, res) -> json.send(res,
                        queue.itemsByIds(Caller.actor(req), queueId(req), ids(req)).stream().map(QueuePayloads::summary).toList()))
                .get("/{queue_id}/i/{item_id}", (req, res) -> json.send(res,
                        QueuePayloads.withoutNulls(QueuePayloads.item(queue.get(Caller.actor(req), queueId(req), itemId(req))))))
                .get("/{queue_id}/current", (req, res) -> json.send(res, queue.current(Caller.actor(req), queueId(req))
                        .map(QueuePayloads::item).orElse(null)))
                .get("/{queue_id}/next", (req, res) -> json.send(res, queue.next(Caller.actor(req), queueId(req))
                        .map(QueuePayloads::item).orElse(null)))
                .get("/{queue_id}/status", (req, res) -> json.send(res, Map.of(
                        "queue", QueuePayloads.status(queue.status(Caller.actor(req), queueId(req))),
                        "processor", QueuePayloads.processor(queue.processor()))))
                .get("/{queue_id}/b/{batch_id}/status", (req, res) -> json.send(res, QueuePayloads.batchStatus(
                        queue.batchStatus(Caller.actor(req), queueId(req), req.path().pathParameters().get("batch_id")))))
                .get("/{queue_id}/counts_by_destination", this::countsByDestination)
                .put("/{queue_id}/i/{item_id}/cancel", (req, res) -> json.send(res,
                        QueuePayloads.item(queue.cancel(Caller.actor(req), queueId(req), itemId(req)))))
                .delete("/{queue_id}/i/{item_id}", (req, res) -> {
                    queue.delete(Caller.actor(req), queueId(req), itemId(req));
                    json.send(res, null);
                })
                .put("/{queue_id}/cancel_by_batch_ids", this::cancelByBatchIds)
                .put("/{queue_id}/cancel_by_destination", (req, res) -> json.send(res, Map.of("canceled",
                        queue.cancelByDestination(Caller.actor(req), queueId(req), destination(req)))))
                .put("/{queue_id}/cancel_all_except_current", (req, res) -> json.send(res, Map.of("canceled",
                        queue.cancelAllExceptCurrent(Caller.actor(req), queueId(req)))))
                .put("/{queue_id}/delete_all_except_current", (req, res) -> json.send(res, Map.of("deleted",
                        queue.deleteAllExceptCurrent(Caller.actor(req), queueId(req)))))
                .delete("/{queue_id}/d/{destination}", (req, res) -> json.send(res, Map.of("deleted",
                        queue.deleteByDestination(Caller.actor(req), queueId(req), req.path().pathParameters().get("destination")))))
                .put("/{queue_id}/retry_items_by_id", this::retry)
                .put("/{queue_id}/clear", (req, res) -> json.send(res, Map.of("deleted", queue.clear(Caller.actor(req), queueId(req)))))
                .put("/{queue_id}/prune", (req, res) -> json.send(res, Map.of("deleted", queue.prune(Caller.actor(req), queueId(req)))))
                .put("/{queue_id}/processor/pause", (req, res) -> json.send(res, QueuePayloads.processor(queue.pause())))
                .put("/{queue_id}/processor/resume", (req, res) -> json.send(res, QueuePayloads.processor(queue.resume())));
    }

    @SuppressWarnings("unchecked")
    private static final List<String> GRAPH_IN_BODY = List.of("body", "batch", "graph");

    private void enqueue(ServerRequest req, ServerResponse res) {
        BatchRequest.Enqueue enqueue = BatchRequest.parse(json.read(req, Map.class));
        QueueService.EnqueueResult result;
        try {
            result = queue.enqueue(Caller.actor(req), queueId(req), enqueue.batch(), enqueue.prepend());
        } catch (DomainException e) {
            // The graph check locates problems inside the graph; in the request it is the batch's.
            throw e.under(GRAPH_IN_BODY);
        }
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("batch_id", result.batch().batchId());
        batch.put("origin", result.batch().origin());
        batch.put("destination", result.batch().destination());
        batch.put("data", result.batch().data().isEmpty() ? null : result.batch().data().stream().map(inner -> inner.stream()
                .map(d -> Map.of("node_path", d.nodePath(), "field_name", d.fieldName(), "items", d.items())).toList()).toList());
        batch.put("graph", result.batch().graph());
        batch.put("workflow", result.batch().workflow());
        batch.put("runs", result.batch().runs());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queue_id", result.queueId());
        answer.put("enqueued", result.enqueued());
        answer.put("requested", result.requested());
        answer.put("batch", batch);
        answer.put("priority", result.priority());
        answer.put("item_ids", result.itemIds());
        json.send(res, answer);
    }

    private void countsByDestination(ServerRequest req, ServerResponse res) {
        String destination = destination(req);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queue_id", queueId(req));
        answer.put("destination", destination);
        QueuePayloads.counts(answer, queue.countsByDestination(Caller.actor(req), queueId(req), destination));
        json.send(res, answer);
    }

    @SuppressWarnings("unchecked")
    private void cancelByBatchIds(ServerRequest req, ServerResponse res) {
        Map<String, Object> body = json.read(req, Map.class);
        if (!(body.get("batch_ids") instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            throw DomainException.unprocessable("'batch_ids' must be a list of strings");
        }
        json.send(res, Map.of("canceled", queue.cancelByBatchIds(Caller.actor(req), queueId(req), (List<String>) list)));
    }

    private void retry(ServerRequest req, ServerResponse res) {
        Object body = json.read(req, Object.class);
        List<Long> ids = longs(body, "the body must be a list of item ids");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queue_id", queueId(req));
        answer.put("retried_item_ids", queue.retry(Caller.actor(req), queueId(req), ids));
        json.send(res, answer);
    }

    @SuppressWarnings("unchecked")
    private List<Long> ids(ServerRequest req) {
        Map<String, Object> body = json.read(req, Map.class);
        return longs(body.get("item_ids"), "'item_ids' must be a list of item ids");
    }

    private static List<Long> longs(Object value, String problem) {
        if (!(value instanceof List<?> list)) {
            throw DomainException.unprocessable(problem);
        }
        List<Long> ids = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof Integer || item instanceof Long)) {
                throw DomainException.unprocessable(problem);
            }
            ids.add(((Number) item).longValue());
        }
        return ids;
    }

    private static String queueId(ServerRequest req) {
        return req.path().pathParameters().get("queue_id");
    }

    private static long itemId(ServerRequest req) {
        String raw = req.path().pathParameters().get("item_id");
        try {
            return Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw DomainException.unprocessable("item_id must be a whole number, not '" + raw + "'");
        }
    }

    private static String destination(ServerRequest req) {
        return QueryParams.text(req, "destination")
                .orElseThrow(() -> DomainException.unprocessable("Query parameter 'destination' is required"));
    }
}

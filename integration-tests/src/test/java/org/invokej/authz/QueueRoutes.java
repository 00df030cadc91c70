package org.invokej.authz;

import org.invokej.testing.TestClient;

import java.util.List;
import java.util.Map;

import static org.invokej.authz.Who.ADMIN;
import static org.invokej.authz.Who.OTHER;
import static org.invokej.authz.Who.OWNER;

/**
 * The matrix rows of {@code /api/v1/queue/{queue_id}/…}. Items are the owner's, made fresh for each call
 * from a graph of one {@code integer} node (valid, and it needs no model), so rows that cancel, delete
 * or clear never take another row's item away.
 */
final class QueueRoutes {

    private static final String Q = "/api/v1/queue/default";

    private QueueRoutes() {
    }

    static Map<String, Object> batch(String destination) {
        Map<String, Object> graph = Map.of("id", "g", "nodes", Map.of("i", Map.of("id", "i", "type", "integer", "value", 1)),
                "edges", List.of());
        return Map.of("graph", graph, "runs", 1, "origin", "matrix", "destination", destination);
    }

    /** A new item of the owner's; returns its id. */
    private static long freshItem(MatrixWorld w) {
        return w.owner.client().post(Q + "/enqueue_batch", Map.of("batch", batch("matrix"), "prepend", false))
                .json().path("item_ids").get(0).asLong();
    }

    private static String freshBatch(MatrixWorld w) {
        TestClient owner = w.owner.client();
        return owner.post(Q + "/enqueue_batch", Map.of("batch", batch("matrix"))).json().path("batch").path("batch_id").asText();
    }

    static List<RouteCase> cases() {
        return List.of(
                RouteCase.of("POST", Q + "/enqueue_batch").body(w -> Map.of("batch", batch("matrix"))).expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", Q + "/list_all").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", Q + "/item_ids").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", Q + "/items_by_ids").body(w -> Map.of("item_ids", List.of(freshItem(w)))).expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("POST", Q + "/item_summaries_by_ids").body(w -> Map.of("item_ids", List.of(freshItem(w))))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", Q + "/i/{item}", w -> Q + "/i/" + freshItem(w)).expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", Q + "/current").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", Q + "/next").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", Q + "/status").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", Q + "/b/{batch}/status", w -> Q + "/b/" + freshBatch(w) + "/status").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("GET", Q + "/counts_by_destination?destination=matrix").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PUT", Q + "/i/{item}/cancel", w -> Q + "/i/" + freshItem(w) + "/cancel")
                        .expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("DELETE", Q + "/i/{item}", w -> Q + "/i/" + freshItem(w)).expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("PUT", Q + "/retry_items_by_id").body(w -> List.of(freshItem(w))).expect(200, OWNER, ADMIN).expect(403, OTHER),
                RouteCase.of("PUT", Q + "/cancel_by_batch_ids").body(w -> Map.of("batch_ids", List.of(freshBatch(w))))
                        .expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PUT", Q + "/cancel_by_destination?destination=matrix").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PUT", Q + "/cancel_all_except_current").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PUT", Q + "/delete_all_except_current").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("DELETE", Q + "/d/matrix").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PUT", Q + "/prune").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PUT", Q + "/clear").expect(200, OWNER, OTHER, ADMIN),
                RouteCase.of("PUT", Q + "/processor/pause").expect(200, ADMIN).expect(403, OWNER, OTHER),
                RouteCase.of("PUT", Q + "/processor/resume").expect(200, ADMIN).expect(403, OWNER, OTHER));
    }
}

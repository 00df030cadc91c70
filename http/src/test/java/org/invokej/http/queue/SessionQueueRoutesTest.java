package org.invokej.http.queue;

import com.fasterxml.jackson.databind.JsonNode;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;
import org.invokej.core.models.ModelConfig;
import org.invokej.http.RouteTestServer;
import org.invokej.http.fakes.TestUser;
import org.invokej.http.fakes.CoreOnFakes;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /api/v1/queue}: enqueueing and its refusals (a bad graph, a model one may not use, the queue's
 * limits), status and listings, and who may cancel what. Each test uses a queue of its own; the
 * dispatcher is not started, so items stay pending.
 */
@ServerTest
class SessionQueueRoutesTest {

    private static final CoreOnFakes CORE = CoreOnFakes.multiuser();

    private final TestClient anonymous;
    private final TestUser alice;
    private final TestUser bob;
    private final TestUser admin;
    private final String queue = "/api/v1/queue/q-" + UUID.randomUUID().toString().substring(0, 8);

    SessionQueueRoutesTest(URI uri) {
        this.anonymous = RouteTestServer.client(uri);
        this.alice = CORE.caller(anonymous, "alice", false);
        this.bob = CORE.caller(anonymous, "bob", false);
        this.admin = CORE.caller(anonymous, "admin", true);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        RouteTestServer.configure(server, CORE);
    }

    @AfterAll
    static void close() {
        CORE.close();
    }

    private static Map<String, Object> graph(Map<String, Object> nodes) {
        return Map.of("id", "g", "nodes", nodes, "edges", List.of());
    }

    /** A batch of {@code runs} sessions of a one-node graph, as the web UI would send it. */
    private static Map<String, Object> batch(int runs) {
        return batch(graph(Map.of("i", Map.of("id", "i", "type", "integer", "value", 3))), runs);
    }

    private static Map<String, Object> batch(Map<String, Object> graph, int runs) {
        Map<String, Object> batch = new LinkedHashMap<>();
        batch.put("graph", graph);
        batch.put("runs", runs);
        batch.put("origin", "canvas");
        batch.put("destination", "gallery");
        return Map.of("batch", batch, "prepend", false);
    }

    private TestResponse enqueue(TestUser caller, Map<String, Object> body) {
        return caller.client().post(queue + "/enqueue_batch", body);
    }

    private JsonNode status(TestUser caller) {
        TestResponse status = caller.client().get(queue + "/status");
        assertEquals(200, status.status(), status.toString());
        return status.json();
    }

    @Test
    void anEnqueuedBatchIsListedCountedAndItsItemsAreTheUsers() {
        TestResponse enqueued = enqueue(alice, batch(2));
        assertEquals(200, enqueued.status(), enqueued.toString());
        assertEquals(2, enqueued.json().path("enqueued").asInt());
        List<Long> ids = new ArrayList<>();
        enqueued.json().path("item_ids").forEach(id -> ids.add(id.asLong()));
        assertEquals(2, ids.size());

        JsonNode status = status(alice);
        assertEquals(2, status.path("queue").path("pending").asInt());
        assertEquals(2, status.path("queue").path("user_pending").asInt());
        assertFalse(status.path("processor").path("is_processing").asBoolean(), "the dispatcher of route tests never runs items");
        assertEquals(0, status(bob).path("queue").path("user_pending").asInt());

        JsonNode item = alice.client().get(queue + "/i/" + ids.getFirst()).json();
        assertEquals(alice.userId(), item.path("user_id").asText());
        assertEquals("pending", item.path("status").asText());
        assertEquals(2, alice.client().get(queue + "/list_all").json().size());
        assertEquals(List.of("batch_enqueued"), CORE.events.names().stream().filter("batch_enqueued"::equals).distinct().toList());
    }

    @Test
    void ownersAndAdministratorsCancelOthersCannot() {
        List<Long> ids = new ArrayList<>();
        enqueue(alice, batch(2)).json().path("item_ids").forEach(id -> ids.add(id.asLong()));
        TestResponse refused = bob.client().put(queue + "/i/" + ids.get(0) + "/cancel", null);
        assertEquals(403, refused.status(), refused.toString());
        assertEquals("pending", alice.client().get(queue + "/i/" + ids.get(0)).json().path("status").asText());

        TestResponse canceled = alice.client().put(queue + "/i/" + ids.get(0) + "/cancel", null);
        assertEquals(200, canceled.status(), canceled.toString());
        assertEquals("canceled", canceled.json().path("status").asText());
        assertEquals("canceled", admin.client().put(queue + "/i/" + ids.get(1) + "/cancel", null).json().path("status").asText());
        assertEquals(2, status(alice).path("queue").path("canceled").asInt());
        assertEquals(404, alice.client().put(queue + "/i/999999/cancel", null).status());
    }

    @Test
    void aGraphTheEngineWouldRefuseIsA422AndEnqueuesNothing() {
        Map<String, Object> unknownNode = graph(Map.of("x", Map.of("id", "x", "type", "teleport")));
        for (TestResponse response : List.of(
                enqueue(alice, batch(unknownNode, 1)),
                enqueue(alice, Map.of("batch", Map.of("graph", "not a graph"))),
                enqueue(alice, Map.of("prepend", false)),
                enqueue(alice, Map.of("batch", Map.of("graph", graph(Map.of()), "runs", 0))),
                enqueue(alice, Map.of("batch", Map.of("graph", graph(Map.of("i", Map.of("id", "i", "type", "integer"))),
                        "data", List.of(List.of(Map.of("node_path", "nowhere", "field_name", "value", "items", List.of(1))))))))) {
            assertEquals(422, response.status(), response.toString());
            assertFalse(response.detail().isBlank(), response.toString());
        }
        TestResponse malformed = alice.client().post(queue + "/enqueue_batch", "{\"batch\":");
        assertTrue(malformed.status() >= 400 && malformed.status() < 500, malformed.toString());
        assertEquals(0, status(alice).path("queue").path("total").asInt());
    }

    @Test
    void modelsAreCheckedBeforeAnythingIsEnqueued() {
        ModelConfig usable = CORE.recordModel("usable", true);
        ModelConfig gone = CORE.recordModel("gone", false);
        ModelConfig restricted = CORE.recordModel("restricted", true);
        assertEquals(200, admin.client().json("PUT", "/api/v2/models/i/" + restricted.key() + "/allowed_users",
                Map.of("user_ids", List.of(bob.userId()))).status());

        assertEquals(200, enqueue(alice, batch(loader(usable.key()), 1)).status());
        assertEquals(404, enqueue(alice, batch(loader("no-such-model"), 1)).status());
        TestResponse missing = enqueue(alice, batch(loader(gone.key()), 1));
        assertEquals(422, missing.status(), missing.toString());
        assertTrue(missing.detail().contains("missing its files"), missing.detail());
        assertEquals(403, enqueue(alice, batch(loader(restricted.key()), 1)).status());
        assertEquals(200, enqueue(bob, batch(loader(restricted.key()), 1)).status());
        assertEquals(2, status(admin).path("queue").path("total").asInt());
    }

    private static Map<String, Object> loader(String key) {
        return graph(Map.of("m", Map.of("id", "m", "type", "main_model_loader", "model", Map.of("key", key))));
    }

    @Test
    void aUserOverTheirLimitOrAFullQueueGetsA409() {
        assertEquals(200, enqueue(alice, batch(CoreOnFakes.MAX_PENDING_PER_USER)).status());
        TestResponse overUser = enqueue(alice, batch(1));
        assertEquals(409, overUser.status(), overUser.toString());
        assertTrue(overUser.detail().contains("may have at most " + CoreOnFakes.MAX_PENDING_PER_USER), overUser.detail());

        assertEquals(200, enqueue(bob, batch(CoreOnFakes.MAX_PENDING_PER_USER)).status());
        TestResponse overQueue = enqueue(admin, batch(CoreOnFakes.MAX_QUEUE - 2 * CoreOnFakes.MAX_PENDING_PER_USER + 1));
        assertEquals(409, overQueue.status(), overQueue.toString());
        assertTrue(overQueue.detail().startsWith("The queue is full"), overQueue.detail());
        assertEquals(409, enqueue(admin, batch(CoreOnFakes.MAX_QUEUE + 1)).status(), "a batch larger than the queue itself");
        assertEquals(2 * CoreOnFakes.MAX_PENDING_PER_USER, status(admin).path("queue").path("total").asInt(),
                "nothing of a refused batch was enqueued");
    }

    @Test
    void bulkOperationsTouchTheCallersOwnItemsAndAnAdministratorsEveryones() {
        List<Long> alices = ids(enqueue(alice, batch(2)));
        List<Long> bobs = ids(enqueue(bob, batch(2)));
        assertEquals(2, bob.client().put(queue + "/cancel_all_except_current", null).json().path("canceled").asInt());
        assertEquals("pending", alice.client().get(queue + "/i/" + alices.get(0)).json().path("status").asText());

        TestResponse retried = bob.client().put(queue + "/retry_items_by_id", List.of(bobs.get(0)));
        assertEquals(200, retried.status(), retried.toString());
        assertEquals(1, retried.json().path("retried_item_ids").size());
        assertEquals(403, bob.client().put(queue + "/retry_items_by_id", List.of(alices.get(0))).status());

        assertEquals(403, bob.client().delete(queue + "/i/" + alices.get(0)).status());
        assertEquals(3, bob.client().put(queue + "/clear", null).json().path("deleted").asInt(), "bob's two canceled and the retried copy");
        assertEquals(2, status(admin).path("queue").path("total").asInt(), "alice's stay");
        assertEquals(2, admin.client().put(queue + "/clear", null).json().path("deleted").asInt());
        assertEquals(0, status(admin).path("queue").path("total").asInt());
    }

    private static List<Long> ids(TestResponse enqueued) {
        assertEquals(200, enqueued.status(), enqueued.toString());
        List<Long> ids = new ArrayList<>();
        enqueued.json().path("item_ids").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    @Test
    void processorControlIsForAdministratorsAndAnonymousCallersAreRefused() {
        assertEquals(403, alice.client().put(queue + "/processor/pause", null).status());
        assertEquals(401, anonymous.get(queue + "/status").status());
        assertEquals(401, anonymous.post(queue + "/enqueue_batch", batch(1)).status());
    }
}

package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.TestResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may change what on the shared queue, the limits, and what deactivating a user does to their items. */
class QueueRulesTest {

    @TempDir
    Path root;
    @TempDir
    Path sources;

    private QueueWorld world;

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    private void start(Map<String, String> settings) {
        world = new QueueWorld(root, sources, settings);
        world.admin.client().put("/api/v1/queue/default/processor/pause", null);
    }

    private List<Long> enqueue(org.invokej.testing.TestAccounts.Account who, int sessions) {
        List<Long> seeds = new ArrayList<>();
        for (long i = 0; i < sessions; i++) {
            seeds.add(i);
        }
        TestResponse response = world.enqueue(who.client(), world.webUiBatch(seeds, 1));
        assertEquals(200, response.status(), response.toString());
        List<Long> ids = new ArrayList<>();
        response.json().path("item_ids").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    private String status(long id) {
        return world.admin.client().get("/api/v1/queue/default/i/" + id).json().path("status").asText();
    }

    @Test
    void aFullQueueAndAUserOverTheirLimitAreRefusedWholeNotTruncated() {
        start(Map.of("max_pending_per_user", "3", "max_queue_size", "5"));
        enqueue(world.alice, 3);
        TestResponse overUser = world.enqueue(world.alice.client(), world.webUiBatch(List.of(9L), 1));
        assertEquals(409, overUser.status());
        assertTrue(overUser.detail().contains("You have 3 items waiting and may have at most 3"), overUser.detail());
        TestResponse overQueue = world.enqueue(world.bob.client(), world.webUiBatch(List.of(1L, 2L, 3L), 1));
        assertEquals(409, overQueue.status());
        assertTrue(overQueue.detail().startsWith("The queue is full"), overQueue.detail());
        assertEquals(3, world.admin.client().get("/api/v1/queue/default/status").json().path("queue").path("total").asInt(),
                "nothing of a refused batch was enqueued");
        assertEquals(200, world.enqueue(world.bob.client(), world.webUiBatch(List.of(1L, 2L), 1)).status());
    }

    @Test
    void aSmallBodyAskingForAstronomicallyManySessionsIsRefusedAtOnce() {
        start(Map.of());
        Map<String, Object> nodes = new java.util.LinkedHashMap<>();
        List<Object> data = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            nodes.put("n" + i, Map.of("id", "n" + i, "type", "integer"));
            data.add(List.of(Map.of("node_path", "n" + i, "field_name", "value", "items", List.of(1, 2))));
        }
        Map<String, Object> batch = Map.of("graph", Map.of("id", "g", "nodes", nodes, "edges", List.of()), "data", data);
        TestResponse response = world.enqueue(world.alice.client(), batch);
        assertEquals(422, response.status(), response.toString());
        assertTrue(response.detail().contains("a batch may have at most 1000 (max_batch_items)"), response.detail());
    }

    @Test
    void usersClearPruneAndCancelTheirOwnAndAdministratorsEveryones() {
        start(Map.of());
        List<Long> alice = enqueue(world.alice, 2);
        List<Long> bob = enqueue(world.bob, 2);
        assertEquals(2, world.bob.client().put("/api/v1/queue/default/cancel_all_except_current", null).json().path("canceled").asInt());
        assertEquals("pending", status(alice.get(0)));
        assertEquals("canceled", status(bob.get(0)));

        String aliceBatch = world.alice.client().get("/api/v1/queue/default/i/" + alice.get(0)).json().path("batch_id").asText();
        assertEquals(0, world.bob.client().put("/api/v1/queue/default/cancel_by_batch_ids", Map.of("batch_ids", List.of(aliceBatch)))
                .json().path("canceled").asInt(), "a user cannot cancel another's batch");

        JsonNode retried = world.bob.client().put("/api/v1/queue/default/retry_items_by_id", List.of(bob.get(0), 999999)).json();
        assertEquals(1, retried.path("retried_item_ids").size());
        long copy = retried.path("retried_item_ids").get(0).asLong();
        assertEquals(bob.get(0).longValue(), world.bob.client().get("/api/v1/queue/default/i/" + copy).json().path("retried_from_item_id").asLong());
        assertEquals(403, world.bob.client().put("/api/v1/queue/default/retry_items_by_id", List.of(alice.get(0))).status());

        assertEquals(2, world.bob.client().put("/api/v1/queue/default/prune", null).json().path("deleted").asInt(), "bob's two canceled ones");
        assertEquals(1, world.bob.client().put("/api/v1/queue/default/clear", null).json().path("deleted").asInt(), "the retried copy");
        assertEquals("pending", status(alice.get(1)), "another user's items stay");
        assertEquals(2, world.admin.client().put("/api/v1/queue/default/clear", null).json().path("deleted").asInt());
        assertEquals(0, world.admin.client().get("/api/v1/queue/default/status").json().path("queue").path("total").asInt());
    }

    @Test
    void deactivatingOrDeletingAUserCancelsTheirWaitingItems() {
        start(Map.of());
        List<Long> alice = enqueue(world.alice, 2);
        List<Long> bob = enqueue(world.bob, 1);
        assertEquals(200, world.admin.client().patch("/api/v1/auth/users/" + world.alice.userId(), Map.of("is_active", false)).status());
        assertEquals("canceled", status(alice.get(0)));
        assertEquals("canceled", status(alice.get(1)));
        assertEquals("pending", status(bob.get(0)));
        assertEquals(204, world.admin.client().delete("/api/v1/auth/users/" + world.bob.userId()).status());
        assertEquals("canceled", status(bob.get(0)));
    }

    @Test
    void singleUserModeRunsEverythingAsTheSystemUser() {
        try (org.invokej.testing.TestServer single = org.invokej.testing.TestServer.start(root, Map.of("multiuser", "false"))) {
            Map<String, Object> batch = new java.util.LinkedHashMap<>(Map.of("graph", Map.of("id", "g",
                    "nodes", Map.of("i", Map.of("id", "i", "type", "integer", "value", 3)), "edges", List.of())));
            TestResponse enqueued = single.client().post("/api/v1/queue/default/enqueue_batch", Map.of("batch", batch));
            assertEquals(200, enqueued.status(), enqueued.toString());
            long id = enqueued.json().path("item_ids").get(0).asLong();
            JsonNode item = single.client().get("/api/v1/queue/default/i/" + id).json();
            assertEquals("system", item.path("user_id").asText());
        }
    }
}

package org.invokej.queue;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.testing.StandardGraphs;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Headless clients on the shared queue: the web UI's graph on the tiny model, events, visibility, turns, cancel. */
class QueueEndToEndTest {

    @TempDir
    static Path root;
    @TempDir
    static Path sources;

    private static QueueWorld world;

    @BeforeAll
    static void start() {
        world = new QueueWorld(root, sources, Map.of());
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static List<Long> ids(TestResponse enqueued) {
        assertEquals(200, enqueued.status(), enqueued.toString());
        List<Long> ids = new ArrayList<>();
        enqueued.json().path("item_ids").forEach(id -> ids.add(id.asLong()));
        return ids;
    }

    /** Events until {@code count} items reached a final status, or the wait runs out. */
    private static List<JsonNode> eventsUntilFinished(TestSocket socket, int count) {
        List<JsonNode> events = new ArrayList<>();
        int finished = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (finished < count && System.nanoTime() < deadline) {
            Optional<String> message = socket.poll(Duration.ofSeconds(1));
            if (message.isEmpty() || !message.get().startsWith("42[")) {
                continue;
            }
            JsonNode event = org.invokej.testing.TestClient.parseJson(message.get().substring(2));
            events.add(event);
            if (event.get(0).asText().equals("queue_item_status_changed")
                    && List.of("completed", "failed", "canceled").contains(event.get(1).path("status").asText())) {
                finished++;
            }
        }
        return events;
    }

    private static List<JsonNode> named(List<JsonNode> events, String name) {
        return events.stream().filter(event -> event.get(0).asText().equals(name)).map(event -> event.get(1)).toList();
    }

    @Test
    void theWebUiGraphRunsWithLiveProgressAndTheImageLandsInTheOwnersGallery() throws Exception {
        try (TestSocket aliceSocket = TestSocket.open(world.server.server().uri()).connectWithToken(world.alice.token()).subscribe("default");
             TestSocket bobSocket = TestSocket.open(world.server.server().uri()).connectWithToken(world.bob.token()).subscribe("default");
             TestSocket adminSocket = TestSocket.open(world.server.server().uri()).connectWithToken(world.admin.token()).subscribe("default")) {
            TestResponse enqueued = world.enqueue(world.alice.client(), world.webUiBatch(List.of(101L, 102L), 4));
            List<Long> ids = ids(enqueued);
            assertEquals(2, enqueued.json().path("enqueued").asInt());
            assertEquals(2, enqueued.json().path("requested").asInt());
            assertTrue(ids.get(0) > ids.get(1), "item_ids come newest first");

            List<JsonNode> alice = eventsUntilFinished(aliceSocket, 2);
            List<JsonNode> statuses = named(alice, "queue_item_status_changed");
            assertEquals(List.of("in_progress", "completed", "in_progress", "completed"),
                    statuses.stream().map(s -> s.path("status").asText()).toList());
            assertEquals(world.alice.userId(), statuses.get(0).path("user_id").asText(), statuses.get(0).toString());
            assertEquals(1, statuses.get(1).path("queue_status").path("completed").asInt() >= 1 ? 1 : 0);
            List<JsonNode> progress = named(alice, "invocation_progress");
            assertTrue(progress.stream().anyMatch(p -> p.path("message").asText().equals("Denoising")
                    && p.path("percentage").asDouble() > 0 && p.path("percentage").asDouble() <= 1
                    && p.path("image").path("dataURL").asText().startsWith("data:image/jpeg;base64,")
                    && p.path("image").path("width").asInt() == 64), progress.toString());
            List<JsonNode> completes = named(alice, "invocation_complete");
            List<JsonNode> images = completes.stream().filter(c -> c.path("result").path("type").asText().equals("image_output")).toList();
            assertEquals(2, images.size());
            assertEquals("canvas_output:Qa1Ws2Ed3R", images.get(0).path("invocation_source_id").asText());
            String imageName = images.get(0).path("result").path("image").path("image_name").asText();

            // Bob sees the items go by, redacted, and never the progress.
            List<JsonNode> bobEvents = eventsUntilFinished(bobSocket, 2);
            assertTrue(named(bobEvents, "invocation_progress").isEmpty());
            assertTrue(named(bobEvents, "invocation_complete").isEmpty());
            JsonNode redacted = named(bobEvents, "queue_item_status_changed").getFirst();
            assertEquals("redacted", redacted.path("user_id").asText());
            assertEquals("redacted", redacted.path("batch_id").asText());
            assertTrue(redacted.path("origin").isNull());
            assertTrue(redacted.path("queue_status").path("user_pending").isNull());
            JsonNode batchEnqueued = named(bobEvents, "batch_enqueued").getFirst();
            assertEquals("redacted", batchEnqueued.path("user_id").asText());
            // The admin gets the full copies, but not the owner's progress.
            List<JsonNode> adminEvents = eventsUntilFinished(adminSocket, 2);
            assertEquals(world.alice.userId(), named(adminEvents, "queue_item_status_changed").getFirst().path("user_id").asText());
            assertFalse(named(adminEvents, "invocation_complete").isEmpty());
            assertTrue(named(adminEvents, "invocation_progress").isEmpty());

            TestResponse full = world.alice.client().get("/api/v1/images/i/" + imageName + "/full");
            assertEquals(200, full.status());
            assertEquals(64, ImageIO.read(new ByteArrayInputStream(full.body())).getWidth());
            JsonNode metadata = world.alice.client().get("/api/v1/images/i/" + imageName + "/metadata").json();
            assertTrue(List.of(101, 102).contains(metadata.path("seed").asInt()), metadata.toString());
            assertEquals("a lighthouse at dusk", metadata.path("positive_prompt").asText());
            JsonNode dto = world.alice.client().get("/api/v1/images/i/" + imageName).json();
            assertTrue(dto.path("has_workflow").asBoolean(), "generated images carry the graph");
            assertEquals("internal", dto.path("image_origin").asText());
            assertEquals(images.get(0).path("invocation").path("id").asText(), dto.path("node_id").asText());
            assertTrue(world.alice.client().get("/api/v1/images/names?board_id=none").json().path("image_names").toString()
                    .contains(imageName), "the image is in the owner's gallery");
            assertEquals(403, world.bob.client().get("/api/v1/images/i/" + imageName + "/full").status());
            JsonNode item = world.alice.client().get("/api/v1/queue/default/i/" + ids.get(0)).json();
            assertEquals("completed", item.path("status").asText());
            assertFalse(item.has("error_type"), "GET i/{id} leaves nulls out");
            assertEquals(13, item.path("session").path("executed").size());
        }
    }

    @Test
    void listsShowOwnersAndRedactOthers() {
        List<Long> ids = ids(world.enqueue(world.alice.client(), world.webUiBatch(List.of(5L), 2)));
        world.awaitFinished(ids.get(0));
        JsonNode asBob = find(world.bob.client().get("/api/v1/queue/default/list_all").json(), ids.get(0));
        assertEquals("redacted", asBob.path("user_id").asText());
        assertTrue(asBob.path("user_email").isNull());
        assertTrue(asBob.path("field_values").isNull());
        assertEquals("redacted", asBob.path("session").path("id").asText());
        assertEquals(0, asBob.path("session").path("graph").path("nodes").size());
        JsonNode asAdmin = find(world.admin.client().get("/api/v1/queue/default/list_all").json(), ids.get(0));
        assertEquals("Alice", asAdmin.path("user_display_name").asText());
        assertEquals("alice@test.com", asAdmin.path("user_email").asText());
        JsonNode asAlice = world.alice.client().post("/api/v1/queue/default/item_summaries_by_ids", Map.of("item_ids", ids)).json().get(0);
        assertEquals(world.alice.userId(), asAlice.path("user_id").asText());
        assertEquals(3, asAlice.path("field_values").size());
        JsonNode status = world.bob.client().get("/api/v1/queue/default/status").json();
        assertTrue(status.path("queue").path("total").asInt() >= 1, "counts are global");
        assertEquals(0, status.path("queue").path("user_pending").asInt());
        assertTrue(world.bob.client().get("/api/v1/queue/default/item_ids").json().path("item_ids").toString().contains(ids.get(0).toString()));
        assertEquals(0, world.bob.client().get("/api/v1/queue/default/b/" + asAlice.path("batch_id").asText() + "/status").json().path("total").asInt(),
                "a user's batch counts are their own");
        assertEquals(404, world.bob.client().get("/api/v1/queue/default/i/999999").status());
        assertEquals(422, world.bob.client().post("/api/v1/queue/default/items_by_ids",
                Map.of("item_ids", java.util.stream.LongStream.range(0, 1001).boxed().toList())).status());
    }

    @Test
    void roundRobinGivesTwoUsersAlternatingTurns() {
        assertEquals(200, world.admin.client().put("/api/v1/queue/default/processor/pause", null).status());
        try {
            List<Long> aliceIds = ids(world.enqueue(world.alice.client(), world.webUiBatch(List.of(1L, 2L, 3L, 4L, 5L), 1)));
            List<Long> bobIds = ids(world.enqueue(world.bob.client(), world.webUiBatch(List.of(6L, 7L, 8L, 9L, 10L), 1)));
            assertFalse(world.admin.client().get("/api/v1/queue/default/status").json().path("processor").path("is_started").asBoolean());
            world.admin.client().put("/api/v1/queue/default/processor/resume", null);
            List<JsonNode> done = new ArrayList<>();
            aliceIds.forEach(id -> done.add(world.awaitFinished(id)));
            bobIds.forEach(id -> done.add(world.awaitFinished(id)));
            List<String> owners = done.stream().sorted(Comparator.comparing(item -> item.path("started_at").asText()))
                    .map(item -> item.path("user_id").asText().equals(world.alice.userId()) ? "a" : "b").toList();
            // Whoever was served longer ago starts; from then on the two take turns.
            for (int i = 1; i < owners.size(); i++) {
                assertFalse(owners.get(i).equals(owners.get(i - 1)), "turns alternate: " + owners);
            }
        } finally {
            world.admin.client().put("/api/v1/queue/default/processor/resume", null);
        }
    }

    @Test
    void cancellingARunningItemStopsItWithinAStepAndOnlyOwnersAndAdminsMayCancel() {
        Map<String, Object> batch = world.webUiBatch(List.of(77L), 500);
        StandardGraphs.set(cast(batch.get("graph")), "noise:Df4Gh5Jk6L", "width", 512);
        StandardGraphs.set(cast(batch.get("graph")), "noise:Df4Gh5Jk6L", "height", 512);
        long id = ids(world.enqueue(world.alice.client(), batch)).get(0);
        world.awaitItem(id, item -> item.path("status").asText().equals("in_progress"));
        TestResponse refused = world.bob.client().put("/api/v1/queue/default/i/" + id + "/cancel", null);
        assertEquals(403, refused.status());
        assertEquals("You do not have permission to cancel this queue item", refused.detail());
        assertEquals(403, world.bob.client().delete("/api/v1/queue/default/i/" + id).status());
        long start = System.nanoTime();
        assertEquals(200, world.alice.client().put("/api/v1/queue/default/i/" + id + "/cancel", null).status());
        JsonNode canceled = world.awaitFinished(id);
        assertEquals("canceled", canceled.path("status").asText());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "the cancel took effect within a step");
        assertNotNull(canceled.path("completed_at").asText());
    }

    @Test
    void badGraphsAreRefusedWithTheNodeAndField() {
        Map<String, Object> batch = world.webUiBatch(List.of(1L), 2);
        StandardGraphs.add(cast(batch.get("graph")), "x", "sdxl_denoise", Map.of());
        TestResponse unknown = world.enqueue(world.alice.client(), batch);
        assertEquals(422, unknown.status());
        assertTrue(unknown.detail().contains("node 'x'") && unknown.detail().contains("unknown type"), unknown.detail());

        Map<String, Object> badField = world.webUiBatch(List.of(1L), 2);
        StandardGraphs.set(cast(badField.get("graph")), "denoise_latents:Zx7Cv8Bn9M", "steps", "many");
        assertTrue(world.enqueue(world.alice.client(), badField).detail().contains("field 'steps'"));

        Map<String, Object> badSeed = world.webUiBatch(List.of(1L), 2);
        badSeed.put("data", StandardGraphs.webUiBatchData(List.of(1L), "x", "y"));
        cast(((List<List<Map<String, Object>>>) (List<?>) badSeed.get("data")).get(0).get(0)).put("items", List.of("one"));
        assertEquals(422, world.enqueue(world.alice.client(), badSeed).status());

        Map<String, Object> unknownModel = world.webUiBatch(List.of(1L), 2);
        StandardGraphs.set(cast(unknownModel.get("graph")), "sd1_model_loader:Lk4Jh3Gf2D", "model", StandardGraphs.model("no-such-model"));
        assertEquals(404, world.enqueue(world.alice.client(), unknownModel).status());
        assertEquals(422, world.alice.client().post("/api/v1/queue/default/enqueue_batch", Map.of("prepend", false)).status());
        assertEquals(422, world.alice.client().send("POST", "/api/v1/queue/default/enqueue_batch", "application/json", "{".getBytes()).status());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object value) {
        return (Map<String, Object>) value;
    }

    private static JsonNode find(JsonNode items, long id) {
        return StreamSupport.stream(items.spliterator(), false).filter(item -> item.path("item_id").asLong() == id).findFirst()
                .orElseThrow(() -> new AssertionError("item " + id + " not in " + items));
    }
}

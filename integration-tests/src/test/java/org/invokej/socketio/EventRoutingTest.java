package org.invokej.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Who receives what of an event, per audience, on a multi-user server with an owner, two other users
 * and an administrator, each with a socket following the {@code default} queue and one that follows
 * nothing: the full payload, the sanitised copy, or nothing, and never two copies.
 */
class EventRoutingTest {

    @TempDir
    static Path root;

    private static TestServer server;
    private static TestAccounts.Account owner;
    private static TestAccounts.Account other;
    private static TestAccounts.Account third;
    private static TestAccounts.Account admin;
    /** Sockets by name: {@code <who>} follows the default queue, {@code <who>-idle} follows nothing. */
    private static final Map<String, TestSocket> SOCKETS = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        TestAccounts accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
        owner = accounts.create(admin, "owner@test.com", "Owner", false);
        other = accounts.create(admin, "other@test.com", "Other", false);
        third = accounts.create(admin, "third@test.com", "Third", false);
        for (TestAccounts.Account account : List.of(owner, other, third, admin)) {
            String who = account.email().substring(0, account.email().indexOf('@'));
            SOCKETS.put(who, TestSocket.open(server.server().uri()).connectWithToken(account.token()).subscribe("default"));
            SOCKETS.put(who + "-idle", TestSocket.open(server.server().uri()).connectWithToken(account.token()));
        }
    }

    @AfterAll
    static void stop() {
        SOCKETS.values().forEach(TestSocket::close);
        server.close();
    }

    private static Map<String, Object> item(String userId, String batchId, String origin) {
        Map<String, Object> payload = new HashMap<>();
        payload.put("queue_id", "default");
        payload.put("item_id", 7);
        payload.put("user_id", userId);
        payload.put("batch_id", batchId);
        payload.put("origin", origin);
        return payload;
    }

    private static final Map<String, Object> FULL = item("owner-id", "b1", "canvas");
    private static final Map<String, Object> SANITISED = item("redacted", "redacted", null);

    /**
     * Publishes {@code event} and a marker to everyone, then checks that each socket received exactly
     * {@code expected.get(name)} (a payload, or nothing when absent) before the marker.
     */
    private static void assertDelivery(ServerEvent event, Map<String, Map<String, Object>> expected) {
        server.server().events().publish(event);
        server.server().events().publish(new ServerEvent("marker", TestPayload.of(Map.of()), new Audience.Everyone()));
        ObjectMapper mapper = new ObjectMapper();
        SOCKETS.forEach((name, socket) -> {
            JsonNode next = socket.nextEvent();
            Map<String, Object> payload = expected.get(name);
            if (payload != null) {
                assertEquals(event.name(), next.get(0).asText(), name + " receives " + event.name());
                JsonNode got = next.get(1).deepCopy();
                ((com.fasterxml.jackson.databind.node.ObjectNode) got).remove("timestamp");
                assertEquals(mapper.valueToTree(payload), got, name + " receives exactly its copy of " + event.name());
                next = socket.nextEvent();
            }
            assertEquals("marker", next.get(0).asText(), name + " receives nothing else (and no second copy) of " + event.name());
        });
    }

    private static Map<String, Map<String, Object>> to(Map<String, Object> payload, String... names) {
        Map<String, Map<String, Object>> expected = new HashMap<>();
        for (String name : names) {
            expected.put(name, payload);
        }
        return expected;
    }

    private static Map<String, Map<String, Object>> and(Map<String, Map<String, Object>> a, Map<String, Map<String, Object>> b) {
        Map<String, Map<String, Object>> both = new HashMap<>(a);
        both.putAll(b);
        return both;
    }

    @Test
    void progressGoesToTheOwnerOnly() {
        assertDelivery(new ServerEvent("invocation_progress", TestPayload.of(FULL), new Audience.User(owner.userId())),
                to(FULL, "owner", "owner-idle"));
    }

    @Test
    void ownerAndAdministratorsEachOnce() {
        assertDelivery(new ServerEvent("invocation_complete", TestPayload.of(FULL), new Audience.UserAndAdmins(owner.userId())),
                to(FULL, "owner", "owner-idle", "admin", "admin-idle"));
        assertDelivery(new ServerEvent("invocation_started", TestPayload.of(FULL), new Audience.UserAndAdmins(admin.userId())),
                to(FULL, "admin", "admin-idle"));
    }

    @Test
    void adminOnlyEvents() {
        assertDelivery(new ServerEvent("model_install_complete", TestPayload.of(FULL), new Audience.Admins()), to(FULL, "admin", "admin-idle"));
    }

    @Test
    void queueItemEventsGoFullToOwnerAndAdminsAndSanitisedToTheRestOfTheQueueRoom() {
        assertDelivery(new ServerEvent("queue_item_status_changed", TestPayload.of(FULL), new Audience.QueueItem("default", owner.userId(), TestPayload.of(SANITISED))),
                and(to(FULL, "owner", "owner-idle", "admin", "admin-idle"), to(SANITISED, "other", "third")));
    }

    @Test
    void queueItemEventsWithoutASanitisedCopyReachOnlyOwnerAndAdmins() {
        assertDelivery(new ServerEvent("queue_item_status_changed", TestPayload.of(FULL), new Audience.QueueItem("default", owner.userId(), null)),
                to(FULL, "owner", "owner-idle", "admin", "admin-idle"));
    }

    @Test
    void anAdministratorsOwnItemReachesThemOnce() {
        assertDelivery(new ServerEvent("batch_enqueued", TestPayload.of(FULL), new Audience.QueueItem("default", admin.userId(), TestPayload.of(SANITISED))),
                and(to(FULL, "admin", "admin-idle"), to(SANITISED, "owner", "other", "third")));
    }

    @Test
    void anotherQueuesEventsDoNotReachThisQueuesRoom() {
        assertDelivery(new ServerEvent("queue_item_status_changed", TestPayload.of(FULL), new Audience.QueueItem("night", owner.userId(), TestPayload.of(SANITISED))),
                to(FULL, "owner", "owner-idle", "admin", "admin-idle"));
        assertDelivery(new ServerEvent("queue_cleared", TestPayload.of(Map.of("queue_id", "night")), new Audience.QueueRoom("night")), Map.of());
    }

    @Test
    void bulkEventsAreSplitPerOwner() {
        Map<String, Object> all = Map.of("queue_id", "default", "item_ids", List.of(1, 2, 3), "user_ids", List.of(owner.userId(), other.userId()));
        Map<String, Object> owners = Map.of("queue_id", "default", "item_ids", List.of(1, 2), "user_ids", List.of(owner.userId()));
        Map<String, Object> others = Map.of("queue_id", "default", "item_ids", List.of(3), "user_ids", List.of(other.userId()));
        Map<String, Object> empty = Map.of("queue_id", "default", "item_ids", List.of(), "user_ids", List.of());
        assertDelivery(new ServerEvent("queue_items_canceled", TestPayload.of(all), new Audience.QueueByOwner("default",
                        Map.of(owner.userId(), TestPayload.of(owners), other.userId(), TestPayload.of(others)), TestPayload.of(empty))),
                and(and(to(all, "admin", "admin-idle"), to(owners, "owner", "owner-idle")),
                        and(to(others, "other", "other-idle"), to(empty, "third"))));
    }

    @Test
    void anAdministratorWhoOwnsPartOfABulkEventGetsTheFullEventOnly() {
        Map<String, Object> all = Map.of("item_ids", List.of(1, 2));
        Map<String, Object> admins = Map.of("item_ids", List.of(1));
        Map<String, Object> owners = Map.of("item_ids", List.of(2));
        assertDelivery(new ServerEvent("queue_items_retried", TestPayload.of(all), new Audience.QueueByOwner("default",
                        Map.of(admin.userId(), TestPayload.of(admins), owner.userId(), TestPayload.of(owners)), null)),
                and(to(all, "admin", "admin-idle"), to(owners, "owner", "owner-idle")));
    }

    @Test
    void unscopedEventsReachTheWholeQueueRoom() {
        Map<String, Object> cleared = new HashMap<>(Map.of("queue_id", "default"));
        cleared.put("user_id", null);
        assertDelivery(new ServerEvent("queue_cleared", TestPayload.of(cleared), new Audience.QueueRoom("default")),
                to(cleared, "owner", "other", "third", "admin"));
    }

    @Test
    void sharedEventsReachEveryone() {
        assertDelivery(new ServerEvent("workflow_created", TestPayload.of(Map.of("workflow_id", "w1")), new Audience.Everyone()),
                to(Map.of("workflow_id", "w1"), SOCKETS.keySet().toArray(String[]::new)));
    }

    @Test
    void unsubscribingLeavesTheQueueRoom() {
        TestSocket third = SOCKETS.get("third");
        third.send("425[\"unsubscribe_queue\",{\"queue_id\":\"default\"}]");
        assertEquals("435[]", third.next());
        try {
            assertDelivery(new ServerEvent("queue_item_status_changed", TestPayload.of(FULL), new Audience.QueueItem("default", owner.userId(), TestPayload.of(SANITISED))),
                    and(to(FULL, "owner", "owner-idle", "admin", "admin-idle"), to(SANITISED, "other")));
        } finally {
            third.subscribe("default");
        }
    }

    @Test
    void inSingleUserModeEverySocketIsTheOwnerAndAnAdministrator(@TempDir Path suRoot) {
        try (TestServer single = TestServer.start(suRoot, Map.of());
             TestSocket following = TestSocket.open(single.server().uri()).connectWithToken(null).subscribe("default");
             TestSocket idle = TestSocket.open(single.server().uri()).connectWithToken(null)) {
            for (Audience audience : List.of(new Audience.QueueItem("default", "system", TestPayload.of(SANITISED)), new Audience.User("system"),
                    new Audience.Admins(), new Audience.UserAndAdmins("system"))) {
                single.server().events().publish(new ServerEvent("queue_item_status_changed", TestPayload.of(FULL), audience));
                single.server().events().publish(new ServerEvent("marker", TestPayload.of(Map.of()), new Audience.Everyone()));
                for (TestSocket socket : List.of(following, idle)) {
                    JsonNode event = socket.nextEvent();
                    assertEquals("canvas", event.get(1).path("origin").asText(), audience + ": the full payload");
                    assertEquals("marker", socket.nextEvent().get(0).asText(), audience + ": once");
                }
            }
        }
    }
}

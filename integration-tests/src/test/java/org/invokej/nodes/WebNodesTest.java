package org.invokej.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.core.queue.QueueVisibility;
import org.invokej.launcher.ConfigException;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestPostgres;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two real web nodes (two servers on free ports, each with its own root) on one PostgreSQL database and
 * one shared images/models folder, as behind a load balancer: what is published or changed on node A
 * reaches the sockets on node B with the same audiences and redacted copies, each socket once; access
 * changes made on A re-check the sockets on B; a token made on A works on B until it is revoked on A; a
 * node that mounts another folder than the others refuses to start.
 * The socket re-check sweep is set to an hour, so that what reaches B can only come through the outbox.
 */
class WebNodesTest {

    @TempDir
    static Path folder;

    private static String database;
    private static TestServer a;
    private static TestServer b;
    private static TestAccounts onA;
    private static TestAccounts.Account admin;
    private static TestAccounts.Account owner;
    private static TestAccounts.Account other;
    private static final List<TestSocket> OPEN = new ArrayList<>();

    static Map<String, String> settings(String databaseUrl, Path shared) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("multiuser", "true");
        settings.put("bcrypt_cost", "4");
        settings.put("workers_in_process", "0");
        settings.put("socket_revalidation_seconds", "3600");
        settings.put("database_url", databaseUrl);
        settings.put("database_user", TestPostgres.server().user());
        settings.put("database_password", TestPostgres.server().password());
        settings.put("outputs_dir", shared.resolve("outputs").toString());
        settings.put("models_dir", shared.resolve("models").toString());
        return settings;
    }

    @BeforeAll
    static void start() {
        database = TestPostgres.server().newDatabase();
        Path shared = folder.resolve("shared");
        a = TestServer.start(folder.resolve("node-a"), settings(database, shared));
        b = TestServer.start(folder.resolve("node-b"), settings(database, shared));
        onA = new TestAccounts(a);
        admin = onA.setupAdmin("admin@test.com");
        owner = onA.create(admin, "owner@test.com", "Owner", false);
        other = onA.create(admin, "other@test.com", "Other", false);
    }

    @AfterAll
    static void stop() {
        OPEN.forEach(TestSocket::close);
        b.close();
        a.close();
    }

    private static TestSocket socket(TestServer node, TestAccounts.Account account, boolean follow) {
        TestSocket socket = TestSocket.open(node.server().uri()).connectWithToken(account.token());
        OPEN.add(socket);
        return follow ? socket.subscribe("default") : socket;
    }

    private static TestAccounts.Account user(boolean isAdmin) {
        return onA.create(admin, "u" + UUID.randomUUID().toString().substring(0, 8) + "@test.com", "U", isAdmin);
    }

    private static void publishOnA(String name, Audience audience) {
        a.server().events().publish(new ServerEvent(name, TestPayload.of(Map.of()), audience));
    }

    /** The next event (name and payload without its timestamp), or a failure naming {@code who}. */
    private static JsonNode next(TestSocket socket, String who) {
        JsonNode event = socket.nextEvent();
        assertTrue(event.isArray(), who + " receives an event");
        JsonNode payload = event.get(1).deepCopy();
        ((ObjectNode) payload).remove("timestamp");
        return new ObjectMapper().createArrayNode().add(event.get(0).asText()).add(payload);
    }

    @Test
    void aQueueClearOnNodeAReachesSocketsOnBothNodesOnceWithTheRedactedCopyForOthers() {
        Map<String, TestSocket> sockets = new LinkedHashMap<>();
        for (String node : List.of("A", "B")) {
            TestServer server = node.equals("A") ? a : b;
            sockets.put(node + ":owner", socket(server, owner, true));
            sockets.put(node + ":owner-idle", socket(server, owner, false));
            sockets.put(node + ":other", socket(server, other, true));
            sockets.put(node + ":other-idle", socket(server, other, false));
            sockets.put(node + ":admin", socket(server, admin, true));
        }
        // A real route on node A: the owner clears their part of the queue (InvokeAI's scoped queue_cleared).
        TestResponse cleared = owner.client().put("/api/v1/queue/default/clear", Map.of());
        assertEquals(200, cleared.status(), cleared.toString());
        publishOnA("marker", new Audience.Everyone());

        ObjectMapper mapper = new ObjectMapper();
        Map<String, Object> full = new LinkedHashMap<>();
        full.put("queue_id", "default");
        full.put("user_id", owner.userId());
        Map<String, Object> redacted = new HashMap<>(full);
        redacted.put("user_id", QueueVisibility.REDACTED);
        sockets.forEach((name, socket) -> {
            Map<String, Object> expected = name.contains("owner") || name.contains("admin") ? full
                    : name.endsWith(":other") ? redacted : null;
            JsonNode event = next(socket, name);
            if (expected != null) {
                assertEquals("queue_cleared", event.get(0).asText(), name + " receives queue_cleared");
                assertEquals(mapper.valueToTree(expected), event.get(1), name + " receives its own copy of queue_cleared");
                event = next(socket, name);
            }
            assertEquals("marker", event.get(0).asText(), name + " receives nothing else, and no second copy");
        });
    }

    @Test
    void everyAudienceReachesTheSameSocketsOnTheOtherNode() {
        TestSocket ownerOnB = socket(b, owner, true);
        TestSocket otherOnB = socket(b, other, true);
        TestSocket adminOnB = socket(b, admin, false);
        Map<String, Object> full = Map.of("item_id", 7, "user_id", owner.userId());
        Map<String, Object> sanitised = Map.of("item_id", 7, "user_id", QueueVisibility.REDACTED);
        List<ServerEvent> events = List.of(
                new ServerEvent("invocation_progress", TestPayload.of(full), new Audience.User(owner.userId())),
                new ServerEvent("invocation_complete", TestPayload.of(full), new Audience.UserAndAdmins(owner.userId())),
                new ServerEvent("model_install_complete", TestPayload.of(full), new Audience.Admins()),
                new ServerEvent("queue_item_status_changed", TestPayload.of(full),
                        new Audience.QueueItem("default", owner.userId(), TestPayload.of(sanitised))),
                new ServerEvent("queue_items_canceled", TestPayload.of(Map.of("ids", List.of(1, 2))),
                        new Audience.QueueByOwner("default", Map.of(owner.userId(), TestPayload.of(Map.of("ids", List.of(1)))),
                                TestPayload.of(Map.of("ids", List.of())))),
                new ServerEvent("workflow_updated", TestPayload.of(Map.of("workflow_id", "w")), new Audience.Everyone()));
        events.forEach(event -> a.server().events().publish(event));
        publishOnA("marker", new Audience.Everyone());

        ObjectMapper mapper = new ObjectMapper();
        assertReceives(ownerOnB, "owner on B", List.of(
                List.of("invocation_progress", full), List.of("invocation_complete", full),
                List.of("queue_item_status_changed", full), List.of("queue_items_canceled", Map.of("ids", List.of(1))),
                List.of("workflow_updated", Map.of("workflow_id", "w"))), mapper);
        assertReceives(otherOnB, "other on B", List.of(
                List.of("queue_item_status_changed", sanitised), List.of("queue_items_canceled", Map.of("ids", List.of())),
                List.of("workflow_updated", Map.of("workflow_id", "w"))), mapper);
        assertReceives(adminOnB, "admin on B (following no queue)", List.of(
                List.of("invocation_complete", full), List.of("model_install_complete", full),
                List.of("queue_item_status_changed", full), List.of("queue_items_canceled", Map.of("ids", List.of(1, 2))),
                List.of("workflow_updated", Map.of("workflow_id", "w"))), mapper);
    }

    private static void assertReceives(TestSocket socket, String who, List<List<Object>> expected, ObjectMapper mapper) {
        for (List<Object> event : expected) {
            JsonNode got = next(socket, who);
            assertEquals(event.get(0), got.get(0).asText(), who);
            assertEquals(mapper.valueToTree(event.get(1)), got.get(1), who + ": " + event.get(0));
        }
        assertEquals("marker", next(socket, who).get(0).asText(), who + " receives nothing else, and nothing twice");
    }

    @Test
    void aDeactivationOnNodeADisconnectsTheUsersSocketOnNodeB() {
        TestAccounts.Account user = user(false);
        TestAccounts.Account bystander = user(false);
        TestSocket onB = socket(b, user, true);
        TestSocket alsoOnB = socket(b, bystander, true);
        onA.setActive(admin, user.userId(), false);
        assertEquals("41", onB.poll(TestSocket.WAIT).orElse("nothing"), "the deactivated user's socket on B is disconnected");
        publishOnA("after", new Audience.Everyone());
        assertEquals("after", next(alsoOnB, "bystander on B").get(0).asText(), "other users' sockets stay");
        assertTrue(onB.poll(Duration.ofMillis(300)).isEmpty(), "nothing reaches the disconnected socket");
    }

    @Test
    void deletionAndPasswordChangesOnNodeAEndTheSocketsOnNodeB() {
        TestAccounts.Account deleted = user(false);
        TestAccounts.Account reset = user(false);
        TestSocket deletedOnB = socket(b, deleted, false);
        TestSocket resetOnB = socket(b, reset, false);
        assertEquals(204, admin.client().delete("/api/v1/auth/users/" + deleted.userId()).status());
        assertEquals("41", deletedOnB.poll(TestSocket.WAIT).orElse("nothing"), "deleted on A");
        assertEquals(200, admin.client().patch("/api/v1/auth/users/" + reset.userId(), Map.of("password", "Reset1234")).status());
        assertEquals("41", resetOnB.poll(TestSocket.WAIT).orElse("nothing"), "password set on A");
    }

    @Test
    void aDemotionOnNodeATakesTheSocketOnNodeBOutOfTheAdminRoom() {
        TestAccounts.Account second = user(true);
        TestSocket onB = socket(b, second, false);
        publishOnA("download_started", new Audience.Admins());
        assertEquals("download_started", next(onB, "admin on B").get(0).asText());
        assertEquals(200, admin.client().patch("/api/v1/auth/users/" + second.userId(), Map.of("is_admin", false)).status());
        publishOnA("download_complete", new Audience.Admins());
        publishOnA("marker", new Audience.Everyone());
        assertEquals("marker", next(onB, "demoted on B").get(0).asText(), "no admin event after the demotion on A");
        assertFalse(onB.isClosed(), "a demotion does not disconnect");
    }

    @Test
    void aNodeThatSeesAnotherFolderThanTheOthersRefusesToStartWithOneLine() {
        ConfigException refused = assertThrows(ConfigException.class,
                () -> TestServer.start(folder.resolve("node-c"), settings(database, folder.resolve("elsewhere"))));
        assertTrue(refused.getMessage().startsWith("The images folder " + folder.resolve("elsewhere").resolve("outputs").resolve("images")
                + " is not the one the other processes on this database use"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), "one line");
        assertFalse(refused.getMessage().contains(TestPostgres.server().password()), "no password in the message");

        // The shared folder of this database, named by another database: refused too (the marker names another id).
        ConfigException other = assertThrows(ConfigException.class, () -> TestServer.start(folder.resolve("node-d"),
                settings(TestPostgres.server().newDatabase(), folder.resolve("shared"))));
        assertTrue(other.getMessage().contains("belongs to another database"), other.getMessage());

        // The nodes on the shared folder carry on, and a third one on it starts.
        try (TestServer third = TestServer.start(folder.resolve("node-e"), settings(database, folder.resolve("shared")))) {
            assertEquals(200, third.client().withToken(owner.token()).get("/api/v1/auth/me").status());
        }
    }

    @Test
    void aTokenFromNodeAWorksOnNodeBUntilItIsRevokedOnNodeA() {
        TestAccounts.Account user = user(false);
        assertEquals(200, b.client().withToken(user.token()).get("/api/v1/auth/me").status(), "stateless: B accepts A's token");
        assertEquals(200, user.client().post("/api/v1/auth/logout", Map.of()).status());
        assertEquals(401, b.client().withToken(user.token()).get("/api/v1/auth/me").status(), "revoked on A, refused on B");
        assertEquals(401, a.client().withToken(user.token()).get("/api/v1/auth/me").status());
    }
}

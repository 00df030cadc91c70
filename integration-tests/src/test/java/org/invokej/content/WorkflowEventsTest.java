package org.invokej.content;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code workflow_*} events InvokeAI 6.14's UI listens to, with its routing (multi-user doc §8). */
class WorkflowEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    private static TestServer server;
    private static TestAccounts.Account user;
    private static final ConcurrentLinkedQueue<ServerEvent> EVENTS = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"), event -> {
            if (event.name().startsWith("workflow_")) {
                EVENTS.add(event);
            }
        });
        TestAccounts accounts = new TestAccounts(server);
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        user = accounts.create(admin, "user1@test.com", "User One", false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The events published since the last call (each route publishes before it answers). */
    private static List<ServerEvent> drain() {
        List<ServerEvent> events = new ArrayList<>();
        for (ServerEvent event = EVENTS.poll(); event != null; event = EVENTS.poll()) {
            events.add(event);
        }
        return events;
    }

    @Test
    void eachChangeIsAnnouncedToWhoMaySeeTheWorkflow() {
        drain();
        String id = WorkflowsTest.create(user.client(), "Evented");
        List<ServerEvent> created = drain();
        assertEquals(1, created.size());
        assertEquals("workflow_created", created.get(0).name());
        assertEquals(JSON.valueToTree(Map.of("workflow_id", id, "user_id", user.userId(), "is_public", false)),
                TestPayload.json(created.get(0)));
        assertEquals(new Audience.UserAndAdmins(user.userId()), created.get(0).audience(), "a private workflow: owner and administrators");

        user.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of("is_public", true));
        List<ServerEvent> shared = drain();
        assertEquals("workflow_updated", shared.get(0).name());
        assertFalse(TestPayload.json(shared.get(0)).path("old_is_public").asBoolean(true));
        assertTrue(TestPayload.json(shared.get(0)).path("new_is_public").asBoolean(false));
        assertEquals(new Audience.Everyone(), shared.get(0).audience());

        user.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of("is_public", false));
        List<ServerEvent> unshared = drain();
        assertEquals(List.of("workflow_updated", "workflow_access_revoked"), unshared.stream().map(ServerEvent::name).toList());
        assertEquals(new Audience.UserAndAdmins(user.userId()), unshared.get(0).audience());
        assertEquals(JSON.valueToTree(Map.of("workflow_id", id, "user_id", user.userId())), TestPayload.json(unshared.get(1)));
        assertEquals(new Audience.Everyone(), unshared.get(1).audience());

        user.client().delete("/api/v1/workflows/i/" + id);
        List<ServerEvent> deleted = drain();
        assertEquals("workflow_deleted", deleted.get(0).name());
        assertFalse(TestPayload.json(deleted.get(0)).path("is_public").asBoolean(true));
    }

    @Test
    void aRefusedChangeAnnouncesNothing() {
        String id = WorkflowsTest.create(user.client(), "Quiet");
        drain();
        assertEquals(422, user.client().patch("/api/v1/workflows/i/" + id + "/is_public", Map.of()).status());
        assertEquals(List.of(), drain());
    }
}

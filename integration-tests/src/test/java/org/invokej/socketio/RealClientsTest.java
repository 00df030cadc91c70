package org.invokej.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unmodified clients against the endpoint: Debian 12's python-socketio 5.7.2 and socket.io-client 4.8
 * from npm, each in a process of its own, on a multi-user server with a fast heartbeat (so that the
 * clients answer several pings during a test) and a sub-path.
 */
class RealClientsTest {

    private static final String PATH = "/ws/socket.io";

    @TempDir
    static Path root;

    private static TestServer server;
    private static TestAccounts accounts;
    private static TestAccounts.Account admin;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4", "base_url", "/invoke",
                "socket_ping_interval_ms", "700", "socket_ping_timeout_ms", "3000"));
        accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestAccounts.Account user() {
        return accounts.create(admin, "u" + UUID.randomUUID().toString().substring(0, 8) + "@test.com", "U", false);
    }

    private static ClientProcess client(ClientProcess.Kind kind, String path, String token, Map<String, String> environment) {
        return ClientProcess.start(kind, server.server().uri(), path, token, "default", environment);
    }

    private static void publish(String name, Map<String, Object> payload, Audience audience) {
        server.server().events().publish(new ServerEvent(name, payload, audience));
    }

    @ParameterizedTest
    @EnumSource(ClientProcess.Kind.class)
    void ownerAndOtherUserReceiveTheirCopiesAcrossSeveralHeartbeats(ClientProcess.Kind kind) throws InterruptedException {
        TestAccounts.Account owner = user();
        TestAccounts.Account other = user();
        try (ClientProcess owners = client(kind, PATH, owner.token(), Map.of());
             ClientProcess others = client(kind, "/invoke" + PATH, other.token(), Map.of("INVOKEJ_AUTH", "header"))) {
            owners.await("subscribed");
            others.await("subscribed");
            Thread.sleep(2500);

            Map<String, Object> full = new HashMap<>(Map.of("queue_id", "default", "item_id", 3, "user_id", owner.userId(), "batch_id", "b1"));
            full.put("origin", "canvas");
            Map<String, Object> sanitised = new HashMap<>(Map.of("queue_id", "default", "item_id", 3, "user_id", "redacted", "batch_id", "redacted"));
            sanitised.put("origin", null);
            publish("queue_item_status_changed", full, new Audience.QueueItem("default", owner.userId(), sanitised));
            publish("invocation_progress", Map.of("item_id", 3, "percentage", 0.5), new Audience.User(owner.userId()));

            JsonNode ownerCopy = owners.awaitEvent("queue_item_status_changed").path("payload");
            assertEquals(owner.userId(), ownerCopy.path("user_id").asText());
            assertEquals("canvas", ownerCopy.path("origin").asText());
            assertTrue(ownerCopy.path("timestamp").isIntegralNumber(), ownerCopy.toString());
            assertEquals(0.5, owners.awaitEvent("invocation_progress").path("payload").path("percentage").asDouble());

            JsonNode othersCopy = others.awaitEvent("queue_item_status_changed").path("payload");
            assertEquals("redacted", othersCopy.path("user_id").asText());
            assertTrue(othersCopy.path("origin").isNull(), othersCopy.toString());
            publish("marker", Map.of(), new Audience.Everyone());
            others.awaitEvent("marker");
            assertTrue(others.seen().stream().noneMatch(line -> line.path("name").asText().equals("invocation_progress")),
                    "progress is the owner's alone: " + others.seen());
        }
    }

    @ParameterizedTest
    @EnumSource(ClientProcess.Kind.class)
    void aRefusedTokenIsAClearConnectErrorWithoutRetries(ClientProcess.Kind kind) {
        String expired = TestTokens.sign(TestTokens.secret(root), TestTokens.claims(admin.userId(), admin.email(), true, 0,
                Instant.now().minusSeconds(60)));
        try (ClientProcess client = client(kind, PATH, expired, Map.of())) {
            assertEquals("Connection rejected by server", client.await("connect_error").path("message").asText());
            if (kind == ClientProcess.Kind.PYTHON) {
                assertEquals("One or more namespaces failed to connect", client.await("connection_failed").path("message").asText());
            }
            assertTrue(client.exits(Duration.ofSeconds(10)), "the client gives up");
        }
        try (ClientProcess client = client(kind, PATH, null, Map.of())) {
            assertEquals("Connection rejected by server", client.await("connect_error").path("message").asText(), "no token at all");
        }
    }

    @ParameterizedTest
    @EnumSource(ClientProcess.Kind.class)
    void deactivationDisconnectsTheClientForGood(ClientProcess.Kind kind) {
        TestAccounts.Account user = user();
        try (ClientProcess client = client(kind, PATH, user.token(), Map.of())) {
            client.await("subscribed");
            accounts.setActive(admin, user.userId(), false);
            JsonNode disconnect = client.await("disconnect");
            if (kind == ClientProcess.Kind.NODE) {
                assertEquals("io server disconnect", disconnect.path("reason").asText(), "a server disconnect, not a dropped transport");
            }
            assertTrue(client.exits(Duration.ofSeconds(10)), "no reconnection: " + client.seen());
        }
    }

    @ParameterizedTest
    @EnumSource(ClientProcess.Kind.class)
    void aClientThatStartsWithLongPollingIsToldTheTransportIsUnknown(ClientProcess.Kind kind) {
        TestAccounts.Account user = user();
        try (ClientProcess client = client(kind, PATH, user.token(), Map.of("INVOKEJ_TRANSPORTS", "default"))) {
            JsonNode error = client.await("connect_error");
            if (kind == ClientProcess.Kind.PYTHON) {
                assertTrue(error.path("message").asText().contains("Transport unknown"), error.toString());
                assertEquals("Unexpected status code 400 in server response", client.await("connection_failed").path("message").asText());
            } else {
                assertEquals("xhr poll error", error.path("message").asText());
            }
        }
    }

    @org.junit.jupiter.api.Test
    void socketIoClientWithTryAllTransportsFallsBackToTheWebSocket() {
        TestAccounts.Account user = user();
        try (ClientProcess client = client(ClientProcess.Kind.NODE, PATH, user.token(), Map.of("INVOKEJ_TRANSPORTS", "try-all"))) {
            client.await("subscribed");
            publish("hello", Map.of(), new Audience.User(user.userId()));
            client.awaitEvent("hello");
        }
    }
}

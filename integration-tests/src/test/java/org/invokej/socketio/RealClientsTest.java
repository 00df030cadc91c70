package org.invokej.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unmodified clients against the endpoint: Debian 12's python-socketio 5.7.2 and socket.io-client 4.8
 * from npm, each in a process of its own, on WebSocket only, on their default transports (long-polling,
 * then the upgrade) and on long-polling only, against a multi-user server with a fast heartbeat (so
 * that the clients answer several pings during a test) and a sub-path.
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

    private static ClientProcess client(ClientProcess.Setup setup, String path, String token, Map<String, String> environment) {
        return ClientProcess.start(setup, server.server().uri(), path, token, "default", environment);
    }

    static Stream<ClientProcess.Setup> setups() {
        return ClientProcess.Setup.all();
    }

    private static void publish(String name, Map<String, Object> payload, Audience audience) {
        server.server().events().publish(new ServerEvent(name, TestPayload.of(payload), audience));
    }

    @ParameterizedTest
    @MethodSource("setups")
    void ownerAndOtherUserReceiveTheirCopiesAcrossSeveralHeartbeats(ClientProcess.Setup setup) throws InterruptedException {
        TestAccounts.Account owner = user();
        TestAccounts.Account other = user();
        try (ClientProcess owners = client(setup, PATH, owner.token(), Map.of());
             ClientProcess others = client(setup, "/invoke" + PATH, other.token(), Map.of("INVOKEJ_AUTH", "header"))) {
            owners.await("subscribed");
            others.await("subscribed");
            owners.awaitTransport(setup);
            others.awaitTransport(setup);
            Thread.sleep(2500);
            if (setup.transports() == ClientProcess.Transports.POLLING) {
                assertTrue(server.server().sockets().pollingSessions() >= 2, "both still poll after several heartbeats");
            }

            Map<String, Object> full = new HashMap<>(Map.of("queue_id", "default", "item_id", 3, "user_id", owner.userId(), "batch_id", "b1"));
            full.put("origin", "canvas");
            Map<String, Object> sanitised = new HashMap<>(Map.of("queue_id", "default", "item_id", 3, "user_id", "redacted", "batch_id", "redacted"));
            sanitised.put("origin", null);
            publish("queue_item_status_changed", full, new Audience.QueueItem("default", owner.userId(), TestPayload.of(sanitised)));
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
    @MethodSource("setups")
    void aRefusedTokenIsAClearConnectErrorWithoutRetries(ClientProcess.Setup setup) {
        ClientProcess.Kind kind = setup.kind();
        String expired = TestTokens.sign(TestTokens.secret(root), TestTokens.claims(admin.userId(), admin.email(), true, 0,
                Instant.now().minusSeconds(60)));
        try (ClientProcess client = client(setup, PATH, expired, Map.of())) {
            assertEquals("Connection rejected by server", client.await("connect_error").path("message").asText());
            if (kind == ClientProcess.Kind.PYTHON) {
                assertEquals("One or more namespaces failed to connect", client.await("connection_failed").path("message").asText());
            }
            assertTrue(client.exits(Duration.ofSeconds(10)), "the client gives up");
        }
        try (ClientProcess client = client(setup, PATH, null, Map.of())) {
            assertEquals("Connection rejected by server", client.await("connect_error").path("message").asText(), "no token at all");
        }
    }

    @ParameterizedTest
    @MethodSource("setups")
    void deactivationDisconnectsTheClientForGood(ClientProcess.Setup setup) {
        TestAccounts.Account user = user();
        try (ClientProcess client = client(setup, PATH, user.token(), Map.of())) {
            client.await("subscribed");
            client.awaitTransport(setup);
            accounts.setActive(admin, user.userId(), false);
            JsonNode disconnect = client.await("disconnect");
            if (setup.kind() == ClientProcess.Kind.NODE) {
                assertEquals("io server disconnect", disconnect.path("reason").asText(), "a server disconnect, not a dropped transport");
            }
            assertTrue(client.exits(Duration.ofSeconds(10)), "no reconnection: " + client.seen());
        }
    }

    /**
     * A burst (a generation's progress, a big batch) reaches every client whole, on one
     * connection: python-engineio's client drops a long-polling connection whose payload holds more
     * than 16 packets, and with it every event in that payload.
     */
    @ParameterizedTest
    @MethodSource("setups")
    void aBurstOfEventsArrivesWholeAndInOrderOnOneConnection(ClientProcess.Setup setup) {
        TestAccounts.Account user = user();
        int burst = 200;
        try (ClientProcess client = client(setup, PATH, user.token(), Map.of())) {
            client.await("subscribed");
            client.awaitTransport(setup);
            for (int i = 0; i < burst; i++) {
                publish("burst", Map.of("n", i), new Audience.User(user.userId()));
            }
            List<Integer> arrived = new ArrayList<>();
            while (arrived.size() < burst) {
                arrived.add(client.awaitEvent("burst").path("payload").path("n").asInt());
            }
            if (setup.kind() == ClientProcess.Kind.PYTHON) {
                // python-engineio runs each message's handler in a thread of its own: the order it prints is the threads'.
                arrived.sort(null);
            }
            assertEquals(IntStream.range(0, burst).boxed().toList(), arrived, "each once" + (setup.kind() == ClientProcess.Kind.NODE ? ", in order" : ""));
            assertTrue(client.seen().stream().noneMatch(line -> line.path("type").asText().equals("disconnect")),
                    "the connection held: " + client.seen());
        }
    }

    /** A server that stops and starts again on the same port: the clients reconnect by themselves and hear events again. */
    @ParameterizedTest
    @MethodSource("setups")
    void clientsReconnectAfterTheServerRestarts(ClientProcess.Setup setup, @TempDir Path otherRoot) {
        Map<String, String> settings = Map.of("multiuser", "true", "bcrypt_cost", "4",
                "socket_ping_interval_ms", "700", "socket_ping_timeout_ms", "3000");
        TestServer first = TestServer.start(otherRoot, settings);
        TestAccounts theirAccounts = new TestAccounts(first);
        TestAccounts.Account theAdmin = theirAccounts.setupAdmin("admin@test.com");
        int port = first.server().port();
        TestServer second = null;
        try (ClientProcess client = ClientProcess.start(setup, first.server().uri(), PATH, theAdmin.token(), "default", Map.of())) {
            client.await("subscribed");
            client.awaitTransport(setup);
            first.close();
            client.await("disconnect");
            Map<String, String> samePort = new HashMap<>(settings);
            samePort.put("port", String.valueOf(port));
            second = TestServer.start(otherRoot, samePort);
            client.await(line -> line.path("type").asText().equals("connect"), Duration.ofSeconds(30));
            TestServer restarted = second;
            // The connect comes before the client re-subscribes; events to its user need no room.
            restarted.server().events().publish(new ServerEvent("hello_again", TestPayload.of(Map.of()), new Audience.User(theAdmin.userId())));
            client.awaitEvent("hello_again");
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}

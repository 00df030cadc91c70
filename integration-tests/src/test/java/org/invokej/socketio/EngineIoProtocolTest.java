package org.invokej.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.http.socketio.LiveSockets;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Engine.IO v4 / Socket.IO v5 wire protocol of {@code /ws/socket.io/}, frame by frame with the JDK's
 * WebSocket client, on a single-user server (where every socket may connect) with a fast heartbeat.
 */
class EngineIoProtocolTest {

    private static final int PING_MS = 1000; // short enough to watch pings, long enough for a loaded 2-core machine to answer them
    private static final String SID = "[A-Za-z0-9_-]{20}";

    @TempDir
    static Path root;

    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("socket_ping_interval_ms", String.valueOf(PING_MS),
                "socket_ping_timeout_ms", String.valueOf(PING_MS), "base_url", "/invoke"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestSocket open() {
        return TestSocket.open(server.server().uri());
    }

    private static void publishToEveryone(String name) {
        server.server().events().publish(new ServerEvent(name, TestPayload.of(Map.of("n", 1)), new Audience.Everyone()));
    }

    @Test
    void theServerSpeaksFirstWithEveryOpenField() {
        Set<String> sids = new HashSet<>();
        for (String path : new String[] {"/ws/socket.io/" + TestSocket.QUERY, "/ws/socket.io" + TestSocket.QUERY,
                "/ws/socket.io/?transport=websocket&EIO=4&t=1767225600.4217", "/invoke/ws/socket.io/" + TestSocket.QUERY}) {
            try (TestSocket socket = TestSocket.open(server.server().uri(), path, Map.of(), true)) {
                JsonNode open = socket.openPacket();
                assertTrue(open.path("sid").asText().matches(SID), open.toString());
                assertTrue(open.path("upgrades").isArray() && open.path("upgrades").isEmpty(), open.toString());
                assertTrue(open.path("pingInterval").isInt() && open.path("pingInterval").asInt() == PING_MS, open.toString());
                assertTrue(open.path("pingTimeout").isInt() && open.path("pingTimeout").asInt() == PING_MS, open.toString());
                assertEquals(1_000_000, open.path("maxPayload").asInt(), open.toString());
                assertEquals(5, open.size(), "exactly the five fields: " + open);
                sids.add(open.path("sid").asText());

                socket.send("40");
                String reply = socket.next();
                assertTrue(reply.matches("40\\{\"sid\":\"" + SID + "\"}"), reply);
                assertNotEquals(open.path("sid").asText(), reply.substring(10, 30), "the socket id is not the Engine.IO id");
            }
        }
        assertEquals(4, sids.size(), "every connection has its own id");
    }

    @Test
    void theServerPingsAfterEachPongAndDropsAClientThatStopsAnswering() throws InterruptedException {
        try (TestSocket socket = TestSocket.manualPings(server.server().uri())) {
            socket.openPacket();
            socket.send("40");
            socket.next();
            long start = System.nanoTime();
            assertEquals("2", socket.next());
            long firstPing = (System.nanoTime() - start) / 1_000_000;
            assertTrue(firstPing >= PING_MS / 2 && firstPing < PING_MS * 5, "first ping after about one interval: " + firstPing + " ms");
            socket.send("3");
            long pong = System.nanoTime();
            assertEquals("2", socket.next());
            long secondPing = (System.nanoTime() - pong) / 1_000_000;
            assertTrue(secondPing >= PING_MS / 2 && secondPing < PING_MS * 5, "next ping one interval after the pong: " + secondPing + " ms");
            // No pong now: given up after the timeout.
            long silent = System.nanoTime();
            OptionalInt status = socket.awaitClose(Duration.ofSeconds(5));
            assertTrue(status.isPresent(), "closed for want of a pong");
            long gone = (System.nanoTime() - silent) / 1_000_000;
            assertTrue(gone >= PING_MS / 2, "not before the ping timeout: " + gone + " ms");
        }
        awaitNoSockets();
    }

    @Test
    void pingsKeepComingWhileEventsFlowAndAnsweredPingsKeepTheConnection() throws InterruptedException {
        try (TestSocket socket = open()) {
            socket.connect(null);
            for (int i = 0; i < 10; i++) {
                publishToEveryone("tick");
                assertEquals("tick", socket.nextEvent().get(0).asText());
                Thread.sleep(PING_MS / 2);
            }
            assertFalse(socket.isClosed(), "a client that answers pings stays connected across several intervals");
        }
    }

    @Test
    void aClientPingIsAnsweredWithItsPayload() {
        try (TestSocket socket = open()) {
            socket.openPacket();
            socket.send("2probe");
            assertEquals("3probe", socket.next());
        }
    }

    @Test
    void badOpeningRequestsGetTheReferenceServersAnswers() {
        int port = server.server().port();
        String unknown = "{\"code\":0,\"message\":\"Transport unknown\"}";
        assertRefused(RawHttp.send(port, "GET", "/ws/socket.io/?EIO=4", ""), unknown);
        assertRefused(RawHttp.upgrade(port, "GET", "/ws/socket.io/?EIO=4&transport=flash"), unknown);
        assertRefused(RawHttp.upgrade(port, "GET", "/ws/socket.io/?EIO=4&transport=websocket&sid=Qn8cV0h3aE2YbJmXAAAB"),
                "{\"code\":1,\"message\":\"Session ID unknown\"}");
        assertRefused(RawHttp.send(port, "POST", "/ws/socket.io/?EIO=4&transport=websocket", ""),
                "{\"code\":2,\"message\":\"Bad handshake method\"}");
        assertRefused(RawHttp.send(port, "GET", "/ws/socket.io/?EIO=4&transport=websocket", ""),
                "{\"code\":3,\"message\":\"Bad request\"}");
        for (String eio : new String[] {"EIO=3&", "", "EIO=abc&"}) {
            assertRefused(RawHttp.upgrade(port, "GET", "/ws/socket.io/?" + eio + "transport=websocket"),
                    "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        }
        assertEquals(101, RawHttp.upgrade(port, "GET", "/ws/socket.io/?EIO=4&transport=websocket").status(), "the good one opens");
    }

    private static void assertRefused(RawHttp answer, String body) {
        assertEquals(400, answer.status(), answer.head());
        assertTrue(answer.head().toLowerCase().contains("content-type: application/json"), answer.head());
        assertEquals(body, answer.body());
    }

    @Test
    void browsersMayConnectFromThePagesOwnOriginOnly() {
        int port = server.server().port();
        String upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n";
        String target = "/ws/socket.io/" + TestSocket.QUERY;
        assertEquals(101, RawHttp.send(port, "GET", target, upgrade + "Origin: http://127.0.0.1:" + port + "\r\n").status(),
                "same origin (also what python's websocket-client sends)");
        assertEquals(101, RawHttp.send(port, "GET", target, upgrade).status(), "no Origin: not a browser");
        assertEquals(403, RawHttp.send(port, "GET", target, upgrade + "Origin: http://evil.example\r\n").status(),
                "another site's page may not listen in");
    }

    @Test
    void otherPathsAreNotTheEndpoint() {
        int port = server.server().port();
        for (String path : new String[] {"/ws/socket.io/extra?EIO=4&transport=websocket", "/ws/socketio/?EIO=4&transport=websocket",
                "/ws/?EIO=4&transport=websocket", "/other/ws/socket.io/?EIO=4&transport=websocket"}) {
            RawHttp answer = RawHttp.upgrade(port, "GET", path);
            assertEquals(404, answer.status(), path + ": " + answer.head());
        }
        assertThrows(IllegalStateException.class, () -> TestSocket.open(server.server().uri(),
                "/ws/socketio/" + TestSocket.QUERY, Map.of(), true));
    }

    @Test
    void messagesUpToMaxPayloadAreTakenAndLargerOnesCloseTheConnection() {
        String prefix = "42[\"noop\",\"";
        String suffix = "\"]";
        try (TestSocket socket = open()) {
            socket.connect(null);
            socket.send(prefix + "x".repeat(1_000_000 - prefix.length() - suffix.length()) + suffix);
            socket.send("2after");
            assertEquals("3after", socket.next(), "a message of exactly maxPayload bytes is fine");
        }
        try (TestSocket socket = open()) {
            socket.connect(null);
            socket.send(prefix + "x".repeat(1_000_001 - prefix.length() - suffix.length()) + suffix);
            assertEquals(OptionalInt.of(1009), socket.awaitClose(TestSocket.WAIT), "one byte over: closed as too big");
        }
        try (TestSocket socket = open()) {
            socket.connect(null);
            // 333,334 three-byte characters: under the limit in characters, over it in bytes.
            socket.send(prefix + "€".repeat(333_334) + suffix);
            assertEquals(OptionalInt.of(1009), socket.awaitClose(TestSocket.WAIT), "the limit counts UTF-8 bytes");
        }
        try (TestSocket socket = open()) {
            socket.connect(null);
            socket.sendFragmented(prefix + "x".repeat(1_100_000) + suffix, 100_000);
            assertEquals(OptionalInt.of(1009), socket.awaitClose(TestSocket.WAIT), "fragments add up");
        }
    }

    @Test
    void protocolErrorsCloseTheConnection() {
        String[][] cases = {
                {"an event before CONNECT", "", "42[\"subscribe_queue\",{}]"},
                {"an unknown Engine.IO type", "40", "9"},
                {"an empty message", "40", ""},
                {"an unknown Socket.IO type", "40", "47[]"},
                {"an event that is not an array", "40", "42{}"},
                {"an event without a name", "40", "42[]"},
                {"payload that is not JSON", "40", "42[\"a\",}"},
                {"trailing garbage", "40", "42[\"a\"]x"},
                {"a second CONNECT", "40", "40"},
                {"a DISCONNECT with a payload", "40", "41{}"},
                {"a binary event", "40", "451-[\"a\",{\"_placeholder\":true,\"num\":0}]"},
                {"a CONNECT_ERROR from a client", "40", "44{\"message\":\"x\"}"},
        };
        for (String[] c : cases) {
            try (TestSocket socket = open()) {
                socket.openPacket();
                if (!c[1].isEmpty()) {
                    socket.send(c[1]);
                    assertTrue(socket.next().startsWith("40{"), c[0]);
                }
                socket.send(c[2]);
                assertEquals(OptionalInt.of(1002), socket.awaitClose(TestSocket.WAIT), c[0]);
            }
        }
        try (TestSocket socket = open()) {
            socket.connect(null);
            socket.sendBinary(new byte[] {1, 2, 3});
            assertEquals(OptionalInt.of(1003), socket.awaitClose(TestSocket.WAIT), "binary frames are not taken");
        }
        try (TestSocket socket = open()) {
            socket.connect(null);
            socket.send("1");
            assertTrue(socket.awaitClose(TestSocket.WAIT).isPresent(), "an Engine.IO close packet closes");
        }
    }

    @Test
    void upgradeAndNoopPacketsAreIgnored() {
        try (TestSocket socket = open()) {
            socket.connect(null);
            socket.send("5");
            socket.send("6");
            socket.send("2still");
            assertEquals("3still", socket.next());
        }
    }

    @Test
    void onlyTheDefaultNamespaceExists() {
        try (TestSocket socket = open()) {
            socket.openPacket();
            socket.send("40/admin,{\"token\":\"x\"}");
            assertEquals("44/admin,{\"message\":\"Invalid namespace\"}", socket.next());
            socket.send("40/admin?x=1,");
            assertEquals("44/admin,{\"message\":\"Invalid namespace\"}", socket.next(), "a query suffix is not part of the name");
            socket.send("40");
            assertTrue(socket.next().startsWith("40{\"sid\""), "the default namespace still connects");
            socket.send("42/admin,1[\"subscribe_queue\",{\"queue_id\":\"default\"}]");
            socket.send("2x");
            assertEquals("3x", socket.next(), "events for an unconnected namespace are dropped, unanswered");
        }
    }

    @Test
    void knownEventsAreAcknowledgedWhenAskedAndUnknownOnesNever() {
        try (TestSocket socket = open()) {
            socket.connect(null);
            socket.send("421[\"subscribe_queue\",{\"queue_id\":\"default\"}]");
            assertEquals("431[]", socket.next());
            socket.send("420[\"unsubscribe_queue\",{\"queue_id\":\"default\"}]");
            assertEquals("430[]", socket.next(), "socket.io-client counts from 0");
            socket.send("427[\"subscribe_bulk_download\",{\"bulk_download_id\":\"default\"}]");
            assertEquals("437[]", socket.next());
            socket.send("42[\"subscribe_queue\",{\"queue_id\":\"default\"}]");
            socket.send("423[\"no_such_event\",{}]");
            socket.send("2x");
            assertEquals("3x", socket.next(), "no ack without an id, none for an unknown event");
        }
    }

    @Test
    void aClientDisconnectEndsTheSocketAndItMayConnectAgain() throws InterruptedException {
        try (TestSocket socket = open()) {
            String first = socket.connect(null);
            socket.send("41");
            socket.send("2y");
            assertEquals("3y", socket.next(), "the server read the 41");
            publishToEveryone("missed");
            socket.send("2x");
            assertEquals("3x", socket.next(), "no event after the socket disconnected");
            socket.send("40");
            String second = socket.next();
            assertTrue(second.startsWith("40{\"sid\""), second);
            assertNotEquals(first, second, "a new socket id");
            publishToEveryone("seen");
            assertEquals("seen", socket.nextEvent().get(0).asText());
        }
        awaitNoSockets();
    }

    @Test
    void eventsArriveAsOneFramePerPacketWithATimestamp() {
        try (TestSocket socket = open()) {
            socket.connect(null);
            server.server().events().publish(new ServerEvent("queue_cleared", TestPayload.of(Map.of("queue_id", "default")), new Audience.Everyone()));
            server.server().events().publish(new ServerEvent("stamped", TestPayload.of(Map.of("timestamp", 42)), new Audience.Everyone()));
            JsonNode event = socket.nextEvent();
            assertEquals("queue_cleared", event.get(0).asText());
            assertEquals("default", event.get(1).path("queue_id").asText());
            long now = System.currentTimeMillis() / 1000;
            assertTrue(event.get(1).path("timestamp").isIntegralNumber() && Math.abs(event.get(1).path("timestamp").asLong() - now) < 60, event.toString());
            assertEquals(42, socket.nextEvent().get(1).path("timestamp").asInt(), "a payload's own timestamp is kept");
            server.server().events().publish(new ServerEvent("disconnect", TestPayload.of(Map.of()), new Audience.Everyone()));
            socket.send("2x");
            assertEquals("3x", socket.next(), "reserved names are never sent: the JS client would drop the connection");
        }
    }

    @Test
    void stoppingTheServerClosesEveryConnectionAsGoingAway(@TempDir Path otherRoot) {
        TestServer stopping = TestServer.start(otherRoot, Map.of());
        try (TestSocket connected = TestSocket.open(stopping.server().uri()); TestSocket opened = TestSocket.open(stopping.server().uri())) {
            connected.connect(null);
            opened.openPacket();
            stopping.close();
            assertEquals(OptionalInt.of(1001), connected.awaitClose(TestSocket.WAIT));
            assertEquals(OptionalInt.of(1001), opened.awaitClose(TestSocket.WAIT));
        }
    }

    /** Once every test socket is closed, the server holds none: a closed WebSocket disconnects its socket. */
    private static void awaitNoSockets() throws InterruptedException {
        LiveSockets sockets = server.server().sockets();
        for (int i = 0; i < 100 && sockets.connectedSockets() > 0; i++) {
            Thread.sleep(50);
        }
        assertEquals(0, sockets.connectedSockets());
    }
}

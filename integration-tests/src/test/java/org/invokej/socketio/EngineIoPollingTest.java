package org.invokej.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.http.socketio.LiveSockets;
import org.invokej.testing.Scripts;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Engine.IO v4 long-polling on the wire, request by request: the handshake, payload framing, the
 * heartbeat, the one-GET-at-a-time rule, {@code maxPayload}, the upgrade to a WebSocket on the same
 * sid, the reference server's 400s, the same-origin rule and the limits on open polling sessions.
 */
class EngineIoPollingTest {

    private static final int PING_MS = 600;
    private static final String SID = "[A-Za-z0-9_-]{20}";
    private static final ObjectMapper MAPPER = new ObjectMapper();

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

    private static LiveSockets hub() {
        return server.server().sockets();
    }

    private static void publishToEveryone(String name) {
        server.server().events().publish(new ServerEvent(name, TestPayload.of(Map.of("n", 1)), new Audience.Everyone()));
    }

    /** The next GET's packets other than pings, answering the pings on the way. */
    private static List<String> nonPingPackets(PollingClient client) {
        for (int i = 0; i < 10; i++) {
            List<String> packets = new ArrayList<>(client.packets());
            if (packets.remove("2")) {
                assertEquals(200, client.post("3").statusCode());
            }
            if (!packets.isEmpty()) {
                return packets;
            }
        }
        throw new AssertionError("only pings");
    }

    @Test
    void theHandshakeAnswersTheOpenPacketOfferingTheUpgrade() throws Exception {
        for (String path : new String[] {"/ws/socket.io/?EIO=4&transport=polling&t=PqR2x1a", "/ws/socket.io?transport=polling&EIO=4",
                "/invoke/ws/socket.io/?EIO=4&transport=polling"}) {
            RawHttp answer = RawHttp.send(server.server().port(), "GET", path, "");
            assertEquals(200, answer.status(), path + ": " + answer.head());
            assertTrue(answer.head().toLowerCase().contains("content-type: text/plain; charset=utf-8"), answer.head());
            assertTrue(answer.body().startsWith("0{"), answer.body());
            JsonNode open = MAPPER.readTree(answer.body().substring(1));
            assertTrue(open.path("sid").asText().matches(SID), open.toString());
            assertEquals("[\"websocket\"]", open.path("upgrades").toString());
            assertEquals(PING_MS, open.path("pingInterval").asInt());
            assertEquals(PING_MS, open.path("pingTimeout").asInt());
            assertEquals(1_000_000, open.path("maxPayload").asInt());
            assertEquals(5, open.size(), open.toString());
        }
    }

    @Test
    void payloadsJoinPacketsWithTheRecordSeparatorBothWays() {
        PollingClient client = PollingClient.open(server.server().uri());
        assertTrue(client.connect(null).matches("40\\{\"sid\":\"" + SID + "\"}"));
        HttpResponse<String> posted = client.post("421[\"subscribe_queue\",{\"queue_id\":\"default\"}]", "2probe");
        assertEquals(200, posted.statusCode());
        assertEquals("ok", posted.body());
        assertEquals(List.of("431[]", "3probe"), nonPingPackets(client), "an ack and the answer to a client ping, in one payload");
        publishToEveryone("first");
        publishToEveryone("second");
        List<String> events = nonPingPackets(client);
        assertEquals(2, events.size(), "events waiting together leave together: " + events);
        assertTrue(events.get(0).startsWith("42[\"first\",{"), events.toString());
        assertTrue(events.get(1).startsWith("42[\"second\",{"), events.toString());
        assertEquals(200, client.post("1").statusCode(), "the client closes");
        assertEquals(400, client.poll().statusCode(), "the session is gone");
    }

    /**
     * python-engineio's client drops the connection on a payload of more than 16 packets (losing every
     * event in it), so a backlog leaves in payloads of at most 16, in order; the client's own decoder
     * reads each one.
     */
    @Test
    void aBacklogLeavesInPayloadsThePythonClientDecodes() throws Exception {
        PollingClient client = PollingClient.open(server.server().uri());
        assertTrue(client.connect(null).startsWith("40{"));
        int backlog = 40;
        for (int i = 0; i < backlog; i++) {
            publishToEveryone("backlog-" + i);
        }
        List<String> payloads = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int polls = 0; events.size() < backlog && polls < 20; polls++) {
            HttpResponse<String> answer = client.poll();
            assertEquals(200, answer.statusCode(), answer.body());
            payloads.add(answer.body());
            for (String packet : answer.body().split(PollingClient.SEPARATOR, -1)) {
                if (packet.equals("2")) {
                    assertEquals(200, client.post("3").statusCode());
                } else {
                    events.add(packet);
                }
            }
        }
        assertEquals(backlog, events.size(), events.toString());
        for (int i = 0; i < backlog; i++) {
            assertTrue(events.get(i).startsWith("42[\"backlog-" + i + "\","), i + ": " + events);
        }
        assertTrue(payloads.size() >= 3, "40 packets take three payloads or more: " + payloads.size());
        // Debian's python3-engineio, which python-socketio's client runs on (the live-event tests' client).
        Scripts.Result decoded = Scripts.runCommand(List.of("/usr/bin/python3", "-c", "import json, sys\nfrom engineio import payload\n"
                + "print(json.dumps([len(payload.Payload(encoded_payload=p).packets) for p in json.load(sys.stdin)]))"),
                MAPPER.writeValueAsString(payloads));
        assertEquals(0, decoded.exitCode(), decoded.toString());
        List<Integer> counts = new ArrayList<>();
        MAPPER.readTree(decoded.stdout()).forEach(count -> counts.add(count.asInt()));
        assertEquals(payloads.stream().map(p -> p.split(PollingClient.SEPARATOR, -1).length).toList(), counts);
        assertTrue(counts.stream().allMatch(count -> count <= 16), counts.toString());
        client.post("1");
    }

    @Test
    void theServerPingsOverPollingAndDropsASessionThatStopsAnswering() {
        PollingClient client = PollingClient.open(server.server().uri());
        client.connect(null);
        assertEquals(List.of("2"), client.packets(), "a GET waits for the ping");
        assertEquals(200, client.post("3").statusCode());
        assertEquals(List.of("2"), client.packets(), "and the next one after the pong");
        // No pong: the session ends, and the waiting GET carries the close packet.
        assertEquals(List.of("1"), client.packets());
        HttpResponse<String> after = client.poll();
        assertEquals(400, after.statusCode());
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", after.body());
    }

    @Test
    void aSecondGetWhileOneWaitsClosesTheSessionAsTheReferenceDoes() throws Exception {
        PollingClient client = PollingClient.open(server.server().uri());
        client.connect(null);
        CompletableFuture<HttpResponse<String>> waiting = client.pollAsync();
        Thread.sleep(PING_MS / 4);
        HttpResponse<String> second = client.poll();
        assertEquals(400, second.statusCode());
        assertEquals("{\"code\":3,\"message\":\"Bad request\"}", second.body());
        HttpResponse<String> first = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(200, first.statusCode());
        assertTrue(first.body().endsWith("1"), "the waiting GET ends with the close packet: " + first.body());
        assertEquals(400, client.poll().statusCode(), "the session is gone");
    }

    @Test
    void aPostOverMaxPayloadIsRefusedAndEndsTheSession() {
        PollingClient client = PollingClient.open(server.server().uri());
        client.connect(null);
        String prefix = "42[\"noop\",\"";
        String suffix = "\"]";
        assertEquals(200, client.post(prefix + "x".repeat(1_000_000 - prefix.length() - suffix.length()) + suffix).statusCode(),
                "exactly maxPayload bytes is fine");
        HttpResponse<String> tooBig = client.post(prefix + "€".repeat(333_334) + suffix);
        assertEquals(413, tooBig.statusCode(), "the limit counts UTF-8 bytes");
        assertEquals(400, client.poll().statusCode(), "the session is gone");
    }

    @Test
    void binaryAndMalformedPacketsEndTheSession() {
        for (String[] c : new String[][] {{"binary, base64", "bAQID"}, {"unknown type", "9"}, {"an empty packet", ""},
                {"not JSON", "42[\"a\",}"}}) {
            PollingClient client = PollingClient.open(server.server().uri());
            client.connect(null);
            HttpResponse<String> answer = client.post("2x", c[1]);
            assertEquals(400, answer.statusCode(), c[0]);
            assertEquals("{\"code\":3,\"message\":\"Bad request\"}", answer.body(), c[0]);
            assertEquals(400, client.poll().statusCode(), c[0] + ": the session is gone");
        }
    }

    @Test
    void badRequestsGetTheReferenceServersAnswers() {
        int port = server.server().port();
        String unknownSid = "{\"code\":1,\"message\":\"Session ID unknown\"}";
        assertRefused(RawHttp.send(port, "GET", "/ws/socket.io/?EIO=4&transport=polling&sid=Qn8cV0h3aE2YbJmXAAAB", ""), 400, unknownSid);
        assertRefused(RawHttp.send(port, "POST", "/ws/socket.io/?EIO=4&transport=polling&sid=abc", ""), 400, unknownSid);
        assertRefused(RawHttp.send(port, "POST", "/ws/socket.io/?EIO=4&transport=polling", ""), 400,
                "{\"code\":2,\"message\":\"Bad handshake method\"}");
        assertRefused(RawHttp.send(port, "GET", "/ws/socket.io/?EIO=3&transport=polling", ""), 400,
                "{\"code\":5,\"message\":\"Unsupported protocol version\"}");
        assertRefused(RawHttp.send(port, "GET", "/ws/socket.io/?EIO=4&transport=flash", ""), 400,
                "{\"code\":0,\"message\":\"Transport unknown\"}");
        PollingClient client = PollingClient.open(server.server().uri());
        assertRefused(RawHttp.send(port, "PUT", client.target(), ""), 400, "{\"code\":3,\"message\":\"Bad request\"}");
        assertRefused(RawHttp.send(port, "GET", client.target().replace("polling", "websocket"), ""), 400,
                "{\"code\":3,\"message\":\"Bad request\"}");
    }

    @Test
    void pollingStaysSameOrigin() {
        int port = server.server().port();
        String target = "/ws/socket.io/?EIO=4&transport=polling";
        assertEquals(200, RawHttp.send(port, "GET", target, "Origin: http://127.0.0.1:" + port + "\r\n").status(), "the page's own origin");
        RawHttp foreign = RawHttp.send(port, "GET", target, "Origin: http://evil.example\r\n");
        assertRefused(foreign, 403, "{\"code\":4,\"message\":\"Forbidden\"}");
        assertFalse(foreign.head().toLowerCase().contains("access-control-allow-origin"), "no CORS: " + foreign.head());
    }

    @Test
    void theUpgradeProbesThenReleasesThePendingGetThenMovesTheSessionToTheWebSocket() throws Exception {
        PollingClient client = PollingClient.open(server.server().uri());
        String connected = client.connect(null);
        int pollingBefore = hub().pollingSessions();
        CompletableFuture<HttpResponse<String>> pending = client.pollAsync();
        try (TestSocket upgrade = TestSocket.open(server.server().uri(),
                "/ws/socket.io/?EIO=4&transport=websocket&sid=" + client.sid(), Map.of(), false)) {
            upgrade.send("2probe");
            assertEquals("3probe", upgrade.next(), "the probe is answered first, nothing before it");
            HttpResponse<String> released = pending.get(10, TimeUnit.SECONDS);
            assertEquals(200, released.statusCode());
            assertTrue(released.body().endsWith("6"), "the pending GET ends with a noop: " + released.body());
            assertEquals(List.of("6"), client.packets(), "GETs during the upgrade get noops");
            publishToEveryone("during");
            upgrade.send("5");
            String next = upgrade.next();
            while (next.equals("2") || next.equals("6")) {
                if (next.equals("2")) {
                    upgrade.send("3");
                }
                next = upgrade.next();
            }
            assertTrue(next.startsWith("42[\"during\""), "what waited during the upgrade comes over the WebSocket: " + next);
            publishToEveryone("after");
            assertEquals("after", upgrade.nextEvent().get(0).asText());
            assertEquals(pollingBefore - 1, hub().pollingSessions(), "no longer counted as polling");
            HttpResponse<String> stale = client.poll();
            assertEquals(400, stale.statusCode(), "no polling once upgraded");
            assertEquals("{\"code\":3,\"message\":\"Bad request\"}", stale.body());
            upgrade.send("421[\"subscribe_queue\",{\"queue_id\":\"default\"}]");
            String ack = upgrade.next();
            while (ack.equals("2")) {
                upgrade.send("3");
                ack = upgrade.next();
            }
            assertEquals("431[]", ack, "the same socket (" + connected + ") carries on over the WebSocket");
        }
    }

    @Test
    void aSecondProbeOfTheSameSessionIsRefused() {
        PollingClient client = PollingClient.open(server.server().uri());
        client.connect(null);
        try (TestSocket first = TestSocket.open(server.server().uri(),
                "/ws/socket.io/?EIO=4&transport=websocket&sid=" + client.sid(), Map.of(), false)) {
            first.send("2probe");
            assertEquals("3probe", first.next());
            RawHttp second = RawHttp.upgrade(server.server().port(), "GET", "/ws/socket.io/?EIO=4&transport=websocket&sid=" + client.sid());
            assertRefused(second, 400, "{\"code\":3,\"message\":\"Bad request\"}");
        }
    }

    @Test
    void limitsOnOpenPollingSessionsOverallAndPerUser(@TempDir Path otherRoot) {
        TestServer limited = TestServer.start(otherRoot, Map.of("multiuser", "true", "bcrypt_cost", "4",
                "socket_max_polling_sessions", "3", "socket_max_polling_sessions_per_user", "2"));
        try {
            TestAccounts accounts = new TestAccounts(limited);
            TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
            String auth = "{\"token\":\"" + admin.token() + "\"}";
            PollingClient one = PollingClient.open(limited.server().uri());
            PollingClient two = PollingClient.open(limited.server().uri());
            PollingClient three = PollingClient.open(limited.server().uri());
            assertTrue(one.connect(auth).startsWith("40{\"sid\""));
            assertTrue(two.connect(auth).startsWith("40{\"sid\""));
            assertEquals("44{\"message\":\"Too many long-polling connections for this user\"}", three.connect(auth),
                    "a third polling socket of the same user");
            RawHttp fourth = RawHttp.send(limited.server().port(), "GET", "/ws/socket.io/?EIO=4&transport=polling", "");
            assertRefused(fourth, 403, "{\"code\":4,\"message\":\"Too many long-polling sessions\"}");
            assertEquals(200, one.post("1").statusCode(), "one closes");
            PollingClient again = PollingClient.open(limited.server().uri());
            assertTrue(again.connect(auth).startsWith("40{\"sid\""), "room again for a session and for the user's socket");
            // A WebSocket does not count against the polling limits.
            try (TestSocket webSocket = TestSocket.open(limited.server().uri())) {
                webSocket.connectWithToken(admin.token());
            }
        } finally {
            limited.close();
        }
    }

    @Test
    void stoppingTheServerFailsTheWaitingGetSoThatClientsReconnect(@TempDir Path otherRoot) throws Exception {
        TestServer stopping = TestServer.start(otherRoot, Map.of());
        PollingClient client = PollingClient.open(stopping.server().uri());
        client.connect(null);
        CompletableFuture<HttpResponse<String>> waiting = client.pollAsync();
        Thread.sleep(200);
        stopping.close();
        HttpResponse<String> answer = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(400, answer.statusCode(), "not the close packet, which tells python-engineio not to come back: " + answer.body());
        assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", answer.body());
    }

    private static void assertRefused(RawHttp answer, int status, String body) {
        assertEquals(status, answer.status(), answer.head());
        assertTrue(answer.head().toLowerCase().contains("content-type: application/json"), answer.head());
        assertEquals(body, answer.body());
    }
}

package org.invokej.authz;

import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.TestPayload;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestSocket;
import org.invokej.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The authorization matrix of the live event socket: who may connect, for every caller of the REST
 * matrix, with the token in the CONNECT's auth payload and in the opening request's Authorization
 * header, over a WebSocket and over long-polling. The WebSocket upgrade and the polling handshake are
 * open to all (they are no REST routes); the Socket.IO CONNECT decides, with {@code Sessions.resolve},
 * and a refusal says nothing about why.
 */
class SocketHandshakeMatrixTest {

    static final String REJECTED = "44{\"message\":\"Connection rejected by server\"}";
    private static final Set<Who> ACCEPTED = EnumSet.of(Who.OWNER, Who.OTHER, Who.ADMIN);

    @TempDir
    static Path root;

    private static MatrixWorld world;

    @BeforeAll
    static void start() {
        world = new MatrixWorld(root);
    }

    @AfterAll
    static void stop() {
        world.close();
    }

    private static TestSocket open(Map<String, String> headers) {
        return TestSocket.open(world.server.server().uri(), "/ws/socket.io/" + TestSocket.QUERY, headers, true);
    }

    private static String auth(String token) {
        return "{\"token\":\"" + token + "\"}";
    }

    private static String token(Who who) {
        return world.token(who).orElseThrow();
    }

    @ParameterizedTest
    @EnumSource(Who.class)
    void withTheTokenInTheAuthPayload(Who who) {
        try (TestSocket socket = open(Map.of())) {
            assertOutcome(who, socket, socket.connect(world.token(who).map(SocketHandshakeMatrixTest::auth).orElse("{}")));
        }
    }

    @ParameterizedTest
    @EnumSource(Who.class)
    void withTheTokenInTheAuthorizationHeader(Who who) {
        try (TestSocket socket = open(world.token(who).map(token -> Map.of("Authorization", "Bearer " + token)).orElse(Map.of()))) {
            assertOutcome(who, socket, socket.connect(null));
        }
    }

    @ParameterizedTest
    @EnumSource(Who.class)
    void overLongPollingWithTheTokenInTheAuthPayload(Who who) throws Exception {
        assertPollingOutcome(who, Map.of(), world.token(who).map(SocketHandshakeMatrixTest::auth).orElse("{}"));
    }

    @ParameterizedTest
    @EnumSource(Who.class)
    void overLongPollingWithTheTokenInTheHandshakesAuthorizationHeader(Who who) throws Exception {
        assertPollingOutcome(who, world.token(who).map(token -> Map.of("Authorization", "Bearer " + token)).orElse(Map.of()), "");
    }

    /** A polling handshake with {@code headers}, a CONNECT with {@code auth}: accepted or refused as over the WebSocket. */
    private static void assertPollingOutcome(Who who, Map<String, String> headers, String auth) throws Exception {
        java.net.URI server = world.server.server().uri();
        HttpRequest.Builder handshake = HttpRequest.newBuilder(server.resolve("/ws/socket.io/?EIO=4&transport=polling"));
        headers.forEach(handshake::header);
        String open = HTTP.send(handshake.build(), HttpResponse.BodyHandlers.ofString()).body();
        int at = open.indexOf("\"sid\":\"") + 7;
        java.net.URI session = server.resolve("/ws/socket.io/?EIO=4&transport=polling&sid=" + open.substring(at, open.indexOf('"', at)));
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(session).POST(HttpRequest.BodyPublishers.ofString("40" + auth)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        String reply = HTTP.send(HttpRequest.newBuilder(session).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        if (ACCEPTED.contains(who)) {
            assertTrue(reply.startsWith("40{\"sid\":\""), who + ": " + reply);
        } else {
            assertEquals(REJECTED, reply, who + " is refused without saying why");
        }
        HTTP.send(HttpRequest.newBuilder(session).POST(HttpRequest.BodyPublishers.ofString("1")).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static void assertOutcome(Who who, TestSocket socket, String reply) {
        if (ACCEPTED.contains(who)) {
            assertTrue(reply.startsWith("40{\"sid\":\""), who + ": " + reply);
        } else {
            assertEquals(REJECTED, reply, who + " is refused without saying why");
            socket.send("2x");
            assertEquals("3x", socket.next(), "the connection stays open");
        }
    }

    @Test
    void theSystemUserNeverConnects() {
        String system = TestTokens.sign(TestTokens.secret(root), TestTokens.claims("system", "system@system.invokeai", true, 0,
                Instant.now().plusSeconds(3600)));
        try (TestSocket socket = open(Map.of())) {
            assertEquals(REJECTED, socket.connect(auth(system)));
        }
    }

    @Test
    void theAuthPayloadComesFirstAndABadOneNeverFallsBackToTheHeader() {
        Map<String, String> goodHeader = Map.of("Authorization", "Bearer " + token(Who.OWNER));
        try (TestSocket socket = open(goodHeader)) {
            assertEquals(REJECTED, socket.connect(auth(token(Who.EXPIRED))));
        }
        try (TestSocket socket = open(goodHeader)) {
            assertEquals(REJECTED, socket.connect("{\"token\":123}"), "a token that is not a string is a bad token");
        }
        try (TestSocket socket = open(goodHeader)) {
            assertTrue(socket.connect("{\"token\":\"\"}").startsWith("40{\"sid\""), "an empty token is no token: the header counts");
        }
        try (TestSocket socket = open(Map.of("Authorization", "Bearer " + token(Who.EXPIRED)))) {
            assertTrue(socket.connect(auth(token(Who.OWNER))).startsWith("40{\"sid\""), "the payload wins over a bad header");
        }
        try (TestSocket socket = open(Map.of("Authorization", "bearer " + token(Who.OWNER)))) {
            assertEquals(REJECTED, socket.connect(null), "the header must begin with exactly 'Bearer '");
        }
        try (TestSocket socket = TestSocket.open(world.server.server().uri(),
                "/ws/socket.io/" + TestSocket.QUERY + "&token=" + token(Who.OWNER), Map.of(), true)) {
            assertEquals(REJECTED, socket.connect("{}"), "tokens in the query string are not taken");
        }
    }

    @Test
    void aRefusedClientMayTryAgainOnTheSameConnection() {
        try (TestSocket socket = open(Map.of())) {
            assertEquals(REJECTED, socket.connect("{}"));
            assertTrue(socket.awaitClose(Duration.ofMillis(1500)).isEmpty(),
                    "the server leaves closing to the client (python-socketio would retry otherwise)");
            socket.send("40" + auth(token(Who.OWNER)));
            assertTrue(socket.next().startsWith("40{\"sid\""));
        }
    }

    @Test
    void theRoleComesFromTheDatabaseNotTheToken() {
        try (TestSocket tampered = open(Map.of());
             TestSocket user = open(Map.of()).connectWithToken(token(Who.OWNER));
             TestSocket admin = open(Map.of()).connectWithToken(token(Who.ADMIN))) {
            assertEquals(REJECTED, tampered.connect(auth(token(Who.TAMPERED))), "claiming admin rights does not work");
            world.server.server().events().publish(new ServerEvent("model_install_started", TestPayload.of(Map.of("id", 1)), new Audience.Admins()));
            world.server.server().events().publish(new ServerEvent("marker", TestPayload.of(Map.of()), new Audience.Everyone()));
            assertEquals("model_install_started", admin.nextEvent().get(0).asText());
            assertEquals("marker", user.nextEvent().get(0).asText(), "the user is not in the admin room");
        }
    }

    @Test
    void inSingleUserModeEverySocketIsTheSystemAdministrator(@TempDir Path suRoot) {
        try (TestServer single = TestServer.start(suRoot, Map.of())) {
            for (String auth : new String[] {null, "{}", auth("not-a-token"), auth(token(Who.OWNER))}) {
                try (TestSocket socket = TestSocket.open(single.server().uri())) {
                    String reply = socket.connect(auth);
                    assertTrue(reply.startsWith("40{\"sid\""), auth + ": " + reply);
                    single.server().events().publish(new ServerEvent("download_started", TestPayload.of(Map.of()), new Audience.Admins()));
                    single.server().events().publish(new ServerEvent("invocation_progress", TestPayload.of(Map.of("p", 1)), new Audience.User("system")));
                    assertEquals("download_started", socket.nextEvent().get(0).asText(), "in the admin room");
                    assertEquals("invocation_progress", socket.nextEvent().get(0).asText(), "in the system user's room");
                    assertFalse(socket.isClosed());
                }
            }
        }
    }
}

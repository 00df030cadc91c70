package org.invokej.socketio;

import org.invokej.core.events.Audience;
import org.invokej.core.events.ServerEvent;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestSocket;
import org.invokej.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Who may connect a socket in multi-user mode: every kind of caller of the authorization matrix, with
 * the token in the CONNECT's auth payload and in the opening request's Authorization header. The
 * upgrade itself is open to all; the decision is the CONNECT's, and a refusal says nothing about why.
 */
class SocketHandshakeMatrixTest {

    static final String REJECTED = "44{\"message\":\"Connection rejected by server\"}";

    /** The callers, as in the REST authorization matrix. */
    enum Caller {
        ANONYMOUS(false), USER(true), ADMIN(true), DEACTIVATED(false), EXPIRED(false), TAMPERED(false),
        WRONG_KEY(false), ALG_NONE(false), REVOKED(false), SYSTEM_CLAIMS(false);

        final boolean accepted;

        Caller(boolean accepted) {
            this.accepted = accepted;
        }
    }

    @TempDir
    static Path root;

    private static TestServer server;
    private static final Map<Caller, String> TOKENS = new EnumMap<>(Caller.class);

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        TestAccounts accounts = new TestAccounts(server);
        TestAccounts.Account admin = accounts.setupAdmin("admin@test.com");
        TestAccounts.Account user = accounts.create(admin, "user@test.com", "User", false);
        TestAccounts.Account gone = accounts.create(admin, "gone@test.com", "Gone", false);
        accounts.setActive(admin, gone.userId(), false);
        TestAccounts.Account leaving = accounts.login(user.email(), TestAccounts.PASSWORD);
        leaving.client().post("/api/v1/auth/logout", null);

        String secret = TestTokens.secret(root);
        Instant later = Instant.now().plusSeconds(3600);
        Map<String, Object> userClaims = TestTokens.claims(user.userId(), user.email(), false, 0, later);
        TOKENS.put(Caller.USER, user.token());
        TOKENS.put(Caller.ADMIN, admin.token());
        TOKENS.put(Caller.DEACTIVATED, gone.token());
        TOKENS.put(Caller.EXPIRED, TestTokens.sign(secret, TestTokens.claims(user.userId(), user.email(), false, 0, Instant.now().minusSeconds(5))));
        TOKENS.put(Caller.TAMPERED, TestTokens.tampered(user.token(), TestTokens.claims(user.userId(), user.email(), true, 0, later)));
        TOKENS.put(Caller.WRONG_KEY, TestTokens.sign("another-secret-another-secret-another-secret", userClaims));
        TOKENS.put(Caller.ALG_NONE, TestTokens.unsigned(userClaims));
        TOKENS.put(Caller.REVOKED, leaving.token());
        TOKENS.put(Caller.SYSTEM_CLAIMS, TestTokens.sign(secret, TestTokens.claims("system", "system@system.invokeai", true, 0, later)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static TestSocket open(Map<String, String> headers) {
        return TestSocket.open(server.server().uri(), "/ws/socket.io/" + TestSocket.QUERY, headers, true);
    }

    private static String auth(String token) {
        return token == null ? "{}" : "{\"token\":\"" + token + "\"}";
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void withTheTokenInTheAuthPayload(Caller caller) {
        try (TestSocket socket = open(Map.of())) {
            assertOutcome(caller, socket, socket.connect(auth(TOKENS.get(caller))));
        }
    }

    @ParameterizedTest
    @EnumSource(Caller.class)
    void withTheTokenInTheAuthorizationHeader(Caller caller) {
        String token = TOKENS.get(caller);
        try (TestSocket socket = open(token == null ? Map.of() : Map.of("Authorization", "Bearer " + token))) {
            assertOutcome(caller, socket, socket.connect(null));
        }
    }

    private static void assertOutcome(Caller caller, TestSocket socket, String reply) {
        if (caller.accepted) {
            assertTrue(reply.startsWith("40{\"sid\":\""), caller + ": " + reply);
        } else {
            assertEquals(REJECTED, reply, caller + " is refused without saying why");
            socket.send("2x");
            assertEquals("3x", socket.next(), "the connection stays open");
        }
    }

    @Test
    void theAuthPayloadComesFirstAndABadOneNeverFallsBackToTheHeader() {
        Map<String, String> goodHeader = Map.of("Authorization", "Bearer " + TOKENS.get(Caller.USER));
        try (TestSocket socket = open(goodHeader)) {
            assertEquals(REJECTED, socket.connect(auth(TOKENS.get(Caller.EXPIRED))));
        }
        try (TestSocket socket = open(goodHeader)) {
            assertEquals(REJECTED, socket.connect("{\"token\":123}"), "a token that is not a string is a bad token");
        }
        try (TestSocket socket = open(goodHeader)) {
            assertTrue(socket.connect("{\"token\":\"\"}").startsWith("40{\"sid\""), "an empty token is no token: the header counts");
        }
        try (TestSocket socket = open(Map.of("Authorization", "Bearer " + TOKENS.get(Caller.EXPIRED)))) {
            assertTrue(socket.connect(auth(TOKENS.get(Caller.USER))).startsWith("40{\"sid\""), "the payload wins over a bad header");
        }
        try (TestSocket socket = open(Map.of("Authorization", "bearer " + TOKENS.get(Caller.USER)))) {
            assertEquals(REJECTED, socket.connect(null), "the header must begin with exactly 'Bearer '");
        }
        try (TestSocket socket = TestSocket.open(server.server().uri(),
                "/ws/socket.io/" + TestSocket.QUERY + "&token=" + TOKENS.get(Caller.USER), Map.of(), true)) {
            assertEquals(REJECTED, socket.connect("{}"), "tokens in the query string are not taken");
        }
    }

    @Test
    void aRefusedClientMayTryAgainOnTheSameConnection() {
        try (TestSocket socket = open(Map.of())) {
            assertEquals(REJECTED, socket.connect("{}"));
            assertTrue(socket.awaitClose(Duration.ofMillis(1500)).isEmpty(),
                    "the server leaves closing to the client (python-socketio would retry otherwise)");
            socket.send("40" + auth(TOKENS.get(Caller.USER)));
            assertTrue(socket.next().startsWith("40{\"sid\""));
        }
    }

    @Test
    void theRoleComesFromTheDatabaseNotTheToken() {
        try (TestSocket user = open(Map.of()).connectWithToken(TOKENS.get(Caller.USER));
             TestSocket admin = open(Map.of()).connectWithToken(TOKENS.get(Caller.ADMIN))) {
            server.server().events().publish(new ServerEvent("model_install_started", Map.of("id", 1), new Audience.Admins()));
            server.server().events().publish(new ServerEvent("marker", Map.of(), new Audience.Everyone()));
            assertEquals("model_install_started", admin.nextEvent().get(0).asText());
            assertEquals("marker", user.nextEvent().get(0).asText(), "the user is not in the admin room");
        }
    }

    @Test
    void inSingleUserModeEverySocketIsTheSystemAdministrator(@TempDir Path suRoot) {
        try (TestServer single = TestServer.start(suRoot, Map.of())) {
            for (String auth : new String[] {null, "{}", auth("not-a-token"), auth(TOKENS.get(Caller.USER))}) {
                try (TestSocket socket = TestSocket.open(single.server().uri())) {
                    String reply = socket.connect(auth);
                    assertTrue(reply.startsWith("40{\"sid\""), auth + ": " + reply);
                    single.server().events().publish(new ServerEvent("download_started", Map.of(), new Audience.Admins()));
                    single.server().events().publish(new ServerEvent("invocation_progress", Map.of("p", 1), new Audience.User("system")));
                    assertEquals("download_started", socket.nextEvent().get(0).asText(), "in the admin room");
                    assertEquals("invocation_progress", socket.nextEvent().get(0).asText(), "in the system user's room");
                    assertFalse(socket.isClosed());
                }
            }
        }
    }
}

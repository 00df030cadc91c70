package org.invokej.hardening;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestResponse;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** Logging out ends the whole login session: the login token and every token refreshed from it. */
class SessionLogoutTest {

    @TempDir
    Path root;

    private TestServer server;
    private TestAccounts accounts;
    private TestAccounts.Account admin;

    @BeforeEach
    void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A token refreshed from {@code token} by a successful write (the sliding window). */
    private String refreshed(String token) {
        TestResponse write = server.client().withToken(token).post("/api/v1/boards/?board_name=refresh", null);
        assertEquals(201, write.status(), write.toString());
        String fresh = write.header("X-Refreshed-Token").orElseThrow();
        assertNotEquals(token, fresh);
        return fresh;
    }

    private int me(String token) {
        return server.client().withToken(token).get("/api/v1/auth/me").status();
    }

    @Test
    void loggingOutWithTheLoginTokenEndsTheRefreshedOnes() {
        String first = refreshed(admin.token());
        String second = refreshed(first);
        TestAccounts.Account other = accounts.login("admin@test.com", TestAccounts.PASSWORD);

        assertEquals(200, server.client().withToken(admin.token()).post("/api/v1/auth/logout", null).status());

        assertEquals(401, me(admin.token()));
        assertEquals(401, me(first), "a refreshed token of the session");
        assertEquals(401, me(second), "a token refreshed from a refreshed one");
        assertEquals(200, me(other.token()), "another login session goes on");
    }

    @Test
    void loggingOutWithARefreshedTokenEndsTheLoginToken() {
        String fresh = refreshed(admin.token());
        assertEquals(200, server.client().withToken(fresh).post("/api/v1/auth/logout", null).status());
        assertEquals(401, me(fresh));
        assertEquals(401, me(admin.token()));
    }

    @Test
    void invokeAiTokensWithoutASessionIdAreEndedOneByOne() {
        String secret = TestTokens.secret(root);
        Instant expires = Instant.now().plus(1, ChronoUnit.HOURS);
        String one = TestTokens.sign(secret, TestTokens.claims(admin.userId(), admin.email(), true, 0, expires));
        String two = TestTokens.sign(secret, TestTokens.claims(admin.userId(), admin.email(), true, 0, expires.plusSeconds(1)));
        assertEquals(200, me(one));
        assertEquals(200, server.client().withToken(one).post("/api/v1/auth/logout", null).status());
        assertEquals(401, me(one));
        assertEquals(200, me(two), "InvokeAI's tokens carry no session: only the one logged out ends");
        assertEquals(200, me(admin.token()));
    }
}

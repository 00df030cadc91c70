package org.invokej.accounts;

import com.nimbusds.jose.JWSAlgorithm;
import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which tokens the server honours: InvokeAI's, made with the database's secret, and nothing else. */
class TokenAcceptanceTest {

    @TempDir
    static Path root;

    private static TestServer server;
    private static TestAccounts.Account admin;
    private static TestAccounts.Account user;
    private static String secret;

    @BeforeAll
    static void start() {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
        TestAccounts accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
        user = accounts.create(admin, "user1@test.com", "User", false);
        secret = TestTokens.secret(root);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static int me(String token) {
        return server.client().withToken(token).get("/api/v1/auth/me").status();
    }

    private static Map<String, Object> userClaims() {
        return new HashMap<>(TestTokens.claims(user.userId(), user.email(), false, 0, Instant.now().plusSeconds(600)));
    }

    @Test
    void aTokenMintedTheInvokeAiWayWithTheSecretIsAccepted() {
        assertEquals(200, me(TestTokens.sign(secret, userClaims())));
    }

    @Test
    void aTokenWithoutTheEpochClaimCountsAsEpochZero() {
        Map<String, Object> claims = userClaims();
        claims.remove("token_epoch");
        claims.remove("remember_me");
        assertEquals(200, me(TestTokens.sign(secret, claims)));
    }

    @Test
    void theAdminClaimIsNotTrusted() {
        Map<String, Object> claims = userClaims();
        claims.put("is_admin", true);
        TestClient forged = server.client().withToken(TestTokens.sign(secret, claims));
        assertEquals(403, forged.get("/api/v1/auth/users").status(), "the role comes from the database");
    }

    @Test
    void otherAlgorithmsAreRefusedEvenWithTheRightKey() {
        assertEquals(401, me(TestTokens.sign(secret, JWSAlgorithm.HS384, userClaims())));
        assertEquals(401, me(TestTokens.sign(secret, JWSAlgorithm.HS512, userClaims())));
        assertEquals(401, me(TestTokens.unsigned(userClaims())));
    }

    @Test
    void badSignaturesExpiryAndMissingClaimsAreRefused() {
        assertEquals(401, me(TestTokens.sign("x".repeat(64), userClaims())), "wrong key");
        assertEquals(401, me(TestTokens.tampered(user.token(), adminClaimsFor(user))), "tampered payload");
        Map<String, Object> expired = userClaims();
        expired.put("exp", Instant.now().minusSeconds(1).getEpochSecond());
        assertEquals(401, me(TestTokens.sign(secret, expired)));
        for (String claim : new String[] {"exp", "user_id", "email", "is_admin"}) {
            Map<String, Object> claims = userClaims();
            claims.remove(claim);
            assertEquals(401, me(TestTokens.sign(secret, claims)), "without " + claim);
        }
        Map<String, Object> wrongType = userClaims();
        wrongType.put("is_admin", "yes");
        assertEquals(401, me(TestTokens.sign(secret, wrongType)));
        assertEquals(401, me("not.a.token"));
        assertEquals(401, me(user.token() + "x"));
    }

    @Test
    void aStaleEpochAndTheSystemUserAreRefused() {
        Map<String, Object> stale = userClaims();
        stale.put("token_epoch", 7);
        assertEquals(401, me(TestTokens.sign(secret, stale)));
        assertEquals(401, me(TestTokens.sign(secret, TestTokens.claims("system", "system@system.invokeai", true, 0,
                Instant.now().plusSeconds(600)))), "nobody is ever the system user");
        assertEquals(401, me(TestTokens.sign(secret, TestTokens.claims("no-such-user", "ghost@test.com", false, 0,
                Instant.now().plusSeconds(600)))));
    }

    private static Map<String, Object> adminClaimsFor(TestAccounts.Account account) {
        return TestTokens.claims(account.userId(), account.email(), true, 0, Instant.now().plusSeconds(600));
    }
}

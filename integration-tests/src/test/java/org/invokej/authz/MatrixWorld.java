package org.invokej.authz;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestTokens;

import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * One multi-user server with an administrator, two users, a deactivated user and every kind of bad
 * token, shared by all rows of the authorization matrix. Rows that need things of their own (a board,
 * an image) make them once through {@link #memo}; rows that destroy something use fresh targets.
 */
final class MatrixWorld implements AutoCloseable {

    final TestServer server;
    final TestAccounts accounts;
    final TestAccounts.Account admin;
    final TestAccounts.Account owner;
    final TestAccounts.Account other;
    private final Map<Who, String> tokens = new EnumMap<>(Who.class);
    private final Map<String, Object> memo = new HashMap<>();

    MatrixWorld(Path root) {
        this(root, Map.of());
    }

    /** The world on a server with {@code settings} besides multi-user mode. */
    MatrixWorld(Path root, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("multiuser", "true", "bcrypt_cost", "4"));
        all.putAll(settings);
        server = TestServer.start(root, all);
        accounts = new TestAccounts(server);
        admin = accounts.setupAdmin("admin@test.com");
        owner = accounts.create(admin, "owner@test.com", "Owner", false);
        other = accounts.create(admin, "other@test.com", "Other", false);
        TestAccounts.Account deactivated = accounts.create(admin, "gone@test.com", "Gone", false);
        accounts.setActive(admin, deactivated.userId(), false);
        TestAccounts.Account leaving = accounts.login(owner.email(), TestAccounts.PASSWORD);
        leaving.client().post("/api/v1/auth/logout", null);

        String secret = TestTokens.secret(root);
        Instant later = Instant.now().plusSeconds(3600);
        Map<String, Object> ownerClaims = TestTokens.claims(owner.userId(), owner.email(), false, 0, later);
        tokens.put(Who.OWNER, owner.token());
        tokens.put(Who.OTHER, other.token());
        tokens.put(Who.ADMIN, admin.token());
        tokens.put(Who.DEACTIVATED, deactivated.token());
        tokens.put(Who.EXPIRED, TestTokens.sign(secret,
                TestTokens.claims(owner.userId(), owner.email(), false, 0, Instant.now().minusSeconds(5))));
        tokens.put(Who.TAMPERED, TestTokens.tampered(owner.token(),
                TestTokens.claims(owner.userId(), owner.email(), true, 0, later)));
        tokens.put(Who.WRONG_KEY, TestTokens.sign("another-secret-another-secret-another-secret", ownerClaims));
        tokens.put(Who.ALG_NONE, TestTokens.unsigned(ownerClaims));
        tokens.put(Who.REVOKED, leaving.token());

        tokens.put(Who.KEY_FULL, apiKey(owner, "full"));
        tokens.put(Who.KEY_READ_ONLY, apiKey(owner, "read_only"));
        tokens.put(Who.KEY_QUEUE, apiKey(owner, "queue"));
        String revokedKey = apiKey(owner, "full");
        String revokedId = owner.client().get("/api/v1/auth/api-keys").json().get(0).path("key_id").asText();
        owner.client().delete("/api/v1/auth/api-keys/" + revokedId);
        tokens.put(Who.KEY_REVOKED, revokedKey);
        tokens.put(Who.KEY_EXPIRED, expiredKey(root));
        TestAccounts.Account soonGone = accounts.create(admin, "keygone@test.com", "Key Gone", false);
        tokens.put(Who.KEY_DEACTIVATED, apiKey(soonGone, "full"));
        accounts.setActive(admin, soonGone.userId(), false);
        tokens.put(Who.KEY_UNKNOWN, "ivj_" + "A".repeat(43));
    }

    /** A new API key of {@code account}'s, with {@code scope}. */
    private static String apiKey(TestAccounts.Account account, String scope) {
        return account.client().post("/api/v1/auth/api-keys", Map.of("name", "matrix " + scope, "scope", scope))
                .json().path("key").asText();
    }

    /** A key of the owner's whose expiry was moved into the past in the database, as an operator could. */
    private String expiredKey(Path root) {
        String key = owner.client().post("/api/v1/auth/api-keys", Map.of("name", "matrix expiring", "expires_in_days", 1))
                .json().path("key").asText();
        try (java.sql.Connection database = TestServer.database(root);
             java.sql.Statement update = database.createStatement()) {
            update.executeUpdate("UPDATE api_keys SET expires_at = '2000-01-01 00:00:00.000' WHERE name = 'matrix expiring'");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("Could not expire the matrix's key: " + e.getMessage(), e);
        }
        return key;
    }

    /** A client presenting {@code who}'s token (none for {@link Who#ANONYMOUS}). */
    TestClient client(Who who) {
        TestClient anonymous = server.client();
        return token(who).map(anonymous::withToken).orElse(anonymous);
    }

    /** The token {@code who} presents, if any. */
    Optional<String> token(Who who) {
        return Optional.ofNullable(tokens.get(who));
    }

    /** The value {@code make} gives, made once per world. */
    @SuppressWarnings("unchecked")
    synchronized <T> T memo(String key, Supplier<T> make) {
        // not computeIfAbsent: making one thing may memo another (a model needs its source folder)
        if (!memo.containsKey(key)) {
            memo.put(key, make.get());
        }
        return (T) memo.get(key);
    }

    /** A new user, for rows that change or delete one. */
    String freshUserId() {
        return accounts.create(admin, "u" + UUID.randomUUID().toString().substring(0, 8) + "@test.com", "Fresh", false).userId();
    }

    /** A new API key of the owner's, for rows that revoke one; returns its id. */
    String freshKeyOfOwner() {
        return owner.client().post("/api/v1/auth/api-keys", Map.of("name", "matrix target")).json().path("api_key").path("key_id").asText();
    }

    @Override
    public void close() {
        server.close();
    }
}

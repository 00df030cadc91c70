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

    @Override
    public void close() {
        server.close();
    }
}

package org.invokej.authz;

import org.invokej.testing.TestAccounts;
import org.invokej.testing.TestClient;
import org.invokej.testing.TestServer;
import org.invokej.testing.TestTokens;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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
    private final Map<Who, TestClient> clients = new HashMap<>();
    private final Map<String, Object> memo = new HashMap<>();

    MatrixWorld(Path root) {
        server = TestServer.start(root, Map.of("multiuser", "true", "bcrypt_cost", "4"));
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
        TestClient anonymous = server.client();
        clients.put(Who.ANONYMOUS, anonymous);
        clients.put(Who.OWNER, owner.client());
        clients.put(Who.OTHER, other.client());
        clients.put(Who.ADMIN, admin.client());
        clients.put(Who.DEACTIVATED, deactivated.client());
        clients.put(Who.EXPIRED, anonymous.withToken(TestTokens.sign(secret,
                TestTokens.claims(owner.userId(), owner.email(), false, 0, Instant.now().minusSeconds(5)))));
        clients.put(Who.TAMPERED, anonymous.withToken(TestTokens.tampered(owner.token(),
                TestTokens.claims(owner.userId(), owner.email(), true, 0, later))));
        clients.put(Who.WRONG_KEY, anonymous.withToken(TestTokens.sign("another-secret-another-secret-another-secret", ownerClaims)));
        clients.put(Who.ALG_NONE, anonymous.withToken(TestTokens.unsigned(ownerClaims)));
        clients.put(Who.REVOKED, leaving.client());
    }

    TestClient client(Who who) {
        return clients.get(who);
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

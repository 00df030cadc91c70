package org.invokej.core.auth;

import org.invokej.core.DomainException;
import org.invokej.core.audit.AuditEntry;
import org.invokej.core.audit.AuditLog;
import org.invokej.core.audit.Auditor;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;
import org.invokej.core.users.PasswordHasher;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The login decision with the store and the hasher replaced by small in-memory stand-ins, to see what
 * the HTTP tests cannot: how much password-checking work each kind of failed login costs.
 */
class SessionsTest {

    /** Counts checks instead of running bcrypt; "right" is the only password that matches. */
    private static final class CountingHasher implements PasswordHasher {
        int checks;

        @Override
        public String hash(String password) {
            return "$2b$04$" + password;
        }

        @Override
        public boolean matches(String password, String hash) {
            checks++;
            return hash.equals("$2b$04$" + password);
        }

        @Override
        public void matchesNothing(String password) {
            checks++;
        }
    }

    private static final Tx TX = new Tx() {
    };

    private final CountingHasher hasher = new CountingHasher();
    private final List<AuditEntry> audit = new ArrayList<>();
    private final Map<String, User> users = Map.of(
            "ada@x.com", user("u1", "ada@x.com", "$2b$04$right", true),
            "gone@x.com", user("u2", "gone@x.com", "$2b$04$right", false),
            "system@system.invokeai", user("system", "system@system.invokeai", "", true));

    private final Sessions sessions = new Sessions(transactions(), repository(), revoked(), codec(), hasher,
            new LoginThrottle(Clock.systemUTC(), new LoginThrottle.Limits(100, Duration.ofSeconds(1), Duration.ofSeconds(1))),
            new Auditor(auditLog(), Clock.systemUTC()), Clock.systemUTC(), true);

    @Test
    void everyFailedLoginCostsExactlyOnePasswordCheck() {
        for (String email : List.of("ada@x.com", "nobody@x.com", "system@system.invokeai")) {
            int before = hasher.checks;
            DomainException e = assertThrows(DomainException.class, () -> sessions.login(email, "wrong", false, "10.0.0.1"));
            assertEquals("Incorrect email or password", e.detail());
            assertEquals(1, hasher.checks - before, email + " must cost the same work as any other account");
        }
    }

    @Test
    void aDisabledAccountIsToldOnlyAfterTheCheck() {
        DomainException e = assertThrows(DomainException.class, () -> sessions.login("gone@x.com", "right", false, "10.0.0.1"));
        assertEquals(DomainException.Kind.FORBIDDEN, e.kind());
        assertEquals(1, hasher.checks);
    }

    @Test
    void aThrottledClientCostsNoCheckAtAll() {
        Sessions strict = new Sessions(transactions(), repository(), revoked(), codec(), hasher,
                new LoginThrottle(Clock.systemUTC(), new LoginThrottle.Limits(1, Duration.ofMinutes(1), Duration.ofMinutes(1))),
                new Auditor(auditLog(), Clock.systemUTC()), Clock.systemUTC(), true);
        assertThrows(DomainException.class, () -> strict.login("ada@x.com", "wrong", false, "10.0.0.1"));
        int before = hasher.checks;
        DomainException e = assertThrows(DomainException.class, () -> strict.login("ada@x.com", "right", false, "10.0.0.1"));
        assertEquals(DomainException.Kind.THROTTLED, e.kind());
        assertEquals(before, hasher.checks);
    }

    @Test
    void failedLoginsAreAuditedWithTheClientAndNoPassword() {
        assertThrows(DomainException.class, () -> sessions.login("ada@x.com", "Hunter2!", false, "10.0.0.7"));
        AuditEntry entry = audit.getLast();
        assertEquals("login_failed", entry.action().wireName());
        assertEquals("10.0.0.7", entry.clientAddress());
        assertEquals(false, entry.toString().contains("Hunter2!"));
    }

    private static User user(String id, String email, String hash, boolean active) {
        return new User(id, email, null, hash, false, active, Instant.EPOCH, Instant.EPOCH, null, 0);
    }

    private static Transactions transactions() {
        return new Transactions() {
            @Override
            public <T> T read(Function<Tx, T> work) {
                return work.apply(TX);
            }

            @Override
            public <T> T write(Function<Tx, T> work) {
                return work.apply(TX);
            }
        };
    }

    private UserRepository repository() {
        return new UserRepository() {
            @Override
            public Optional<User> find(Tx tx, String userId) {
                return users.values().stream().filter(u -> u.userId().equals(userId)).findFirst();
            }

            @Override
            public Optional<User> findByEmail(Tx tx, String email) {
                return Optional.ofNullable(users.get(email));
            }

            @Override
            public Map<String, User> findAll(Tx tx, Collection<String> userIds) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<User> listNewestFirst(Tx tx, int limit) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int countActiveAdmins(Tx tx) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void insert(Tx tx, User user) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void update(Tx tx, User user) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void recordLogin(Tx tx, String userId, Instant at) {
            }

            @Override
            public boolean delete(Tx tx, String userId) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static RevokedTokens revoked() {
        return new RevokedTokens() {
            @Override
            public void revoke(Tx tx, String tokenHash, Instant expiresAt) {
            }

            @Override
            public boolean isRevoked(Tx tx, String tokenHash) {
                return false;
            }

            @Override
            public int prune(Tx tx, Instant now) {
                return 0;
            }
        };
    }

    private static TokenCodec codec() {
        return new TokenCodec() {
            @Override
            public String mint(TokenClaims claims) {
                return "token-for-" + claims.userId();
            }

            @Override
            public Optional<TokenClaims> verify(String token) {
                return Optional.empty();
            }
        };
    }

    private AuditLog auditLog() {
        return new AuditLog() {
            @Override
            public void record(Tx tx, AuditEntry entry) {
                audit.add(entry);
            }

            @Override
            public List<AuditEntry> newestFirst(Tx tx, int offset, int limit) {
                return audit;
            }

            @Override
            public long count(Tx tx) {
                return audit.size();
            }
        };
    }
}

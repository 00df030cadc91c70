package org.invokej.core.auth;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.audit.AuditAction;
import org.invokej.core.audit.Auditor;
import org.invokej.core.store.Transactions;
import org.invokej.core.store.Tx;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * API keys for scripts and bots: each user creates, lists and revokes their own, administrators see and
 * revoke all. A key is shown once, when created; only a hash of it is stored. Whether a presented key
 * stands is decided in {@link #resolve}, which {@link Sessions#resolve} asks for every key-shaped token.
 */
public final class ApiKeys {

    /** What every key starts with, so a key is told from a session token (a JWT) at a glance. */
    public static final String PREFIX = "ivj_";
    static final int MAX_NAME = 100;
    static final int MAX_ACTIVE_PER_USER = 100;
    static final int MAX_EXPIRY_DAYS = 3650;
    /** Each key's list shows the most recent use; once a minute is often enough and keeps writes off the request path. */
    static final Duration USE_RECORDED_EVERY = Duration.ofMinutes(1);
    private static final int SHOWN_CHARACTERS = 8;

    /** A key to create. */
    public record NewKey(String name, ApiKeyScope scope, Integer expiresInDays) {
    }

    /** A created key: the secret, shown this once, and the stored key. */
    public record Created(String secret, ApiKey key) {
    }

    private final Transactions transactions;
    private final ApiKeyRepository keys;
    private final UserRepository users;
    private final Auditor auditor;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public ApiKeys(Transactions transactions, ApiKeyRepository keys, UserRepository users, Auditor auditor, Clock clock) {
        this.transactions = transactions;
        this.keys = keys;
        this.users = users;
        this.auditor = auditor;
        this.clock = clock;
    }

    /** Whether {@code token} is shaped like one of our keys (it may still be unknown or revoked). */
    public static boolean looksLikeKey(String token) {
        return token.startsWith(PREFIX);
    }

    /** Creates a key for {@code ownerId}: the actor's own, or anyone's when the actor is an administrator. */
    public Created create(Actor actor, String ownerId, NewKey request, String client) {
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw DomainException.unprocessable("An API key needs a name of 1 to " + MAX_NAME + " characters");
        }
        if (request.expiresInDays() != null && (request.expiresInDays() < 1 || request.expiresInDays() > MAX_EXPIRY_DAYS)) {
            throw DomainException.unprocessable("expires_in_days must be between 1 and " + MAX_EXPIRY_DAYS + " (or left out for a key that does not expire)");
        }
        if (!actor.owns(ownerId) && !actor.admin()) {
            throw DomainException.forbidden("You can only create API keys for yourself");
        }
        ApiKeyScope scope = request.scope() == null ? ApiKeyScope.FULL : request.scope();
        String secret = newSecret();
        Instant now = clock.instant();
        return transactions.write(tx -> {
            User owner = users.find(tx, ownerId).filter(user -> !user.isSystem())
                    .orElseThrow(() -> DomainException.notFound("User not found"));
            if (!owner.active()) {
                throw DomainException.conflict("User " + owner.email() + " is deactivated; reactivate them before creating keys");
            }
            long active = keys.listForUser(tx, ownerId).stream().filter(key -> key.usableAt(now)).count();
            if (active >= MAX_ACTIVE_PER_USER) {
                throw DomainException.conflict("A user may have at most " + MAX_ACTIVE_PER_USER + " active API keys; revoke some first");
            }
            ApiKey key = new ApiKey(UUID.randomUUID().toString(), ownerId, owner.email(), name, scope,
                    secret.substring(0, PREFIX.length() + SHOWN_CHARACTERS), now,
                    request.expiresInDays() == null ? null : now.plus(Duration.ofDays(request.expiresInDays())), null, null);
            keys.insert(tx, key, hash(secret));
            auditor.record(tx, actor, client, AuditAction.API_KEY_CREATED, owner.userId(), owner.email(), key.describe()
                    + (key.expiresAt() == null ? "" : ", expires " + key.expiresAt()));
            return new Created(secret, key);
        });
    }

    /** The actor's own keys, newest first, revoked ones too. */
    public List<ApiKey> listOwn(Actor actor) {
        return transactions.read(tx -> keys.listForUser(tx, actor.userId()));
    }

    /** The keys of {@code userId} (the actor's own, or anyone's for an administrator). */
    public List<ApiKey> listFor(Actor actor, String userId) {
        if (!actor.owns(userId) && !actor.admin()) {
            throw DomainException.forbidden("Admin privileges required");
        }
        return transactions.read(tx -> keys.listForUser(tx, userId));
    }

    /** Every user's keys, newest first (administrators only). */
    public List<ApiKey> listAll(Actor actor, int limit) {
        if (!actor.admin()) {
            throw DomainException.forbidden("Admin privileges required");
        }
        return transactions.read(tx -> keys.listAll(tx, limit));
    }

    /**
     * Revokes a key of the actor's, or anyone's for an administrator; from the next request on it is
     * refused. Another user's key is "not found", as if it did not exist. Revoking twice changes nothing.
     */
    public ApiKey revoke(Actor actor, String keyId, String client) {
        Instant now = clock.instant();
        return transactions.write(tx -> {
            ApiKey key = keys.find(tx, keyId).filter(found -> actor.owns(found.userId()) || actor.admin())
                    .orElseThrow(() -> DomainException.notFound("API key not found"));
            if (keys.revoke(tx, keyId, now)) {
                auditor.record(tx, actor, client, AuditAction.API_KEY_REVOKED, key.userId(), key.ownerEmail(), key.describe());
            }
            return keys.find(tx, keyId).orElseThrow();
        });
    }

    /** What a key-shaped token stands for now, read in {@code tx}. */
    Sessions.Resolution resolve(Tx tx, String presented, Instant now) {
        Optional<ApiKey> found = keys.findByHash(tx, hash(presented)).filter(key -> key.usableAt(now));
        if (found.isEmpty()) {
            return new Sessions.Invalid();
        }
        Optional<User> owner = users.find(tx, found.get().userId());
        if (owner.isEmpty() || owner.get().isSystem()) {
            return new Sessions.NotHonoured(false);
        }
        if (!owner.get().active()) {
            return new Sessions.NotHonoured(true);
        }
        return new Sessions.KeyHonoured(owner.get(), found.get());
    }

    /** Records that {@code key} was used, unless that was recorded less than a minute ago. */
    void recordUse(ApiKey key, Instant now) {
        if (key.lastUsedAt() == null || !now.isBefore(key.lastUsedAt().plus(USE_RECORDED_EVERY))) {
            transactions.write(tx -> {
                keys.recordUse(tx, key.keyId(), now);
                return null;
            });
        }
    }

    private String newSecret() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * SHA-256 of the key. A slow password hash (bcrypt) is for secrets people choose, which can be guessed;
     * a key is 256 random bits, so no amount of guessing finds one from its hash, and a fast hash lets every
     * request check its key without queueing behind a password check.
     */
    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

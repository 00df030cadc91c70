package org.invokej.core.auth;

import org.invokej.core.Actor;
import org.invokej.core.DomainException;
import org.invokej.core.audit.AuditAction;
import org.invokej.core.audit.Auditor;
import org.invokej.core.store.StoreChanges;
import org.invokej.core.store.Transactions;
import org.invokej.core.users.EmailAddress;
import org.invokej.core.users.PasswordHasher;
import org.invokej.core.users.User;
import org.invokej.core.users.UserRepository;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * Logging in and out, and deciding whether a presented token still stands for a user. This is the one
 * place that decides; the REST filter, the media cookie, the sockets and the sliding refresh all ask it.
 */
public final class Sessions {

    /** What a presented token turned out to be. */
    public sealed interface Resolution {
    }

    /** Not a token we signed, expired, or logged out. */
    public record Invalid() implements Resolution {
    }

    /**
     * A good token whose user may no longer use it: deleted, deactivated, password changed, or {@code system}.
     *
     * @param deactivated the user exists and was deactivated (the one case a person should be told about by name)
     */
    public record NotHonoured(boolean deactivated) implements Resolution {
    }

    /** A token its user may use: the user as the database has them now. */
    public record Honoured(User user, TokenClaims claims) implements Resolution {
    }

    /** An API key that stands, and its user as the database has them now. */
    public record KeyHonoured(User user, ApiKey key) implements Resolution {
    }

    /** A successful login. */
    public record Login(String token, User user, long expiresInSeconds) {
    }

    private final Transactions transactions;
    private final UserRepository users;
    private final RevokedTokens revoked;
    private final TokenCodec codec;
    private final PasswordHasher hasher;
    private final LoginThrottle throttle;
    private final Auditor auditor;
    private final Clock clock;
    private final boolean multiuser;
    private final ApiKeys keys;
    private final StoreChanges changes;
    private final ResolutionCache resolved = new ResolutionCache();
    /**
     * Password checks that clients with recent failures may have running or queued at once: well under
     * the checker's queue, so that those who have not failed always find room.
     */
    private final Semaphore suspectChecks = new Semaphore(SUSPECT_CHECKS);
    private static final int SUSPECT_CHECKS = 16;
    /**
     * How long a login may wait for the outcome of those from the same address or for the same account
     * that are being checked: about as long as one password-checking thread takes for its whole queue at cost 12.
     */
    private static final Duration RESERVE_PATIENCE = Duration.ofSeconds(30);

    public Sessions(Transactions transactions, UserRepository users, RevokedTokens revoked, TokenCodec codec,
                    PasswordHasher hasher, LoginThrottle throttle, Auditor auditor, Clock clock, boolean multiuser) {
        this(transactions, users, revoked, codec, hasher, throttle, auditor, clock, multiuser, null, StoreChanges.UNKNOWN);
    }

    /**
     * @param keys    the API keys honoured besides session tokens (null: none)
     * @param changes tells when the store changed, so that what a token resolved to is read again only then
     */
    public Sessions(Transactions transactions, UserRepository users, RevokedTokens revoked, TokenCodec codec,
                    PasswordHasher hasher, LoginThrottle throttle, Auditor auditor, Clock clock, boolean multiuser,
                    ApiKeys keys, StoreChanges changes) {
        this.keys = keys;
        this.changes = changes;
        this.transactions = transactions;
        this.users = users;
        this.revoked = revoked;
        this.codec = codec;
        this.hasher = hasher;
        this.throttle = throttle;
        this.auditor = auditor;
        this.clock = clock;
        this.multiuser = multiuser;
    }

    /**
     * Checks an email and password. Unknown accounts cost the same password check as known ones, and a
     * throttled client is refused before any check. The attempt is reserved with the throttle before
     * the check, and clients that failed recently share a part of the password checker only, so a
     * flood of guesses neither slips past the limit nor keeps other users from logging in. Logins beyond
     * those one address may have checked at once wait for their outcome rather than being refused, so
     * many people behind one address all get in; "failed attempts" is said only when some failed.
     */
    public Login login(String rawEmail, String password, boolean rememberMe, String client) {
        if (!multiuser) {
            throw DomainException.forbidden("Multiuser mode is disabled. Authentication is not required in single-user mode.");
        }
        String email = EmailAddress.normalize(rawEmail);
        LoginThrottle.Reservation reservation = throttle.reserve(client, email, RESERVE_PATIENCE);
        switch (reservation) {
            case LoginThrottle.Reserved reserved -> {
            }
            case LoginThrottle.TooManyFailures(Duration retryAfter) -> throw throttled("Too many failed login attempts.", retryAfter);
            case LoginThrottle.TooManyAtOnce(Duration retryAfter) ->
                    throw throttled("Too many logins from this address or for this account are being checked at once.", retryAfter);
        }
        boolean matched;
        Optional<User> found;
        boolean suspect = throttle.hasFailedRecently(client);
        if (suspect && !suspectChecks.tryAcquire()) {
            throttle.released(client, email);
            throw DomainException.unavailable("The server is busy checking passwords; try again in a moment", Duration.ofSeconds(1));
        }
        try {
            found = transactions.read(tx -> users.findByEmail(tx, email));
            if (found.isEmpty() || found.get().isSystem() || found.get().passwordHash().isEmpty()) {
                hasher.matchesNothing(password);
                matched = false;
            } else {
                matched = hasher.matches(password, found.get().passwordHash());
            }
        } catch (RuntimeException e) {
            throttle.released(client, email);
            throw e;
        } finally {
            if (suspect) {
                suspectChecks.release();
            }
        }
        if (!matched) {
            throttle.failed(client, email);
            transactions.write(tx -> {
                auditor.failedLogin(tx, email, client, "incorrect email or password");
                return null;
            });
            throw DomainException.unauthenticated("Incorrect email or password");
        }
        User user = found.get();
        if (!user.active()) {
            throttle.released(client, email);
            transactions.write(tx -> {
                auditor.failedLogin(tx, email, client, "account is disabled");
                return null;
            });
            throw DomainException.forbidden("User account is disabled");
        }
        throttle.succeeded(client, email);
        Instant now = clock.instant();
        User loggedIn = transactions.write(tx -> {
            users.recordLogin(tx, user.userId(), now);
            auditor.record(tx, user.actor(), client, AuditAction.LOGIN, user.userId(), user.email(),
                    rememberMe ? "remember me" : null);
            return users.find(tx, user.userId()).orElseThrow();
        });
        return new Login(mint(loggedIn, rememberMe, UUID.randomUUID().toString()), loggedIn, TokenClaims.lifetime(rememberMe).toSeconds());
    }

    private static DomainException throttled(String what, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return DomainException.throttled(what + " Try again in " + seconds + (seconds == 1 ? " second." : " seconds."),
                Duration.ofSeconds(seconds));
    }

    /**
     * Ends the session of {@code token} for good (it is refused from now on, not only forgotten by the
     * client): every token of the login session, the refreshed ones too. A token without a session id
     * (minted by InvokeAI) is ended on its own.
     */
    public void logout(String token, Actor actor, String client) {
        Optional<TokenClaims> claims = codec.verify(token);
        Instant now = clock.instant();
        transactions.write(tx -> {
            claims.ifPresent(c -> {
                revoked.revoke(tx, hash(token), c.expiresAt());
                if (c.sessionId() != null) {
                    // No token of the session outlives the longest lifetime from now: each refresh starts one anew.
                    revoked.revoke(tx, sessionKey(c.sessionId()), now.plus(TokenClaims.lifetime(true)));
                }
            });
            revoked.prune(tx, now);
            auditor.record(tx, actor, client, AuditAction.LOGOUT, actor.userId(), actor.email(), null);
            return null;
        });
    }

    /**
     * Decides what a presented token (a session token or an API key) stands for, as the database has it
     * now. The answer is kept while the store reports no commit since it was read (see {@link StoreChanges}),
     * so a change made anywhere, by this server, the command line or {@code sqlite3}, is seen by the next
     * request, and requests in between read nothing.
     */
    public Resolution resolve(String token) {
        // The version is read before the rows: a commit in between makes the kept answer stale, never wrong.
        OptionalLong version = changes.current();
        Instant now = clock.instant();
        if (version.isPresent()) {
            Optional<Resolution> kept = resolved.get(token, version.getAsLong(), now);
            if (kept.isPresent()) {
                return used(kept.get(), now);
            }
        }
        Resolution resolution;
        Instant validUntil;
        if (keys != null && ApiKeys.looksLikeKey(token)) {
            resolution = transactions.read(tx -> keys.resolve(tx, token, now));
            validUntil = resolution instanceof KeyHonoured honoured && honoured.key().expiresAt() != null
                    ? honoured.key().expiresAt() : Instant.MAX;
        } else {
            Optional<TokenClaims> verified = codec.verify(token);
            if (verified.isEmpty()) {
                return new Invalid();
            }
            resolution = resolveSession(token, verified.get());
            validUntil = verified.get().expiresAt();
        }
        if (version.isPresent()) {
            resolved.put(token, version.getAsLong(), resolution, validUntil);
        }
        return used(resolution, now);
    }

    private Resolution used(Resolution resolution, Instant now) {
        if (resolution instanceof KeyHonoured honoured) {
            keys.recordUse(honoured.key(), now);
        }
        return resolution;
    }

    private Resolution resolveSession(String token, TokenClaims claims) {
        return transactions.read(tx -> {
            if (revoked.isRevoked(tx, hash(token))
                    || claims.sessionId() != null && revoked.isRevoked(tx, sessionKey(claims.sessionId()))) {
                return new Invalid();
            }
            if (Actor.SYSTEM_USER_ID.equals(claims.userId())) {
                return new NotHonoured(false);
            }
            Optional<User> user = users.find(tx, claims.userId());
            if (user.isPresent() && !user.get().active()) {
                return new NotHonoured(true);
            }
            return user.filter(found -> found.tokenEpoch() == claims.tokenEpoch())
                    .<Resolution>map(found -> new Honoured(found, claims))
                    .orElseGet(() -> new NotHonoured(false));
        });
    }

    /** A fresh token for the sliding window, if {@code token} is still honoured: same remember-me, new expiry. */
    public Optional<String> refresh(String token) {
        return resolve(token) instanceof Honoured honoured
                ? Optional.of(mint(honoured.user(), honoured.claims().rememberMe(), honoured.claims().sessionId()))
                : Optional.empty();
    }

    /** A token of a new session for {@code user} as the database has them, valid for a day (a week with remember-me). */
    public String mint(User user, boolean rememberMe) {
        return mint(user, rememberMe, UUID.randomUUID().toString());
    }

    /** A token for {@code user} in the same session as {@code token} (same remember-me, same session id), e.g. after a password change. */
    public String continueSession(User user, String token) {
        Optional<TokenClaims> claims = codec.verify(token);
        return mint(user, claims.map(TokenClaims::rememberMe).orElse(false),
                claims.map(TokenClaims::sessionId).orElseGet(() -> UUID.randomUUID().toString()));
    }

    private String mint(User user, boolean rememberMe, String sessionId) {
        Instant expires = clock.instant().plus(TokenClaims.lifetime(rememberMe));
        return codec.mint(new TokenClaims(user.userId(), user.email(), user.admin(), rememberMe, user.tokenEpoch(), expires, sessionId));
    }

    /** The revocation key of a whole session, kept beside token hashes and never equal to one (a token's hash is of a JWT). */
    static String sessionKey(String sessionId) {
        return hash("sid:" + sessionId);
    }

    /** What {@code token} says, if it is one of ours and unexpired (whether its user may still use it aside). */
    public Optional<TokenClaims> claims(String token) {
        return codec.verify(token);
    }

    /** Seconds until {@code token} expires (0 if it does not verify). */
    public long secondsLeft(String token) {
        return codec.verify(token)
                .map(claims -> Math.max(0, Duration.between(clock.instant(), claims.expiresAt()).toSeconds()))
                .orElse(0L);
    }

    public boolean multiuser() {
        return multiuser;
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

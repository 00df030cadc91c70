package org.invokej.core.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * A row of {@code api_keys}: a named credential of one user for scripts and bots. The secret itself is
 * never stored; {@code prefix} (the first characters of the key) lets a person tell their keys apart.
 *
 * @param ownerEmail the owner's email, read with the key (for administrators' listings)
 * @param expiresAt  null for a key that does not expire
 * @param lastUsedAt when it was last used (updated at most once a minute), null if never
 * @param revokedAt  when it was revoked, null while it stands
 */
public record ApiKey(String keyId, String userId, String ownerEmail, String name, ApiKeyScope scope, String prefix,
                     Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {

    public ApiKey {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether the key itself still stands at {@code now} (its owner's state aside). */
    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    /** How audit entries and the command line name it. */
    public String describe() {
        return prefix + "… \"" + name + "\" (" + scope.wireName() + ")";
    }
}

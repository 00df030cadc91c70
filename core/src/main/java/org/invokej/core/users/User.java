package org.invokej.core.users;

import org.invokej.core.Actor;

import java.time.Instant;
import java.util.Objects;

/**
 * A row of {@code users}. The built-in {@code system} user owns what single-user mode creates; it has
 * no password, is never an administrator and never logs in.
 *
 * @param tokenEpoch raised whenever the password is set (or the account is deactivated): tokens minted
 *                   with an older epoch are no longer honoured
 */
public record User(
        String userId,
        String email,
        String displayName,
        String passwordHash,
        boolean admin,
        boolean active,
        Instant createdAt,
        Instant updatedAt,
        Instant lastLoginAt,
        int tokenEpoch) {

    public User {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(passwordHash, "passwordHash");
    }

    public boolean isSystem() {
        return Actor.SYSTEM_USER_ID.equals(userId);
    }

    /** This user as the caller of a request. */
    public Actor actor() {
        return new Actor(userId, email, displayName, admin);
    }

    /** The name to show: the display name, else the email. */
    public String label() {
        return displayName == null || displayName.isBlank() ? email : displayName;
    }

    public User withDisplayName(String name) {
        return new User(userId, email, name, passwordHash, admin, active, createdAt, updatedAt, lastLoginAt, tokenEpoch);
    }

    /** A new password hash, and a new epoch so that every earlier token stops working. */
    public User withPasswordHash(String hash) {
        return new User(userId, email, displayName, hash, admin, active, createdAt, updatedAt, lastLoginAt, tokenEpoch + 1);
    }

    public User withAdmin(boolean isAdmin) {
        return new User(userId, email, displayName, passwordHash, isAdmin, active, createdAt, updatedAt, lastLoginAt, tokenEpoch);
    }

    /**
     * Activated or deactivated. Deactivating also raises the epoch: unlike InvokeAI, reactivating an
     * account does not bring its old sessions back.
     */
    public User withActive(boolean isActive) {
        int epoch = active && !isActive ? tokenEpoch + 1 : tokenEpoch;
        return new User(userId, email, displayName, passwordHash, admin, isActive, createdAt, updatedAt, lastLoginAt, epoch);
    }

    /** Whether this row counts toward "an active administrator exists". */
    public boolean isActiveAdmin() {
        return admin && active;
    }
}

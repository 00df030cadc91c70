package org.invokej.core.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What a session token says, with InvokeAI's claim names: {@code user_id}, {@code email},
 * {@code is_admin}, {@code remember_me}, {@code token_epoch}, {@code exp}, and ours, {@code sid}: the
 * login session the token belongs to (every refreshed token keeps it, so logging out ends them all).
 * InvokeAI's tokens have no session id ({@code null} here). Only the signature, the expiry, the user id,
 * the epoch and the session id are trusted; the role is always read from the database.
 */
public record TokenClaims(String userId, String email, boolean admin, boolean rememberMe, int tokenEpoch, Instant expiresAt,
                          String sessionId) {

    /** A session's lifetime: one day, or seven with "remember me". */
    public static Duration lifetime(boolean rememberMe) {
        return rememberMe ? Duration.ofDays(7) : Duration.ofDays(1);
    }

    public TokenClaims {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}

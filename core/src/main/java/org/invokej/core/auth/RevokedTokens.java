package org.invokej.core.auth;

import org.invokej.core.store.Tx;

import java.time.Instant;

/** Tokens ended by logout, kept (as hashes) until they would have expired anyway. */
public interface RevokedTokens {

    void revoke(Tx tx, String tokenHash, Instant expiresAt);

    boolean isRevoked(Tx tx, String tokenHash);

    /** Forgets revocations of tokens that have expired by {@code now}; returns how many. */
    int prune(Tx tx, Instant now);
}

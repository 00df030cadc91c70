package org.invokej.http.fakes;

import org.invokej.core.auth.RevokedTokens;
import org.invokej.core.store.Tx;

import java.time.Instant;

/** {@code revoked_tokens} in memory. */
public final class MemoryRevokedTokens implements RevokedTokens {

    private final MemoryStore.Table<String, Instant> revoked;

    public MemoryRevokedTokens(MemoryStore store) {
        this.revoked = store.table();
    }

    @Override
    public void revoke(Tx tx, String tokenHash, Instant expiresAt) {
        revoked.rows().put(tokenHash, expiresAt);
    }

    @Override
    public boolean isRevoked(Tx tx, String tokenHash) {
        return revoked.rows().containsKey(tokenHash);
    }

    @Override
    public int prune(Tx tx, Instant now) {
        int before = revoked.rows().size();
        revoked.rows().values().removeIf(expires -> expires.isBefore(now));
        return before - revoked.rows().size();
    }
}

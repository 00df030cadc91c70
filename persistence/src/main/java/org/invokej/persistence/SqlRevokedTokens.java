package org.invokej.persistence;

import org.invokej.core.auth.RevokedTokens;
import org.invokej.core.store.Tx;

import java.time.Instant;

/** {@code revoked_tokens} */
public final class SqlRevokedTokens implements RevokedTokens {

    @Override
    public void revoke(Tx tx, String tokenHash, Instant expiresAt) {
        SqlTx.of(tx).insert("INSERT INTO revoked_tokens (token_hash, expires_at) VALUES (?, ?) ON CONFLICT (token_hash) DO NOTHING",
                tokenHash, Timestamps.format(expiresAt));
    }

    @Override
    public boolean isRevoked(Tx tx, String tokenHash) {
        return SqlTx.of(tx).get("SELECT 1 AS hit FROM revoked_tokens WHERE token_hash = ?", tokenHash).isPresent();
    }

    @Override
    public int prune(Tx tx, Instant now) {
        return (int) SqlTx.of(tx).delete("DELETE FROM revoked_tokens WHERE expires_at < ?", Timestamps.format(now));
    }
}

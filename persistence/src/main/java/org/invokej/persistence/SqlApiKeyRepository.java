package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.auth.ApiKey;
import org.invokej.core.auth.ApiKeyRepository;
import org.invokej.core.auth.ApiKeyScope;
import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code api_keys}, each read with its owner's email. Plain SQL that SQLite and PostgreSQL both take. */
public final class SqlApiKeyRepository implements ApiKeyRepository {

    private static final String SELECT = "SELECT k.key_id, k.user_id, u.email AS owner_email, k.name, k.scope, k.prefix, "
            + "k.created_at, k.expires_at, k.last_used_at, k.revoked_at FROM api_keys k JOIN users u ON u.user_id = k.user_id ";

    @Override
    public void insert(Tx tx, ApiKey key, String secretHash) {
        SqlTx.of(tx).insert("INSERT INTO api_keys (key_id, user_id, name, scope, prefix, key_hash, created_at, expires_at, "
                        + "last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                key.keyId(), key.userId(), key.name(), key.scope().wireName(), key.prefix(), secretHash,
                Timestamps.format(key.createdAt()), Timestamps.format(key.expiresAt()), Timestamps.format(key.lastUsedAt()),
                Timestamps.format(key.revokedAt()));
    }

    @Override
    public Optional<ApiKey> findByHash(Tx tx, String secretHash) {
        return SqlTx.of(tx).get(SELECT + "WHERE k.key_hash = ?", secretHash).map(SqlApiKeyRepository::key);
    }

    @Override
    public Optional<ApiKey> find(Tx tx, String keyId) {
        return SqlTx.of(tx).get(SELECT + "WHERE k.key_id = ?", keyId).map(SqlApiKeyRepository::key);
    }

    @Override
    public List<ApiKey> listForUser(Tx tx, String userId) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query(SELECT + "WHERE k.user_id = ? ORDER BY k.created_at DESC, k.key_id", userId)) {
            return rows.map(SqlApiKeyRepository::key).toList();
        }
    }

    @Override
    public List<ApiKey> listAll(Tx tx, int limit) {
        try (Stream<DbRow> rows = SqlTx.of(tx).query(SELECT + "ORDER BY k.created_at DESC, k.key_id LIMIT ?", limit)) {
            return rows.map(SqlApiKeyRepository::key).toList();
        }
    }

    @Override
    public boolean revoke(Tx tx, String keyId, Instant at) {
        return SqlTx.of(tx).update("UPDATE api_keys SET revoked_at = ? WHERE key_id = ? AND revoked_at IS NULL",
                Timestamps.format(at), keyId) > 0;
    }

    @Override
    public void recordUse(Tx tx, String keyId, Instant at) {
        SqlTx.of(tx).update("UPDATE api_keys SET last_used_at = ? WHERE key_id = ?", Timestamps.format(at), keyId);
    }

    private static ApiKey key(DbRow row) {
        String scope = Columns.textOf(row, "scope");
        return new ApiKey(Columns.textOf(row, "key_id"), Columns.textOf(row, "user_id"), Columns.textOf(row, "owner_email"),
                Columns.textOf(row, "name"),
                ApiKeyScope.byName(scope).orElseThrow(() -> new IllegalStateException("Unknown API key scope " + scope)),
                Columns.textOf(row, "prefix"), Timestamps.parse(Columns.textOf(row, "created_at")),
                Timestamps.parse(Columns.textOf(row, "expires_at")), Timestamps.parse(Columns.textOf(row, "last_used_at")),
                Timestamps.parse(Columns.textOf(row, "revoked_at")));
    }
}

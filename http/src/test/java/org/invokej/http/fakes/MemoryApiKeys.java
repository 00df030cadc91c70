package org.invokej.http.fakes;

import org.invokej.core.auth.ApiKey;
import org.invokej.core.auth.ApiKeyRepository;
import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** {@code api_keys} in memory, keyed by key id, each row with its secret's hash. */
public final class MemoryApiKeys implements ApiKeyRepository {

    private record Row(ApiKey key, String hash) {
    }

    private final MemoryStore.Table<String, Row> rows;
    private final MemoryUsers users;

    public MemoryApiKeys(MemoryStore store, MemoryUsers users) {
        this.rows = store.table();
        this.users = users;
    }

    @Override
    public void insert(Tx tx, ApiKey key, String secretHash) {
        rows.rows().put(key.keyId(), new Row(key, secretHash));
    }

    @Override
    public Optional<ApiKey> findByHash(Tx tx, String secretHash) {
        return rows.rows().values().stream().filter(row -> row.hash().equals(secretHash)).map(Row::key).findFirst()
                .filter(key -> users.find(tx, key.userId()).isPresent());
    }

    @Override
    public Optional<ApiKey> find(Tx tx, String keyId) {
        return Optional.ofNullable(rows.rows().get(keyId)).map(Row::key).filter(key -> users.find(tx, key.userId()).isPresent());
    }

    @Override
    public List<ApiKey> listForUser(Tx tx, String userId) {
        return rows.rows().values().stream().map(Row::key).filter(key -> key.userId().equals(userId))
                .sorted(Comparator.comparing(ApiKey::createdAt).reversed()).toList();
    }

    @Override
    public List<ApiKey> listAll(Tx tx, int limit) {
        return rows.rows().values().stream().map(Row::key).filter(key -> users.find(tx, key.userId()).isPresent())
                .sorted(Comparator.comparing(ApiKey::createdAt).reversed()).limit(limit).toList();
    }

    @Override
    public boolean revoke(Tx tx, String keyId, Instant at) {
        Row row = rows.rows().get(keyId);
        if (row == null || row.key().revokedAt() != null) {
            return false;
        }
        ApiKey k = row.key();
        rows.rows().put(keyId, new Row(new ApiKey(k.keyId(), k.userId(), k.ownerEmail(), k.name(), k.scope(), k.prefix(),
                k.createdAt(), k.expiresAt(), k.lastUsedAt(), at), row.hash()));
        return true;
    }

    @Override
    public void recordUse(Tx tx, String keyId, Instant at) {
        Row row = rows.rows().get(keyId);
        if (row != null) {
            ApiKey k = row.key();
            rows.rows().put(keyId, new Row(new ApiKey(k.keyId(), k.userId(), k.ownerEmail(), k.name(), k.scope(), k.prefix(),
                    k.createdAt(), k.expiresAt(), at, k.revokedAt()), row.hash()));
        }
    }
}

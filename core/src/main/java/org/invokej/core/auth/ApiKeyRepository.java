package org.invokej.core.auth;

import org.invokej.core.store.Tx;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code api_keys} table. Keys are looked up by the hash of their secret, never by the secret. */
public interface ApiKeyRepository {

    void insert(Tx tx, ApiKey key, String secretHash);

    Optional<ApiKey> findByHash(Tx tx, String secretHash);

    Optional<ApiKey> find(Tx tx, String keyId);

    /** The keys of {@code userId}, newest first. */
    List<ApiKey> listForUser(Tx tx, String userId);

    /** Every key, newest first, at most {@code limit}. */
    List<ApiKey> listAll(Tx tx, int limit);

    /** Marks the key revoked at {@code at}; false if it was already revoked or does not exist. */
    boolean revoke(Tx tx, String keyId, Instant at);

    void recordUse(Tx tx, String keyId, Instant at);
}

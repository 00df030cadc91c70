package org.invokej.core.clientstate;

import org.invokej.core.store.Tx;

import java.util.List;
import java.util.Optional;

/** The {@code client_state} table: one value per user and key. */
public interface ClientStateRepository {

    Optional<String> get(Tx tx, String userId, String key);

    /** Inserts or replaces the value of {@code key}. */
    void set(Tx tx, String userId, String key, String value);

    /** The user's keys that start with {@code prefix}, sorted. */
    List<String> keysByPrefix(Tx tx, String userId, String prefix);

    void delete(Tx tx, String userId, String key);

    void deleteAll(Tx tx, String userId);
}

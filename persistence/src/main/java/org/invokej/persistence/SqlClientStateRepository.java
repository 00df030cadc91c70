package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.clientstate.ClientStateRepository;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code client_state} */
public final class SqlClientStateRepository implements ClientStateRepository {

    @Override
    public Optional<String> get(Tx tx, String userId, String key) {
        return SqlTx.of(tx).get("SELECT value FROM client_state WHERE user_id = ? AND key = ?", userId, key)
                .map(row -> Columns.textOf(row, "value"));
    }

    @Override
    public void set(Tx tx, String userId, String key, String value) {
        SqlTx.of(tx).insert("INSERT INTO client_state (user_id, key, value) VALUES (?, ?, ?) "
                + "ON CONFLICT (user_id, key) DO UPDATE SET value = excluded.value", userId, key, value);
    }

    @Override
    public List<String> keysByPrefix(Tx tx, String userId, String prefix) {
        // substr, not LIKE: a prefix is taken literally, wildcards and case included.
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT key FROM client_state WHERE user_id = ? "
                + "AND substr(key, 1, length(?)) = ? ORDER BY key", userId, prefix, prefix)) {
            return rows.map(row -> Columns.textOf(row, "key")).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public void delete(Tx tx, String userId, String key) {
        SqlTx.of(tx).delete("DELETE FROM client_state WHERE user_id = ? AND key = ?", userId, key);
    }

    @Override
    public void deleteAll(Tx tx, String userId) {
        SqlTx.of(tx).delete("DELETE FROM client_state WHERE user_id = ?", userId);
    }
}

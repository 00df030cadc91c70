package org.invokej.persistence;

import org.invokej.core.store.Tx;

import java.util.Optional;

/** {@code app_settings}: key/value settings kept in the database (the token secret). */
public final class SqlAppSettings {

    public Optional<String> get(Tx tx, String key) {
        return SqlTx.of(tx).get("SELECT value FROM app_settings WHERE key = ?", key).map(row -> Columns.textOf(row, "value"));
    }
}

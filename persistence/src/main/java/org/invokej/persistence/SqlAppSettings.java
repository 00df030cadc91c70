package org.invokej.persistence;

import org.invokej.core.store.Tx;

import java.util.Optional;

/** {@code app_settings}: key/value settings kept in the database (the token secret, the shared folders' id). */
public final class SqlAppSettings {

    public Optional<String> get(Tx tx, String key) {
        return SqlTx.of(tx).get("SELECT value FROM app_settings WHERE key = ?", key).map(row -> Columns.textOf(row, "value"));
    }

    /** Sets {@code key} unless it is set (another process may race to set it); true when this call set it. */
    public boolean putIfAbsent(Tx tx, String key, String value) {
        return SqlTx.of(tx).dml("INSERT INTO app_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, value) > 0;
    }
}

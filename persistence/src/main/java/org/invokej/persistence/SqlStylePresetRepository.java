package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.content.StylePreset;
import org.invokej.core.content.StylePresetRepository;
import org.invokej.core.store.Tx;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code style_presets} in SQLite, with InvokeAI's columns (V50 creates the table for new databases). */
public final class SqlStylePresetRepository implements StylePresetRepository {

    private static final String COLUMNS = "id, name, preset_data, type, COALESCE(user_id, 'system') AS user_id, is_public, "
            + "created_at, updated_at";

    @Override
    public Optional<StylePreset> find(Tx tx, String id) {
        return SqlTx.of(tx).get("SELECT " + COLUMNS + " FROM style_presets WHERE id = ?", id)
                .map(SqlStylePresetRepository::preset);
    }

    @Override
    public List<StylePreset> list(Tx tx, Optional<String> owner) {
        String order = " ORDER BY LOWER(name), id";
        try (Stream<DbRow> rows = owner.isEmpty()
                ? SqlTx.of(tx).query("SELECT " + COLUMNS + " FROM style_presets" + order)
                : SqlTx.of(tx).query("SELECT " + COLUMNS + " FROM style_presets WHERE type = ? OR user_id = ? OR is_public = 1"
                + order, StylePreset.DEFAULT_TYPE, owner.get())) {
            return rows.map(SqlStylePresetRepository::preset).toList();
        }
    }

    private static StylePreset preset(DbRow row) {
        return new StylePreset(
                Columns.textOf(row, "id"),
                Columns.textOf(row, "name"),
                Columns.textOf(row, "preset_data"),
                Columns.textOf(row, "type"),
                Columns.textOf(row, "user_id"),
                Columns.boolOf(row, "is_public"),
                Timestamps.parse(Columns.textOf(row, "created_at")),
                Timestamps.parse(Columns.textOf(row, "updated_at")));
    }
}

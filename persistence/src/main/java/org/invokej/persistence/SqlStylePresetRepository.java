package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.prompts.StylePreset;
import org.invokej.core.prompts.StylePresetRepository;
import org.invokej.core.store.Tx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code style_presets} ; the prompts are InvokeAI's {@code preset_data} JSON. */
public final class SqlStylePresetRepository implements StylePresetRepository {

    private static final String COLUMNS = "id, name, preset_data, type, user_id, is_public";

    @Override
    public Optional<StylePreset> find(Tx tx, String id) {
        return SqlTx.of(tx).get("SELECT " + COLUMNS + " FROM style_presets WHERE id = ?", id).map(SqlStylePresetRepository::preset);
    }

    @Override
    public List<StylePreset> list(Tx tx, Optional<String> viewer, String type) {
        SqlWhere where = new SqlWhere();
        viewer.ifPresent(userId -> where.and("(type = 'default' OR is_public = TRUE OR user_id = ?)", userId));
        if (type != null) {
            where.and("type = ?", type);
        }
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT " + COLUMNS + " FROM style_presets" + where.sql()
                + " ORDER BY LOWER(name) ASC, id ASC", where.params())) {
            return rows.map(SqlStylePresetRepository::preset).collect(Collectors.toCollection(ArrayList::new));
        }
    }

    @Override
    public void insert(Tx tx, StylePreset preset) {
        SqlTx.of(tx).insert("INSERT INTO style_presets (id, name, preset_data, type, user_id, is_public) VALUES (?, ?, ?, ?, ?, ?)",
                preset.id(), preset.name(), data(preset), preset.type(), preset.ownerId(), preset.isPublic());
    }

    @Override
    public void update(Tx tx, StylePreset preset) {
        SqlTx.of(tx).update("UPDATE style_presets SET name = ?, preset_data = ?, type = ?, is_public = ? WHERE id = ?",
                preset.name(), data(preset), preset.type(), preset.isPublic(), preset.id());
    }

    @Override
    public void delete(Tx tx, String id) {
        SqlTx.of(tx).delete("DELETE FROM style_presets WHERE id = ?", id);
    }

    private static String data(StylePreset preset) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("positive_prompt", preset.positivePrompt());
        data.put("negative_prompt", preset.negativePrompt());
        return JsonText.write(data);
    }

    private static StylePreset preset(DbRow row) {
        Map<String, Object> data = JsonText.map(Columns.textOf(row, "preset_data"));
        String owner = Columns.textOf(row, "user_id");
        return new StylePreset(Columns.textOf(row, "id"), Columns.textOf(row, "name"),
                String.valueOf(data.getOrDefault("positive_prompt", "")), String.valueOf(data.getOrDefault("negative_prompt", "")),
                Columns.textOf(row, "type"), Columns.boolOf(row, "is_public"), owner == null ? "system" : owner);
    }
}

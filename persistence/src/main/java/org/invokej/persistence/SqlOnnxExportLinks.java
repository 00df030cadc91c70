package org.invokej.persistence;

import io.helidon.dbclient.DbRow;
import org.invokej.core.models.OnnxExportLinks;
import org.invokej.core.store.Tx;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** {@code model_onnx_exports} in SQLite. */
public final class SqlOnnxExportLinks implements OnnxExportLinks {

    @Override
    public Optional<String> find(Tx tx, String modelKey) {
        return SqlTx.of(tx).get("SELECT path FROM model_onnx_exports WHERE model_key = ?", modelKey)
                .map(row -> Columns.textOf(row, "path"));
    }

    @Override
    public Map<String, String> all(Tx tx) {
        Map<String, String> links = new LinkedHashMap<>();
        try (Stream<DbRow> rows = SqlTx.of(tx).query("SELECT model_key, path FROM model_onnx_exports")) {
            rows.forEach(row -> links.put(Columns.textOf(row, "model_key"), Columns.textOf(row, "path")));
        }
        return links;
    }

    @Override
    public void link(Tx tx, String modelKey, String exportPath) {
        SqlTx.of(tx).insert("INSERT INTO model_onnx_exports (model_key, path) VALUES (?, ?) "
                + "ON CONFLICT (model_key) DO UPDATE SET path = excluded.path, linked_at = " + SqlTx.dialectOf(tx).now(),
                modelKey, exportPath);
    }

    @Override
    public boolean unlink(Tx tx, String modelKey) {
        return SqlTx.of(tx).delete("DELETE FROM model_onnx_exports WHERE model_key = ?", modelKey) > 0;
    }
}

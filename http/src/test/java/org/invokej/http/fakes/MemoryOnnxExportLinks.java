package org.invokej.http.fakes;

import org.invokej.core.models.OnnxExportLinks;
import org.invokej.core.store.Tx;

import java.util.Map;
import java.util.Optional;

/** {@code model_onnx_exports} in memory. */
public final class MemoryOnnxExportLinks implements OnnxExportLinks {

    private final MemoryStore.Table<String, String> links;

    public MemoryOnnxExportLinks(MemoryStore store) {
        this.links = store.table();
    }

    @Override
    public Optional<String> find(Tx tx, String modelKey) {
        return Optional.ofNullable(links.rows().get(modelKey));
    }

    @Override
    public Map<String, String> all(Tx tx) {
        return Map.copyOf(links.rows());
    }

    @Override
    public void link(Tx tx, String modelKey, String exportPath) {
        links.rows().put(modelKey, exportPath);
    }

    @Override
    public boolean unlink(Tx tx, String modelKey) {
        return links.rows().remove(modelKey) != null;
    }
}

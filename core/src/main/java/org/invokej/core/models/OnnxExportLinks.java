package org.invokej.core.models;

import org.invokej.core.store.Tx;

import java.util.Map;
import java.util.Optional;

/**
 * Which models InvokeAI installed (a diffusers folder, a checkpoint) run through an ONNX export of them
 * ({@code model_onnx_exports}). Kept apart from the {@code models} row, so InvokeAI's record of the model
 * stays exactly as InvokeAI wrote it.
 */
public interface OnnxExportLinks {

    /** The export folder of a model (as recorded: relative to the models folder when inside it), if linked. */
    Optional<String> find(Tx tx, String modelKey);

    /** Every link, by model key. */
    Map<String, String> all(Tx tx);

    /** Links (or re-links) a model to an export folder. */
    void link(Tx tx, String modelKey, String exportPath);

    /** False when the model had no link. */
    boolean unlink(Tx tx, String modelKey);

    /** No links at all: for a model manager assembled without the table (tests of other parts). */
    OnnxExportLinks NONE = new OnnxExportLinks() {
        @Override
        public Optional<String> find(Tx tx, String modelKey) {
            return Optional.empty();
        }

        @Override
        public Map<String, String> all(Tx tx) {
            return Map.of();
        }

        @Override
        public void link(Tx tx, String modelKey, String exportPath) {
            throw new UnsupportedOperationException("This model manager keeps no links to ONNX exports");
        }

        @Override
        public boolean unlink(Tx tx, String modelKey) {
            return false;
        }
    };
}

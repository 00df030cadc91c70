-- Beyond InvokeAI: a main model InvokeAI installed (a diffusers folder, a checkpoint) that InvokeJ runs
-- through an ONNX export of it. A table of its own, so InvokeAI's row of the model stays exactly as
-- InvokeAI wrote it; InvokeAI ignores the table, and deleting the model there deletes the link.
-- path is relative to the models folder when the export lies inside it, else absolute.
CREATE TABLE model_onnx_exports (
    model_key TEXT NOT NULL PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    linked_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
);

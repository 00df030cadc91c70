-- PostgreSQL twin of db/migration/V90.

CREATE TABLE model_onnx_exports (
    model_key TEXT NOT NULL PRIMARY KEY REFERENCES models (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    linked_at TEXT NOT NULL DEFAULT invokej_now()
);

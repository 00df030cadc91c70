-- Installed models, as InvokeAI keeps them: the whole config as a JSON document keyed by the model's
-- key, with generated columns for what queries and administrators' sqlite3 recipes look at, e.g.
--   sqlite3 databases/invokeai.db "SELECT id, name, base, path FROM models"

CREATE TABLE models (
    id TEXT NOT NULL PRIMARY KEY,
    hash TEXT GENERATED ALWAYS AS (json_extract(config, '$.hash')) VIRTUAL NOT NULL,
    base TEXT GENERATED ALWAYS AS (json_extract(config, '$.base')) VIRTUAL NOT NULL,
    type TEXT GENERATED ALWAYS AS (json_extract(config, '$.type')) VIRTUAL NOT NULL,
    path TEXT GENERATED ALWAYS AS (json_extract(config, '$.path')) VIRTUAL NOT NULL,
    format TEXT GENERATED ALWAYS AS (json_extract(config, '$.format')) VIRTUAL NOT NULL,
    name TEXT GENERATED ALWAYS AS (json_extract(config, '$.name')) VIRTUAL NOT NULL,
    description TEXT GENERATED ALWAYS AS (json_extract(config, '$.description')) VIRTUAL,
    source TEXT GENERATED ALWAYS AS (json_extract(config, '$.source')) VIRTUAL NOT NULL,
    source_type TEXT GENERATED ALWAYS AS (json_extract(config, '$.source_type')) VIRTUAL NOT NULL,
    source_api_response TEXT GENERATED ALWAYS AS (json_extract(config, '$.source_api_response')) VIRTUAL,
    trigger_phrases TEXT GENERATED ALWAYS AS (json_extract(config, '$.trigger_phrases')) VIRTUAL,
    file_size INTEGER GENERATED ALWAYS AS (json_extract(config, '$.file_size')) VIRTUAL NOT NULL,
    config TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    updated_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    UNIQUE (name, base, type)
);

CREATE INDEX base_index ON models (base);
CREATE INDEX type_index ON models (type);
CREATE INDEX name_index ON models (name);
CREATE UNIQUE INDEX path_index ON models (path);

CREATE TRIGGER models_updated_at
AFTER UPDATE ON models FOR EACH ROW
BEGIN
    UPDATE models SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE id = old.id;
END;

-- Beyond InvokeAI: who besides administrators may generate with a model. A model without rows here is
-- open to everyone. user_id has no foreign key on purpose: deleting a user must not turn a restricted
-- model into one open to all.
CREATE TABLE model_allowed_users (
    model_key TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    PRIMARY KEY (model_key, user_id)
);

-- PostgreSQL twin of db/migration/V30: the config document with STORED generated columns.

CREATE TABLE models (
    id TEXT NOT NULL PRIMARY KEY,
    hash TEXT GENERATED ALWAYS AS (config::jsonb ->> 'hash') STORED NOT NULL,
    base TEXT GENERATED ALWAYS AS (config::jsonb ->> 'base') STORED NOT NULL,
    type TEXT GENERATED ALWAYS AS (config::jsonb ->> 'type') STORED NOT NULL,
    path TEXT GENERATED ALWAYS AS (config::jsonb ->> 'path') STORED NOT NULL,
    format TEXT GENERATED ALWAYS AS (config::jsonb ->> 'format') STORED NOT NULL,
    name TEXT GENERATED ALWAYS AS (config::jsonb ->> 'name') STORED NOT NULL,
    description TEXT GENERATED ALWAYS AS (config::jsonb ->> 'description') STORED,
    source TEXT GENERATED ALWAYS AS (config::jsonb ->> 'source') STORED NOT NULL,
    source_type TEXT GENERATED ALWAYS AS (config::jsonb ->> 'source_type') STORED NOT NULL,
    source_api_response TEXT GENERATED ALWAYS AS (config::jsonb ->> 'source_api_response') STORED,
    trigger_phrases TEXT GENERATED ALWAYS AS (config::jsonb ->> 'trigger_phrases') STORED,
    file_size BIGINT GENERATED ALWAYS AS ((config::jsonb ->> 'file_size')::numeric::bigint) STORED NOT NULL,
    config TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    updated_at TEXT NOT NULL DEFAULT invokej_now(),
    UNIQUE (name, base, type)
);

CREATE INDEX base_index ON models (base);
CREATE INDEX type_index ON models (type);
CREATE INDEX name_index ON models (name);
CREATE UNIQUE INDEX path_index ON models (path);

CREATE TRIGGER models_updated_at BEFORE UPDATE ON models
    FOR EACH ROW EXECUTE FUNCTION invokej_touch_updated_at();

CREATE TABLE model_allowed_users (
    model_key TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    PRIMARY KEY (model_key, user_id)
);

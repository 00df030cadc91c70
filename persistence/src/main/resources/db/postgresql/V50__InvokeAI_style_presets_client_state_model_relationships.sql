-- PostgreSQL twin of db/migration/V50 (InvokeAI's style presets, client state, model relationships).

CREATE TABLE style_presets (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    preset_data TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT 'user',
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    updated_at TEXT NOT NULL DEFAULT invokej_now(),
    user_id TEXT DEFAULT 'system',
    is_public BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX idx_style_presets_name ON style_presets (name);
CREATE INDEX idx_style_presets_user_id ON style_presets (user_id);
CREATE INDEX idx_style_presets_is_public ON style_presets (is_public);

CREATE TRIGGER style_presets BEFORE UPDATE ON style_presets
    FOR EACH ROW EXECUTE FUNCTION invokej_touch_updated_at();

CREATE TABLE client_state (
    user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL DEFAULT invokej_now(),
    PRIMARY KEY (user_id, key)
);

CREATE INDEX idx_client_state_user_id ON client_state (user_id);

CREATE TRIGGER tg_client_state_updated_at BEFORE UPDATE ON client_state
    FOR EACH ROW EXECUTE FUNCTION invokej_touch_updated_at();

CREATE TABLE model_relationships (
    model_key_1 TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    model_key_2 TEXT NOT NULL REFERENCES models (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    PRIMARY KEY (model_key_1, model_key_2)
);

CREATE INDEX keyx_model_relationships_model_key_2 ON model_relationships (model_key_2);

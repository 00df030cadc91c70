-- Tables InvokeAI 6.14 has and InvokeJ kept no rows in before: style presets, the web UI's per-user
-- client state and related-model links. Written with InvokeAI's own DDL (as its migrations leave it),
-- and IF NOT EXISTS: an adopted InvokeAI database already has them, rows and all, and InvokeAI must
-- still find them as it made them.

CREATE TABLE IF NOT EXISTS style_presets (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    preset_data TEXT NOT NULL,
    type TEXT NOT NULL DEFAULT "user",
    created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    -- Updated via trigger
    updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    user_id TEXT DEFAULT 'system',
    is_public BOOLEAN NOT NULL DEFAULT FALSE
);

CREATE INDEX IF NOT EXISTS idx_style_presets_name ON style_presets(name);
CREATE INDEX IF NOT EXISTS idx_style_presets_user_id ON style_presets(user_id);
CREATE INDEX IF NOT EXISTS idx_style_presets_is_public ON style_presets(is_public);

CREATE TRIGGER IF NOT EXISTS style_presets
AFTER UPDATE
ON style_presets FOR EACH ROW
BEGIN
    UPDATE style_presets SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
        WHERE id = old.id;
END;

CREATE TABLE IF NOT EXISTS client_state (
    user_id     TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  DATETIME NOT NULL DEFAULT (CURRENT_TIMESTAMP),
    PRIMARY KEY (user_id, key),
    FOREIGN KEY (user_id) REFERENCES users(user_id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_client_state_user_id ON client_state(user_id);

CREATE TRIGGER IF NOT EXISTS tg_client_state_updated_at
AFTER UPDATE ON client_state
FOR EACH ROW
BEGIN
  UPDATE client_state
    SET updated_at = CURRENT_TIMESTAMP
  WHERE user_id = OLD.user_id AND key = OLD.key;
END;

CREATE TABLE IF NOT EXISTS model_relationships (
    -- model_key_1 and model_key_2 are the same as the key(primary key) in the models table
    model_key_1 TEXT NOT NULL,
    model_key_2 TEXT NOT NULL,
    created_at TEXT DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    PRIMARY KEY (model_key_1, model_key_2),
    -- model_key_1 < model_key_2, to ensure uniqueness and prevent duplicates
    FOREIGN KEY (model_key_1) REFERENCES models(id) ON DELETE CASCADE,
    FOREIGN KEY (model_key_2) REFERENCES models(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS keyx_model_relationships_model_key_2 ON model_relationships(model_key_2);

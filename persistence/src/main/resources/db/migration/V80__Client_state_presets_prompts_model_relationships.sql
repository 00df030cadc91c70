-- Tables the InvokeAI web UI's routes keep, created with InvokeAI 6.14's own statements (as its database
-- holds them in sqlite_master), so that a root shared with InvokeAI has one schema. IF NOT EXISTS: a
-- root adopted from InvokeAI already has them.

-- Per-user UI state (settings, layouts), one row per key.
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

-- Style presets (prompt templates). InvokeAI added user_id and is_public to its first statement later;
-- this is the statement as its database holds it after that.
CREATE TABLE IF NOT EXISTS style_presets (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                preset_data TEXT NOT NULL,
                type TEXT NOT NULL DEFAULT "user",
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                -- Updated via trigger
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
            , user_id TEXT DEFAULT 'system', is_public BOOLEAN NOT NULL DEFAULT FALSE);

CREATE INDEX IF NOT EXISTS idx_style_presets_name ON style_presets(name);

CREATE TRIGGER IF NOT EXISTS style_presets
            AFTER UPDATE
            ON style_presets FOR EACH ROW
            BEGIN
                UPDATE style_presets SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                    WHERE id = old.id;
            END;

CREATE INDEX IF NOT EXISTS idx_style_presets_user_id ON style_presets(user_id);
CREATE INDEX IF NOT EXISTS idx_style_presets_is_public ON style_presets(is_public);

-- System prompts (for prompt expansion with a language model).
CREATE TABLE IF NOT EXISTS system_prompts (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                content TEXT NOT NULL,
                user_id TEXT NOT NULL DEFAULT 'system',
                is_public BOOLEAN NOT NULL DEFAULT FALSE,
                created_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
                updated_at DATETIME NOT NULL DEFAULT(STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
            );

CREATE TRIGGER IF NOT EXISTS tg_system_prompts_updated_at
            AFTER UPDATE
            ON system_prompts FOR EACH ROW
            BEGIN
                UPDATE system_prompts SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')
                    WHERE id = old.id;
            END;

CREATE INDEX IF NOT EXISTS idx_system_prompts_name ON system_prompts(name);
CREATE INDEX IF NOT EXISTS idx_system_prompts_user_id ON system_prompts(user_id);

-- Models related to each other (e.g. a LoRA and the main model it was made for), each pair once.
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

CREATE INDEX IF NOT EXISTS keyx_model_relationships_model_key_2
            ON model_relationships(model_key_2);

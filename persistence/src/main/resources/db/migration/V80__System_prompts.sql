-- System prompts (for prompt expansion with a language model), created with InvokeAI 6.14's own
-- statements (as its database holds them in sqlite_master), IF NOT EXISTS: an adopted InvokeAI root
-- already has the table. (V50 creates InvokeAI's other tables the UI routes use.)

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

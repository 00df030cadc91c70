-- PostgreSQL twin of db/migration/V80.

CREATE TABLE system_prompts (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    content TEXT NOT NULL,
    user_id TEXT NOT NULL DEFAULT 'system',
    is_public BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    updated_at TEXT NOT NULL DEFAULT invokej_now()
);

CREATE TRIGGER tg_system_prompts_updated_at BEFORE UPDATE ON system_prompts
    FOR EACH ROW EXECUTE FUNCTION invokej_touch_updated_at();

CREATE INDEX idx_system_prompts_name ON system_prompts (name);
CREATE INDEX idx_system_prompts_user_id ON system_prompts (user_id);

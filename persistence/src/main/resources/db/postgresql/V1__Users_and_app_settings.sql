-- PostgreSQL twin of db/migration/V1 (see docs/architecture.md, "Migrations"). Times are TEXT in
-- SQLite's form (UTC, 'YYYY-MM-DD HH:MM:SS.ffffff'), so that both databases hold, compare and copy them
-- alike; booleans are BOOLEAN; updated_at is kept by BEFORE UPDATE triggers.

CREATE FUNCTION invokej_now() RETURNS TEXT LANGUAGE SQL VOLATILE AS $$
    SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')
$$;

CREATE FUNCTION invokej_touch_updated_at() RETURNS TRIGGER LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := invokej_now();
    RETURN NEW;
END
$$;

CREATE TABLE users (
    user_id TEXT NOT NULL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT,
    password_hash TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    updated_at TEXT NOT NULL DEFAULT invokej_now(),
    last_login_at TEXT,
    token_epoch INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_is_admin ON users (is_admin);
CREATE INDEX idx_users_is_active ON users (is_active);

CREATE TRIGGER tg_users_updated_at BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION invokej_touch_updated_at();

CREATE TABLE app_settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT invokej_now(),
    updated_at TEXT NOT NULL DEFAULT invokej_now()
);

CREATE TRIGGER tg_app_settings_updated_at BEFORE UPDATE ON app_settings
    FOR EACH ROW EXECUTE FUNCTION invokej_touch_updated_at();

-- The built-in owner of everything made in single-user mode. It never logs in: no password, no admin.
INSERT INTO users (user_id, email, display_name, password_hash, is_admin, is_active)
VALUES ('system', 'system@system.invokeai', 'System', '', FALSE, TRUE);

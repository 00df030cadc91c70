-- Accounts and settings, with InvokeAI's table and column names: administrators run the sqlite3
-- recipes of InvokeAI's admin guide against this file (look a user up by email, set is_active, paste a
-- bcrypt hash into password_hash, replace app_settings.jwt_secret).

CREATE TABLE users (
    user_id TEXT NOT NULL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT,
    password_hash TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    is_active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    updated_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    last_login_at DATETIME,
    token_epoch INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX idx_users_email ON users (email);
CREATE INDEX idx_users_is_admin ON users (is_admin);
CREATE INDEX idx_users_is_active ON users (is_active);

CREATE TRIGGER tg_users_updated_at
AFTER UPDATE ON users FOR EACH ROW
BEGIN
    UPDATE users SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE user_id = old.user_id;
END;

CREATE TABLE app_settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    updated_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW'))
);

CREATE TRIGGER tg_app_settings_updated_at
AFTER UPDATE ON app_settings FOR EACH ROW
BEGIN
    UPDATE app_settings SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE key = old.key;
END;

-- The built-in owner of everything made in single-user mode. It never logs in: no password, no admin.
INSERT INTO users (user_id, email, display_name, password_hash, is_admin, is_active)
VALUES ('system', 'system@system.invokeai', 'System', '', FALSE, TRUE);

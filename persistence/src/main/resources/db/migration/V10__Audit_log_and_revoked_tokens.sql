-- Beyond InvokeAI: an audit log of sign-in and administration, and tokens ended by logout.

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at DATETIME NOT NULL,
    actor_user_id TEXT,
    actor_email TEXT,
    action TEXT NOT NULL,
    target_user_id TEXT,
    target_email TEXT,
    client_address TEXT,
    detail TEXT
);

CREATE INDEX idx_audit_log_occurred_at ON audit_log (occurred_at);

-- A SHA-256 of each token ended by logout, kept until the token would have expired.
CREATE TABLE revoked_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    expires_at DATETIME NOT NULL
);

CREATE INDEX idx_revoked_tokens_expires_at ON revoked_tokens (expires_at);

-- The generation queue, with InvokeAI's table and columns (session_queue).

CREATE TABLE session_queue (
    item_id INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id TEXT NOT NULL,
    queue_id TEXT NOT NULL,
    session_id TEXT NOT NULL UNIQUE,
    field_values TEXT,
    session TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    priority INTEGER NOT NULL DEFAULT 0,
    error_traceback TEXT,
    created_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    updated_at DATETIME NOT NULL DEFAULT (STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW')),
    started_at DATETIME,
    completed_at DATETIME,
    error_type TEXT,
    error_message TEXT,
    origin TEXT,
    destination TEXT,
    retried_from_item_id INTEGER,
    user_id TEXT NOT NULL DEFAULT 'system',
    workflow TEXT,
    status_sequence INTEGER DEFAULT 0
);

CREATE INDEX idx_session_queue_queue_id ON session_queue (queue_id);
CREATE INDEX idx_session_queue_batch_id ON session_queue (batch_id);
CREATE INDEX idx_session_queue_status ON session_queue (status);
CREATE INDEX idx_session_queue_priority ON session_queue (priority);
CREATE INDEX idx_session_queue_created_priority ON session_queue (queue_id, priority);
CREATE INDEX idx_session_queue_user_id ON session_queue (user_id);
CREATE INDEX idx_session_queue_destination ON session_queue (destination);
CREATE INDEX idx_session_queue_round_robin_pending ON session_queue (status, user_id, priority DESC, item_id ASC);
CREATE INDEX idx_session_queue_user_started_at ON session_queue (user_id, started_at);

CREATE TRIGGER tg_session_queue_updated_at
AFTER UPDATE ON session_queue FOR EACH ROW
BEGIN
    UPDATE session_queue SET updated_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE item_id = old.item_id;
END;

CREATE TRIGGER tg_session_queue_started_at
AFTER UPDATE OF status ON session_queue FOR EACH ROW
WHEN new.status = 'in_progress' AND old.status != 'in_progress'
BEGIN
    UPDATE session_queue SET started_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE item_id = old.item_id;
END;

CREATE TRIGGER tg_session_queue_completed_at
AFTER UPDATE OF status ON session_queue FOR EACH ROW
WHEN new.status IN ('completed', 'failed', 'canceled') AND old.status NOT IN ('completed', 'failed', 'canceled')
BEGIN
    UPDATE session_queue SET completed_at = STRFTIME('%Y-%m-%d %H:%M:%f', 'NOW') WHERE item_id = old.item_id;
END;

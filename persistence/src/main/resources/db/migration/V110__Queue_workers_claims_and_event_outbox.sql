-- Generation workers (issue 17): who runs which queue item, under a lease the worker renews; the
-- shared pause switch; and the outbox through which a worker in another process publishes its events
-- to the web nodes. InvokeAI has none of these tables; they sit beside session_queue, which keeps its
-- columns.

-- One row per worker that has started (in the web server or as `invokej worker`); kept after it stops
-- so that health shows when it was last seen.
CREATE TABLE queue_workers (
    worker_id TEXT PRIMARY KEY,
    device TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    started_at INTEGER NOT NULL,       -- Unix milliseconds
    last_seen_at INTEGER NOT NULL,     -- Unix milliseconds: the last claim, renewal or idle heartbeat
    stopped_at INTEGER,                -- Unix milliseconds when it stopped cleanly; null while it runs
    current_item_id INTEGER,
    items_completed INTEGER NOT NULL DEFAULT 0,
    items_failed INTEGER NOT NULL DEFAULT 0,
    items_canceled INTEGER NOT NULL DEFAULT 0
);

-- A running item's claim: at most one per item; gone when the item ends or its lease is recovered.
CREATE TABLE queue_claims (
    item_id INTEGER PRIMARY KEY REFERENCES session_queue (item_id) ON DELETE CASCADE,
    worker_id TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,       -- Unix milliseconds
    lease_until INTEGER NOT NULL       -- Unix milliseconds; past it, the item is recovered
);

CREATE INDEX idx_queue_claims_lease_until ON queue_claims (lease_until);

-- Shared queue switches (one row): paused holds every worker before its next claim.
CREATE TABLE queue_control (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    paused INTEGER NOT NULL DEFAULT 0
);

INSERT INTO queue_control (id, paused) VALUES (1, 0);

-- Events a worker process publishes for the web nodes' sockets: the whole event (name, payload and
-- audience as JSON). Web nodes read rows after the last id they saw; old rows are pruned.
CREATE TABLE queue_event_outbox (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at INTEGER NOT NULL,       -- Unix milliseconds
    name TEXT NOT NULL,
    payload TEXT NOT NULL,
    audience TEXT NOT NULL
);

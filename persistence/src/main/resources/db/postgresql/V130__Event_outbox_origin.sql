-- PostgreSQL twin of db/migration/V130: the web node that published an outbox row (null for workers).
ALTER TABLE queue_event_outbox ADD COLUMN origin TEXT;

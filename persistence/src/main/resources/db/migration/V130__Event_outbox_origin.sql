-- Several web nodes on one database: each also puts the events it publishes (and the access changes it
-- makes) into the outbox for the others, naming itself as the origin, and delivers them to its own
-- sockets directly; its relay skips the rows of its own origin. Rows from generation workers have none.
ALTER TABLE queue_event_outbox ADD COLUMN origin TEXT;

-- The first statement works, the second fails: the whole migration run must roll back.
CREATE TABLE half_done (id INTEGER PRIMARY KEY);
INSERT INTO no_such_table (id) VALUES (1);

CREATE TABLE test_counter (id INTEGER NOT NULL PRIMARY KEY, value INTEGER NOT NULL);
INSERT INTO test_counter (id, value) VALUES (1, 0);

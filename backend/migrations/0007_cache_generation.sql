-- Every server copy keeps the resolved session user (positions, acting appointments, grants,
-- superior) in memory, keyed by employee and day. A change to any of those bumps this counter in
-- the same transaction as its audit row; each request reads the counter together with its
-- session row, so a copy never serves a user resolved before the latest committed change.
CREATE TABLE cache_generation (
    id INTEGER PRIMARY KEY,
    gen BIGINT NOT NULL
);
INSERT INTO cache_generation (id, gen) VALUES (1, 0);

-- Totals behind the Perlu Paraf and Kotak Masuk pages and the navigation badges. Counting the
-- rows of a Kepala Dinas (thousands per key at a million letters) on every page view cost more
-- than reading the page itself; these rows are kept in step, in the same transaction, by every
-- statement that moves a letter between positions or adds or reads an inbox entry
-- (backend/src/store/counters.rs), and `counter_drift` checks them against the real counts.
CREATE TABLE position_queue (
    position_id TEXT PRIMARY KEY,
    waiting BIGINT NOT NULL
);
INSERT INTO position_queue (position_id, waiting)
    SELECT waiting_position_id, COUNT(*) FROM letter WHERE waiting_position_id IS NOT NULL GROUP BY waiting_position_id;

CREATE TABLE inbox_count (
    owner_key TEXT PRIMARY KEY,
    total BIGINT NOT NULL,
    unread BIGINT NOT NULL
);
INSERT INTO inbox_count (owner_key, total, unread)
    SELECT owner_key, COUNT(*), SUM(CASE WHEN read_ms IS NULL THEN 1 ELSE 0 END) FROM inbox_entry GROUP BY owner_key;

-- Indexes for the letter lists at scale (measured with `eoffice seed --scale` and scripts/bench.sh:
-- 10,000 employees, 1,000,000 letters, a Kepala Dinas with ~8,000 inbox entries).

-- Unread count of the Kotak Masuk (every inbox page and the navigation badge ask for it).
-- With only inbox_owner (owner_key, created_ms), SQLite and PostgreSQL must fetch every inbox
-- row of the person to test read_ms: 8,000 row lookups, ~12 ms on SQLite for a Kepala Dinas.
-- A partial index holds only the unread entries, so the count reads a few hundred index
-- entries (~0.1 ms) and the index stays small, since most mail gets read.
CREATE INDEX inbox_unread ON inbox_entry (owner_key) WHERE read_ms IS NULL;

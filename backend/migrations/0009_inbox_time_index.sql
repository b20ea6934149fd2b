-- The Kotak Masuk page reads each owner key's newest entries straight from an index range in
-- time order (one subquery per key, merged), instead of sorting every entry of the key. The
-- (owner_key, read_ms, created_ms, id) index stays for the "unread only" view.
CREATE INDEX inbox_owner_time ON inbox_entry (owner_key, created_ms, id);

-- The Kotak Masuk and Perlu Paraf pages ask for one page of 50 out of thousands of rows for a
-- head of agency, across several keys (the person and each position held). With only the key and
-- the time in the index, the database read every matching row before sorting (about 8,000 for a
-- Kepala Dinas in the 1,000,000-letter benchmark). With the id in the index it picks the page
-- from the index alone, then reads 50 rows.
--
-- One inbox index serves the page, the total and the unread count: with a separate partial
-- index for unread entries, SQLite without statistics kept choosing the other index and read
-- every row to test read_ms.
DROP INDEX inbox_unread;
DROP INDEX inbox_owner;
CREATE INDEX inbox_owner ON inbox_entry (owner_key, read_ms, created_ms, id);
DROP INDEX letter_waiting;
CREATE INDEX letter_waiting ON letter (waiting_position_id, updated_ms, id);

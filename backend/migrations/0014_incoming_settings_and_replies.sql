-- How an OPD handles incoming mail, set by its Admin OPD: who receives new mail for the first
-- disposition (NULL: the head of the OPD) and whether dispositions may go to peers (positions with
-- the same direct superior) besides going down.
ALTER TABLE opd ADD COLUMN incoming_disposer_position_id TEXT REFERENCES position(id);
ALTER TABLE opd ADD COLUMN peer_disposition BIGINT NOT NULL DEFAULT 0;

-- A letter drafted as the reply to an incoming letter ("Buat surat balasan"): fixed when the letter
-- is created. The incoming letter's page lists its replies, and a follow-up report links one.
ALTER TABLE letter ADD COLUMN reply_to_incoming_id TEXT REFERENCES incoming_letter(id);
CREATE INDEX letter_reply_to ON letter (reply_to_incoming_id) WHERE reply_to_incoming_id IS NOT NULL;

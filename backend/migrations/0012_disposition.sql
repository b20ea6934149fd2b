-- Surat masuk: the clerk's registration of scanned mail (on the same incoming_letter record that the
-- surat keluar delivery writes), the scan itself, and the disposition tree with its follow-ups.

-- The client-generated id of a registration, so a double submit registers the letter once.
ALTER TABLE incoming_letter ADD COLUMN client_id TEXT;
CREATE UNIQUE INDEX incoming_client ON incoming_letter (opd_id, client_id);
-- Lower-cased sender, number and letter day: the same letter registered twice is flagged.
ALTER TABLE incoming_letter ADD COLUMN dup_key TEXT NOT NULL DEFAULT '';
CREATE INDEX incoming_dup ON incoming_letter (opd_id, dup_key);
-- The position that gives the first disposition (the head of the OPD unless the clerk chose another).
ALTER TABLE incoming_letter ADD COLUMN disposer_position_id TEXT REFERENCES position(id);
-- Set once, atomically, by whoever gives the first disposition: two people cannot both dispose.
ALTER TABLE incoming_letter ADD COLUMN disposed_ms BIGINT;
ALTER TABLE incoming_letter ADD COLUMN archived_ms BIGINT;
ALTER TABLE incoming_letter ADD COLUMN archived_by TEXT REFERENCES employee(id);
-- 'open' (waiting for a disposition), 'disposed', 'complete' (every branch followed up), 'archived'.
ALTER TABLE incoming_letter ADD COLUMN status TEXT NOT NULL DEFAULT 'open';

-- The scanned pages of registered mail, as one PDF.
CREATE TABLE incoming_scan (
    incoming_id TEXT PRIMARY KEY REFERENCES incoming_letter(id),
    pdf BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    pages BIGINT NOT NULL,
    original TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

-- One edge of the disposition tree: from a position (the giver) to a position (the recipient; whoever
-- holds or acts for it sees it). parent_id is NULL for the first disposition of the letter.
CREATE TABLE disposition (
    id TEXT PRIMARY KEY,
    incoming_id TEXT NOT NULL REFERENCES incoming_letter(id),
    opd_id TEXT NOT NULL REFERENCES opd(id),
    parent_id TEXT REFERENCES disposition(id),
    depth BIGINT NOT NULL,
    from_position_id TEXT NOT NULL REFERENCES position(id),
    from_employee_id TEXT NOT NULL REFERENCES employee(id),
    to_position_id TEXT NOT NULL REFERENCES position(id),
    -- who held the position when it was given (the name printed on the sheet)
    to_employee_id TEXT REFERENCES employee(id),
    is_lead BIGINT NOT NULL DEFAULT 0,
    instructions TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    deadline_day BIGINT,
    created_ms BIGINT NOT NULL,
    read_ms BIGINT,
    read_by TEXT REFERENCES employee(id),
    -- set once when the recipient passes it further down
    forwarded_ms BIGINT,
    -- 'open', 'reported' (follow-up waiting for the giver), 'done'
    status TEXT NOT NULL DEFAULT 'open',
    report_text TEXT NOT NULL DEFAULT '',
    report_letter_id TEXT REFERENCES letter(id),
    reported_ms BIGINT,
    reported_by TEXT REFERENCES employee(id),
    -- the giver's answer to the follow-up: accepted, or sent back with a note
    review_note TEXT NOT NULL DEFAULT '',
    done_ms BIGINT,
    -- copied so the lists need no join
    subject TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    sifat TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX disposition_incoming ON disposition (incoming_id, created_ms);
CREATE INDEX disposition_to ON disposition (to_position_id, created_ms, id);
CREATE INDEX disposition_from ON disposition (from_position_id, created_ms, id);
CREATE INDEX disposition_deadline ON disposition (status, deadline_day);

-- Files attached to a follow-up report.
CREATE TABLE disposition_file (
    id TEXT PRIMARY KEY,
    disposition_id TEXT NOT NULL REFERENCES disposition(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES employee(id),
    created_ms BIGINT NOT NULL
);
CREATE INDEX disposition_file_node ON disposition_file (disposition_id);

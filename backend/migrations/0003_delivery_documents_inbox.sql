-- Surat keluar, second part: search text, the rendered (and later signed) documents, attachments,
-- and the incoming-letter record with per-person inbox entries that both the surat keluar delivery
-- and the surat masuk registration write.

-- Where a returned letter restarts: 'first' (every reviewer again) or 'returner'.
ALTER TABLE pemda ADD COLUMN restart_policy TEXT NOT NULL DEFAULT 'first';

-- Lower-cased addressee names, so lists can search by recipient without a join.
ALTER TABLE letter ADD COLUMN recipients_text TEXT NOT NULL DEFAULT '';
CREATE INDEX letter_signed_by ON letter (signed_by, updated_ms);

-- The final document of a letter. The signer that produced it (none yet, a local CA, a remote
-- service) is recorded; public_id is the unguessable id of its verification page.
CREATE TABLE letter_document (
    letter_id TEXT PRIMARY KEY REFERENCES letter(id),
    public_id TEXT NOT NULL,
    pdf BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    signer_kind TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX letter_document_public ON letter_document (public_id);

CREATE TABLE letter_attachment (
    id TEXT PRIMARY KEY,
    letter_id TEXT NOT NULL REFERENCES letter(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL REFERENCES employee(id),
    created_ms BIGINT NOT NULL
);
CREATE INDEX letter_attachment_letter ON letter_attachment (letter_id, created_ms);

-- Incoming mail of one OPD, registered once: either delivered from a letter signed inside the system
-- (source 'internal', outgoing_letter_id set) or scanned and registered by the clerk (source 'scan').
CREATE TABLE incoming_letter (
    id TEXT PRIMARY KEY,
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    opd_id TEXT NOT NULL REFERENCES opd(id),
    source TEXT NOT NULL,
    outgoing_letter_id TEXT REFERENCES letter(id),
    agenda_seq BIGINT NOT NULL,
    agenda_year BIGINT NOT NULL,
    received_ms BIGINT NOT NULL,
    sender_name TEXT NOT NULL,
    sender_opd_id TEXT REFERENCES opd(id),
    letter_number TEXT NOT NULL,
    letter_day BIGINT NOT NULL,
    sifat TEXT NOT NULL,
    urgency TEXT NOT NULL,
    attachment_count BIGINT NOT NULL DEFAULT 0,
    subject TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    klasifikasi TEXT NOT NULL DEFAULT '',
    registered_by TEXT REFERENCES employee(id),
    created_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX incoming_agenda ON incoming_letter (opd_id, agenda_year, agenda_seq);
CREATE UNIQUE INDEX incoming_from_outgoing ON incoming_letter (opd_id, outgoing_letter_id);
CREATE INDEX incoming_opd ON incoming_letter (opd_id, received_ms);

-- One addressee of an incoming letter. owner_key is 'p:<position id>' (whoever holds or acts for the
-- position sees it) or 'e:<employee id>' (a person), so one index serves the Kotak Masuk of anyone.
-- Subject, sifat and sender are copied so the inbox list needs no join.
CREATE TABLE inbox_entry (
    id TEXT PRIMARY KEY,
    incoming_id TEXT NOT NULL REFERENCES incoming_letter(id),
    owner_key TEXT NOT NULL,
    -- 'to' (addressee) or 'cc' (tembusan)
    role TEXT NOT NULL,
    subject TEXT NOT NULL,
    sender_name TEXT NOT NULL,
    sifat TEXT NOT NULL,
    urgency TEXT NOT NULL,
    letter_number TEXT NOT NULL,
    read_ms BIGINT,
    read_by TEXT REFERENCES employee(id),
    created_ms BIGINT NOT NULL
);
CREATE INDEX inbox_owner ON inbox_entry (owner_key, created_ms);
CREATE INDEX inbox_incoming ON inbox_entry (incoming_id);

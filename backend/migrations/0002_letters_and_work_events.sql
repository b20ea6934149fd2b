-- Outgoing letters (surat keluar), their versions, approval history and numbering,
-- and the one record of work events that performance scoring (e-Kinerja) reads.

-- Per-OPD, per-year counters for letter numbers and agenda numbers, incremented atomically by
-- INSERT ... ON CONFLICT ... DO UPDATE ... RETURNING.
CREATE TABLE number_sequence (
    opd_id TEXT NOT NULL REFERENCES opd(id),
    kind TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_value BIGINT NOT NULL,
    PRIMARY KEY (opd_id, kind, year)
);

-- Archive classification codes (klasifikasi arsip), configurable per Pemda.
CREATE TABLE klasifikasi (
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (pemda_id, code)
);

CREATE TABLE letter (
    id TEXT PRIMARY KEY,
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    opd_id TEXT NOT NULL REFERENCES opd(id),
    kind TEXT NOT NULL,
    klasifikasi TEXT NOT NULL,
    sifat TEXT NOT NULL,
    urgency TEXT NOT NULL,
    subject TEXT NOT NULL,
    attachment_count BIGINT NOT NULL DEFAULT 0,
    drafter_id TEXT NOT NULL REFERENCES employee(id),
    drafter_position_id TEXT NOT NULL REFERENCES position(id),
    signer_position_id TEXT NOT NULL REFERENCES position(id),
    sign_mode TEXT NOT NULL,
    -- Reviewer position ids in order, separated by commas; frozen at submission.
    chain TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    step BIGINT NOT NULL DEFAULT -1,
    -- Position whose holder (or acting official) must act next; NULL when nobody has to.
    waiting_position_id TEXT,
    version BIGINT NOT NULL,
    number TEXT,
    number_seq BIGINT,
    number_year BIGINT,
    signed_ms BIGINT,
    signed_by TEXT REFERENCES employee(id),
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX letter_waiting ON letter (waiting_position_id, updated_ms);
CREATE INDEX letter_drafter ON letter (drafter_id, state, updated_ms);
CREATE INDEX letter_opd ON letter (opd_id, state, updated_ms);
CREATE UNIQUE INDEX letter_number ON letter (opd_id, number_year, number_seq);

-- Every saved version of the letter's content. client_id makes saves idempotent (offline sync
-- can resend); base_version detects conflicting edits.
CREATE TABLE letter_version (
    letter_id TEXT NOT NULL REFERENCES letter(id),
    version BIGINT NOT NULL,
    client_id TEXT NOT NULL,
    base_version BIGINT NOT NULL,
    author_id TEXT NOT NULL REFERENCES employee(id),
    content TEXT NOT NULL,
    conflict SMALLINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (letter_id, version)
);
CREATE UNIQUE INDEX letter_version_client ON letter_version (client_id);

CREATE TABLE letter_recipient (
    letter_id TEXT NOT NULL REFERENCES letter(id),
    ord BIGINT NOT NULL,
    -- 'to' or 'cc' (tembusan)
    role TEXT NOT NULL,
    -- 'opd', 'unit', 'employee' or 'external'
    target_type TEXT NOT NULL,
    target_id TEXT,
    name TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (letter_id, ord)
);
CREATE INDEX letter_recipient_target ON letter_recipient (target_type, target_id);

-- The approval history: who did what to the letter, with notes.
CREATE TABLE letter_action (
    letter_id TEXT NOT NULL REFERENCES letter(id),
    seq BIGINT NOT NULL,
    actor_id TEXT NOT NULL REFERENCES employee(id),
    position_id TEXT,
    action TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    version BIGINT NOT NULL,
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (letter_id, seq)
);

-- One record of work done in e-Office (drafting, paraf, signing, registering, disposing, following up),
-- shared by every module, so e-Kinerja counts it without anyone typing it twice.
CREATE TABLE work_event (
    id TEXT PRIMARY KEY,
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    opd_id TEXT NOT NULL REFERENCES opd(id),
    employee_id TEXT NOT NULL REFERENCES employee(id),
    position_id TEXT,
    kind TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    at_ms BIGINT NOT NULL
);
CREATE INDEX work_event_employee ON work_event (employee_id, at_ms);
CREATE INDEX work_event_opd ON work_event (opd_id, at_ms);

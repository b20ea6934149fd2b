-- Electronic signature (TTE): the installation's certificate authority, officials' signing
-- certificates and the passphrase attempt record that rate-limits guessing.

-- One PKI per Pemda: root CA, issuing CA and time-stamp authority. Certificates are DER; private
-- keys are in the tte crate's compact encrypted form, encrypted under the installation master
-- secret, which is never stored in the database (it lives in DATA/pki-master.key or in
-- EOFFICE_PKI_MASTER). CRLs are made on request from signing_cert; their CRL number is the unix
-- second of their thisUpdate, so it grows without a stored counter.
CREATE TABLE pki_ca (
    pemda_id TEXT PRIMARY KEY REFERENCES pemda(id),
    root_cert BYTEA NOT NULL,
    root_key TEXT NOT NULL,
    issuing_cert BYTEA NOT NULL,
    issuing_key TEXT NOT NULL,
    tsa_cert BYTEA NOT NULL,
    tsa_key TEXT NOT NULL,
    created_by TEXT REFERENCES employee(id),
    created_ms BIGINT NOT NULL
);

-- A signing certificate of an official. 'menunggu_passphrase' rows are authorised by the Admin
-- Pemda but have no key yet: the official's first passphrase creates the key and the certificate.
-- Expiry is derived from not_after_ms when read; 'kedaluwarsa' is written only when a new
-- certificate replaces an expired one.
CREATE TABLE signing_cert (
    id TEXT PRIMARY KEY,
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    employee_id TEXT NOT NULL REFERENCES employee(id),
    status TEXT NOT NULL,
    serial_hex TEXT NOT NULL DEFAULT '',
    cert_der BYTEA,
    enc_key TEXT,
    -- The subject as issued (names and positions change later; the certificate does not).
    subject_name TEXT NOT NULL DEFAULT '',
    subject_nip TEXT NOT NULL DEFAULT '',
    subject_position TEXT NOT NULL DEFAULT '',
    subject_opd TEXT NOT NULL DEFAULT '',
    subject_pemda TEXT NOT NULL DEFAULT '',
    validity_days BIGINT NOT NULL,
    not_before_ms BIGINT,
    not_after_ms BIGINT,
    activated_ms BIGINT,
    revoked_ms BIGINT,
    revoked_reason TEXT,
    revoked_by TEXT REFERENCES employee(id),
    created_by TEXT NOT NULL REFERENCES employee(id),
    created_ms BIGINT NOT NULL
);
CREATE INDEX signing_cert_employee ON signing_cert (employee_id, created_ms);
CREATE INDEX signing_cert_serial ON signing_cert (serial_hex);
CREATE INDEX signing_cert_pemda ON signing_cert (pemda_id, created_ms);
-- At most one certificate per official that is waiting for its passphrase or usable.
CREATE UNIQUE INDEX signing_cert_one_live ON signing_cert (employee_id) WHERE status IN ('menunggu_passphrase', 'aktif');

-- Wrong passphrases per certificate; five within 15 minutes pause further tries until the oldest
-- of them is 15 minutes old. Rows older than that are deleted as new ones are written.
CREATE TABLE passphrase_attempt (
    id TEXT PRIMARY KEY,
    cert_id TEXT NOT NULL REFERENCES signing_cert(id),
    at_ms BIGINT NOT NULL,
    ip TEXT
);
CREATE INDEX passphrase_attempt_cert ON passphrase_attempt (cert_id, at_ms);

-- Public verification looks documents up by the hash of an uploaded file.
CREATE INDEX letter_document_sha ON letter_document (sha256);

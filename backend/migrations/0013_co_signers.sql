-- Co-signed letters: a second official (typically the head of another OPD) signs after the signer,
-- as an incremental update of the stored PDF, so the first signature stays valid.

-- The co-signer's position, chosen by the drafter; whoever holds it (or acts for it) when the signer
-- signs is printed in the second signature block (co_signer_id) and only they add the second
-- signature. co_signed_ms is when they did.
ALTER TABLE letter ADD COLUMN co_signer_position_id TEXT REFERENCES position(id);
ALTER TABLE letter ADD COLUMN co_signer_id TEXT REFERENCES employee(id);
ALTER TABLE letter ADD COLUMN co_signed_ms BIGINT;
-- Terkirim lists the letters a person co-signed, as it lists those they signed.
CREATE INDEX letter_co_signer ON letter (co_signer_id, updated_ms);

-- Where the second signature goes on the stored document, "page x1 y1 x2 y2" (PDF points from the
-- bottom left), written when the signer signs; empty once nothing is pending. The co-signer's
-- signature is added there without rendering the letter again.
ALTER TABLE letter_document ADD COLUMN co_sign_rect TEXT NOT NULL DEFAULT '';

-- A signing undone before the letter was complete: the co-signer refused the letter (returned it
-- with a note) or the drafter withdrew it after the signer had signed. The number it carried stays
-- used (numbers are never reused) and is recorded here with the reason; the once-signed document
-- is kept, and its verification page says it was cancelled.
CREATE TABLE letter_void (
    public_id TEXT PRIMARY KEY,
    letter_id TEXT NOT NULL REFERENCES letter(id),
    opd_id TEXT NOT NULL REFERENCES opd(id),
    number TEXT NOT NULL,
    number_seq BIGINT NOT NULL,
    number_year BIGINT NOT NULL,
    pdf BYTEA NOT NULL,
    sha256 TEXT NOT NULL,
    signer_kind TEXT NOT NULL,
    signed_ms BIGINT NOT NULL,
    signed_by TEXT REFERENCES employee(id),
    reason TEXT NOT NULL,
    voided_by TEXT NOT NULL REFERENCES employee(id),
    voided_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX letter_void_number ON letter_void (opd_id, number_year, number_seq);
CREATE INDEX letter_void_letter ON letter_void (letter_id, voided_ms);
CREATE INDEX letter_void_sha ON letter_void (sha256);

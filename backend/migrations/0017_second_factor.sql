-- Second factor (TOTP, RFC 6238) with one-time recovery codes, login challenges between the
-- password and the code, and the time of each session's last second-factor check.

-- One authenticator per person. `confirmed_ms` is NULL while enrolment waits for the first code;
-- `last_step` is the last 30-second step accepted, so a code is never accepted twice.
CREATE TABLE second_factor (
    employee_id TEXT PRIMARY KEY REFERENCES employee(id),
    secret TEXT NOT NULL,
    confirmed_ms BIGINT,
    last_step BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL
);

-- Recovery codes, shown once; only their SHA-256 is kept (they are 60 random bits each).
CREATE TABLE recovery_code (
    employee_id TEXT NOT NULL REFERENCES employee(id),
    code_hash TEXT NOT NULL,
    used_ms BIGINT,
    PRIMARY KEY (employee_id, code_hash)
);

-- A login whose password was right and whose code is still to come (the cookie holds the token).
CREATE TABLE login_challenge (
    token_hash TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employee(id),
    created_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL
);

ALTER TABLE session ADD COLUMN second_factor_ms BIGINT NOT NULL DEFAULT 0;

-- Per Pemda: from when admins and certificate holders must have a second factor (before that the
-- Beranda asks them to set it up), and how old the last check may be before signing asks again.
ALTER TABLE pemda ADD COLUMN second_factor_due_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE pemda ADD COLUMN second_factor_recheck_minutes BIGINT NOT NULL DEFAULT 15;
UPDATE pemda SET second_factor_due_ms = created_ms + 14 * 86400000;

-- Foundation schema: tenants, organisation, people, accounts, sessions, audit chain.
-- Portable between SQLite and PostgreSQL: TEXT ids made by the application, BIGINT unix-ms times,
-- SMALLINT flags (see DESIGN.md, "One store for SQLite and PostgreSQL").

CREATE TABLE pemda (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    code TEXT NOT NULL,
    -- Letter number format, e.g. "{klasifikasi}/{urut}/{kode_unit}/{tahun}".
    number_format TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE opd (
    id TEXT PRIMARY KEY,
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    name TEXT NOT NULL,
    short_name TEXT NOT NULL,
    code TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    website TEXT NOT NULL DEFAULT '',
    active SMALLINT NOT NULL DEFAULT 1,
    created_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX opd_pemda_name ON opd (pemda_id, name);

CREATE TABLE unit (
    id TEXT PRIMARY KEY,
    opd_id TEXT NOT NULL REFERENCES opd(id),
    parent_id TEXT REFERENCES unit(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    sort_order BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL
);
CREATE INDEX unit_opd ON unit (opd_id);
CREATE UNIQUE INDEX unit_opd_name ON unit (opd_id, name);

CREATE TABLE position (
    id TEXT PRIMARY KEY,
    opd_id TEXT NOT NULL REFERENCES opd(id),
    unit_id TEXT NOT NULL REFERENCES unit(id),
    title TEXT NOT NULL,
    level SMALLINT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE INDEX position_unit ON position (unit_id);
CREATE UNIQUE INDEX position_unit_title ON position (unit_id, title);

CREATE TABLE employee (
    id TEXT PRIMARY KEY,
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    opd_id TEXT NOT NULL REFERENCES opd(id),
    nip TEXT NOT NULL,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT NOT NULL DEFAULT '',
    position_id TEXT REFERENCES position(id),
    active SMALLINT NOT NULL DEFAULT 1,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX employee_nip ON employee (nip);
CREATE UNIQUE INDEX employee_email ON employee (email);
CREATE INDEX employee_opd ON employee (opd_id, name);
CREATE INDEX employee_position ON employee (position_id);

-- Acting officials: Plt / Plh for a position, in force from start_day to end_day (days since epoch, WIB).
CREATE TABLE acting (
    id TEXT PRIMARY KEY,
    position_id TEXT NOT NULL REFERENCES position(id),
    employee_id TEXT NOT NULL REFERENCES employee(id),
    kind TEXT NOT NULL,
    start_day BIGINT NOT NULL,
    end_day BIGINT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by TEXT,
    created_ms BIGINT NOT NULL,
    ended SMALLINT NOT NULL DEFAULT 0
);
CREATE INDEX acting_employee ON acting (employee_id);
CREATE INDEX acting_position ON acting (position_id);

CREATE TABLE account (
    employee_id TEXT PRIMARY KEY REFERENCES employee(id),
    password_hash TEXT NOT NULL,
    must_change SMALLINT NOT NULL DEFAULT 0,
    failed_count BIGINT NOT NULL DEFAULT 0,
    locked_until_ms BIGINT NOT NULL DEFAULT 0,
    last_login_ms BIGINT,
    lang TEXT NOT NULL DEFAULT 'id',
    created_ms BIGINT NOT NULL,
    password_changed_ms BIGINT NOT NULL
);

CREATE TABLE role_grant (
    employee_id TEXT NOT NULL REFERENCES employee(id),
    role TEXT NOT NULL,
    scope_id TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (employee_id, role, scope_id)
);

-- Server-side sessions; the cookie carries a random token, the table only its SHA-256.
CREATE TABLE session (
    token_hash TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employee(id),
    created_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_employee ON session (employee_id);

-- Failed logins per client address, for back-off independent of the account.
CREATE TABLE login_throttle (
    address TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    window_start_ms BIGINT NOT NULL,
    blocked_until_ms BIGINT NOT NULL DEFAULT 0
);

-- Append-only, hash-chained audit log. seq is assigned as max+1 under a lock, so it has no gaps.
CREATE TABLE audit_log (
    seq BIGINT PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor_id TEXT,
    actor_ip TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);

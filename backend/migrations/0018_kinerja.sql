-- e-Kinerja: daily activities (from e-Office work and logged by hand), the activity bank of each
-- position, attendance, the Pemda's settings, monthly results and their closing, year-end ratings.

-- The letter version a work event acted on, and whether the act changed anything (a save that
-- changes nothing, or a second paraf of the same version, earns no minutes).
ALTER TABLE work_event ADD COLUMN version BIGINT;
ALTER TABLE work_event ADD COLUMN changed SMALLINT NOT NULL DEFAULT 1;

-- Position class (kelas jabatan) for the base TPP; NULL means the default of the position's level.
ALTER TABLE position ADD COLUMN kelas SMALLINT;

-- The Pemda's e-Kinerja settings as one JSON document (domain::activity::KinerjaSettings).
CREATE TABLE kinerja_settings (
    pemda_id TEXT PRIMARY KEY REFERENCES pemda(id),
    settings TEXT NOT NULL,
    updated_ms BIGINT NOT NULL
);

-- Working days off: national holidays and collective leave (cuti bersama), per Pemda.
CREATE TABLE holiday (
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    day BIGINT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (pemda_id, day)
);

CREATE TABLE activity_bank (
    id TEXT PRIMARY KEY,
    opd_id TEXT NOT NULL REFERENCES opd(id),
    position_id TEXT NOT NULL REFERENCES position(id),
    name TEXT NOT NULL,
    minutes BIGINT NOT NULL,
    unit TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX activity_bank_position_name ON activity_bank (position_id, name);

-- One activity of one person on one day (WIB day number); `month` is YYYYMM.
CREATE TABLE activity (
    id TEXT PRIMARY KEY,
    pemda_id TEXT NOT NULL REFERENCES pemda(id),
    opd_id TEXT NOT NULL REFERENCES opd(id),
    employee_id TEXT NOT NULL REFERENCES employee(id),
    position_id TEXT,
    day BIGINT NOT NULL,
    month BIGINT NOT NULL,
    -- 'auto' (from a work event) or 'manual'
    source TEXT NOT NULL,
    work_event_id TEXT UNIQUE REFERENCES work_event(id),
    work_kind TEXT,
    entity TEXT,
    entity_id TEXT,
    bank_id TEXT REFERENCES activity_bank(id),
    description TEXT NOT NULL,
    start_min BIGINT,
    end_min BIGINT,
    quantity BIGINT NOT NULL DEFAULT 1,
    unit TEXT NOT NULL DEFAULT '',
    -- effective minutes it claims (0 with `no_credit` saying why)
    minutes BIGINT NOT NULL,
    no_credit TEXT,
    -- 'pending', 'approved', 'rejected'
    status TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    validator_id TEXT REFERENCES employee(id),
    validated_ms BIGINT,
    client_id TEXT UNIQUE,
    created_ms BIGINT NOT NULL,
    at_ms BIGINT NOT NULL
);
CREATE INDEX activity_employee_day ON activity (employee_id, day);
CREATE INDEX activity_opd_month ON activity (opd_id, month, employee_id, status, minutes);

CREATE TABLE activity_evidence (
    activity_id TEXT PRIMARY KEY REFERENCES activity(id),
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    data BYTEA NOT NULL
);

-- One attendance day of one person, from the attendance machine's file.
-- status: 'hadir' (worked), 'tk' (absent), 'cuti', 'dl' (official travel), 'sakit' (excused).
CREATE TABLE attendance (
    employee_id TEXT NOT NULL REFERENCES employee(id),
    day BIGINT NOT NULL,
    opd_id TEXT NOT NULL REFERENCES opd(id),
    check_in BIGINT,
    check_out BIGINT,
    status TEXT NOT NULL,
    PRIMARY KEY (employee_id, day)
);
CREATE INDEX attendance_opd_day ON attendance (opd_id, day);

-- A month of an OPD: closed (frozen figures) or reopened.
CREATE TABLE kinerja_month (
    opd_id TEXT NOT NULL REFERENCES opd(id),
    month BIGINT NOT NULL,
    closed SMALLINT NOT NULL,
    closed_ms BIGINT NOT NULL,
    closed_by TEXT REFERENCES employee(id),
    PRIMARY KEY (opd_id, month)
);

-- The figures of a person's month; for a closed month, the frozen ones.
CREATE TABLE kinerja_result (
    month BIGINT NOT NULL,
    employee_id TEXT NOT NULL REFERENCES employee(id),
    opd_id TEXT NOT NULL REFERENCES opd(id),
    unit_id TEXT,
    position_title TEXT NOT NULL DEFAULT '',
    approved_minutes BIGINT NOT NULL,
    performance_bp BIGINT NOT NULL,
    discipline_bp BIGINT NOT NULL,
    usage_penalty_bp BIGINT NOT NULL,
    base_tpp BIGINT NOT NULL,
    tpp BIGINT NOT NULL,
    lines TEXT NOT NULL,
    computed_ms BIGINT NOT NULL,
    PRIMARY KEY (month, employee_id)
);
CREATE INDEX kinerja_result_opd ON kinerja_result (opd_id, month);

-- The superior's year-end behaviour rating (perilaku kerja) of a person.
CREATE TABLE kinerja_rating (
    employee_id TEXT NOT NULL REFERENCES employee(id),
    year BIGINT NOT NULL,
    perilaku TEXT NOT NULL,
    rated_by TEXT NOT NULL REFERENCES employee(id),
    rated_ms BIGINT NOT NULL,
    PRIMARY KEY (employee_id, year)
);

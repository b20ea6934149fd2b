-- The satisfaction survey (see domain::survey). Answers carry the OPD and the month, never the
-- person: reports can only count them. Who has been asked this month is kept apart.
CREATE TABLE survey_answer (
    id TEXT PRIMARY KEY,
    pemda_id TEXT NOT NULL,
    opd_id TEXT NOT NULL REFERENCES opd(id),
    -- YYYY-MM in WIB.
    month TEXT NOT NULL,
    -- sangat_puas | puas | cukup_puas | tidak_puas
    level TEXT NOT NULL,
    comment TEXT
);
CREATE INDEX survey_answer_pemda_month ON survey_answer (pemda_id, month);

-- The last month the survey was answered or put off, per person: it is offered again the month
-- after.
CREATE TABLE survey_prompt (
    employee_id TEXT PRIMARY KEY REFERENCES employee(id),
    month TEXT NOT NULL
);

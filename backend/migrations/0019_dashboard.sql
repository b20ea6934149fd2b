-- The leaders' dashboard: interventions (reminders) on stuck items, and the index behind the
-- weekly trend of signed letters.

-- One intervention of a leader on a letter or a disposition. The newest per item rate-limits the
-- next reminder; a letter's history lists them.
CREATE TABLE intervention (
    id TEXT PRIMARY KEY,
    -- 'letter' or 'disposition'
    item_kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    opd_id TEXT NOT NULL REFERENCES opd(id),
    -- 'remind'
    action TEXT NOT NULL,
    by_employee_id TEXT NOT NULL REFERENCES employee(id),
    target_position_id TEXT REFERENCES position(id),
    note TEXT NOT NULL DEFAULT '',
    at_ms BIGINT NOT NULL
);
CREATE INDEX intervention_item ON intervention (item_kind, item_id, at_ms);

CREATE INDEX letter_opd_signed ON letter (opd_id, signed_ms);
CREATE INDEX letter_action_at ON letter_action (at_ms);

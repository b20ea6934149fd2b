-- Each person's quadrant of a closed month (the dashboard computes the open month live), and the
-- people a leader put forward for a reward or a promotion from quadrant A.

CREATE TABLE kinerja_quadrant (
    month BIGINT NOT NULL,
    employee_id TEXT NOT NULL REFERENCES employee(id),
    opd_id TEXT NOT NULL REFERENCES opd(id),
    x_bp BIGINT NOT NULL,
    -- NULL: nothing could be judged that month
    y_bp BIGINT,
    quadrant TEXT,
    computed_ms BIGINT NOT NULL,
    PRIMARY KEY (month, employee_id)
);
CREATE INDEX kinerja_quadrant_employee ON kinerja_quadrant (employee_id, month);

CREATE TABLE reward_candidate (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employee(id),
    month BIGINT NOT NULL,
    opd_id TEXT NOT NULL REFERENCES opd(id),
    -- 'reward' (penghargaan) or 'promotion' (promosi)
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    by_employee_id TEXT NOT NULL REFERENCES employee(id),
    at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX reward_candidate_once ON reward_candidate (employee_id, month, kind);
CREATE INDEX reward_candidate_opd ON reward_candidate (opd_id, month);

-- Registered mail not yet disposed, counted per OPD on the dashboard.
CREATE INDEX incoming_status ON incoming_letter (opd_id, status, received_ms);

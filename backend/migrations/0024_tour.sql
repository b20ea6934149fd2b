-- The first-login tour (domain::help): who has finished or skipped it. Everyone with an account
-- when this arrived has used e-Office before and is not offered it; new accounts are.
CREATE TABLE tour_done (
    employee_id TEXT PRIMARY KEY REFERENCES employee(id),
    done_at BIGINT NOT NULL
);
INSERT INTO tour_done (employee_id, done_at) SELECT id, 0 FROM employee;

-- Notices for one person, shown on their Beranda until read: today a move of someone into a leader
-- position (to the OPD's head and the Admin Pemda); the notification bell will list the same rows.
CREATE TABLE notification (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL REFERENCES employee(id),
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    link TEXT,
    created_ms BIGINT NOT NULL,
    read_ms BIGINT
);
CREATE INDEX notification_employee ON notification (employee_id, created_ms);

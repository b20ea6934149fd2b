-- Numbers the records clerk takes for letters signed on paper: drawn from the same per-OPD, per-year
-- sequence as electronic letters, so manual and electronic numbers never collide.
CREATE TABLE number_reservation (
    id TEXT PRIMARY KEY,
    opd_id TEXT NOT NULL REFERENCES opd(id),
    number_year BIGINT NOT NULL,
    number_seq BIGINT NOT NULL,
    number TEXT NOT NULL,
    klasifikasi TEXT NOT NULL,
    subject TEXT NOT NULL,
    recipient TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    reserved_by TEXT NOT NULL REFERENCES employee(id),
    created_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX number_reservation_seq ON number_reservation (opd_id, number_year, number_seq);
CREATE INDEX number_reservation_opd ON number_reservation (opd_id, created_ms);

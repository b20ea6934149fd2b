-- Backups taken by `eoffice serve --backup-every` and by `eoffice backup`: the Admin Pemda sees the
-- last ones, and the copies of a several-copy installation agree on when the next one is due.
CREATE TABLE backup_run (
    id TEXT PRIMARY KEY,
    started_ms BIGINT NOT NULL,
    finished_ms BIGINT NOT NULL,
    ok SMALLINT NOT NULL,
    -- scheduled | manual
    trigger_kind TEXT NOT NULL,
    location TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    error TEXT,
    host TEXT NOT NULL
);
CREATE INDEX backup_run_started ON backup_run (started_ms);

-- One person's notification settings (see domain::notify). No row: every group shown in the app,
-- no e-mail digest.
CREATE TABLE notification_pref (
    employee_id TEXT PRIMARY KEY REFERENCES employee(id),
    -- Groups not shown in the app, as sorted codes, comma separated ('' for none).
    muted TEXT NOT NULL DEFAULT '',
    -- off | daily | weekly
    digest TEXT NOT NULL DEFAULT 'off',
    -- When the last digest went out: the next one counts unread notices created after it.
    digest_sent_ms BIGINT,
    updated_ms BIGINT NOT NULL
);
CREATE INDEX notification_pref_digest ON notification_pref (digest);

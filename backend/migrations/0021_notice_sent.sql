-- Notices sent by the periodic deadline check, so that each goes out once whichever server copy
-- runs the check, and again never after a restart.
CREATE TABLE notice_sent (
    key TEXT PRIMARY KEY,
    at_ms BIGINT NOT NULL
);

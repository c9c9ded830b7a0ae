-- +goose Up
-- Failed logins are counted per (username, client address), known user or not, so a lockout
-- neither tells whether a username exists nor lets anyone lock an account for everybody.
-- Times are Unix seconds so that both engines compare them in SQL alike.
CREATE TABLE login_failures (
    username        TEXT NOT NULL,
    ip              TEXT NOT NULL,
    failed          INTEGER NOT NULL DEFAULT 0,   -- failures since the last lock (or success)
    locks           INTEGER NOT NULL DEFAULT 0,   -- locks so far: each one lasts twice the one before
    locked_until    BIGINT NOT NULL DEFAULT 0,
    last_failed_at  BIGINT NOT NULL,
    PRIMARY KEY (username, ip)
);
-- Rows quiet for a day are forgotten (and deleted as new ones arrive).
CREATE INDEX login_failures_last ON login_failures(last_failed_at);
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- +goose Down
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN locked_until TIMESTAMP;
DROP TABLE login_failures;

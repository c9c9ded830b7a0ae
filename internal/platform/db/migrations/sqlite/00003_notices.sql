-- +goose Up
-- In-app notices (reminders, new activities), created once per dedupe key.
CREATE TABLE notices (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    org_id      INTEGER REFERENCES orgs(id),
    kind        TEXT NOT NULL,                 -- activity, due_soon, overdue
    title       TEXT NOT NULL,
    body        TEXT NOT NULL DEFAULT '',
    link        TEXT NOT NULL DEFAULT '',
    dedupe_key  TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    read_at     TIMESTAMP,
    UNIQUE (user_id, dedupe_key)
);
CREATE INDEX notices_user ON notices(user_id, id);

-- Revocable tokens of organizations' calendar feeds (only the hash is kept).
CREATE TABLE calendar_tokens (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  INTEGER,
    created_at  TIMESTAMP NOT NULL,
    revoked_at  TIMESTAMP
);
CREATE INDEX calendar_tokens_org ON calendar_tokens(org_id);

-- Runs of scheduled jobs, so a restart does not repeat a day's work.
CREATE TABLE job_runs (
    name        TEXT NOT NULL,
    run_key     TEXT NOT NULL,
    started_at  TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    result      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (name, run_key)
);

-- +goose Down
DROP TABLE job_runs;
DROP TABLE calendar_tokens;
DROP TABLE notices;

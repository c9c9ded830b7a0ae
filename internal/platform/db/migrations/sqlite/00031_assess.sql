-- +goose Up
-- Assessment of organizations (issue 15, docs/ASSESS.md). Indicator sets are published per
-- organization and year, append-only (a correction is a new version).
CREATE TABLE assess_sets (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    year        INTEGER NOT NULL,
    code        TEXT NOT NULL,
    version     TEXT NOT NULL,
    name        TEXT NOT NULL,
    body        TEXT NOT NULL,                  -- the YAML as published
    loaded_by   INTEGER,
    loaded_at   TIMESTAMP NOT NULL
);
CREATE INDEX assess_sets_org ON assess_sets(org_id, year, code, id);

-- A round: a level assesses (part of) its subtree against one set version. Paths are read
-- from orgs (no copy to keep in step on a move).
CREATE TABLE assess_rounds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    set_id          INTEGER NOT NULL REFERENCES assess_sets(id),
    year            INTEGER NOT NULL,
    name            TEXT NOT NULL,
    kinds           TEXT NOT NULL DEFAULT '',   -- comma-separated; '' = the set's
    fields          TEXT NOT NULL DEFAULT '',
    self_to         TEXT NOT NULL,              -- YYYY-MM-DD (CST): dates of the round
    review_to       TEXT NOT NULL,
    award_on        TEXT NOT NULL,
    as_of           TEXT NOT NULL,              -- the day the bound indicators were computed for
    state           TEXT NOT NULL,              -- open, publicity, awarded
    opened_by       INTEGER,
    opened_at       TIMESTAMP NOT NULL
);

-- Progress per round and state, kept in the transaction of each change.
CREATE TABLE assess_round_counts (
    round_id  INTEGER NOT NULL REFERENCES assess_rounds(id),
    state     TEXT NOT NULL,                    -- pending, returned, submitted, reviewed, awarded
    n         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, state)
);

-- One row per assessed organization: its state and the totals of each stage (maintained on
-- every score write; the ranking is one index range).
CREATE TABLE assess_orgs (
    round_id      INTEGER NOT NULL REFERENCES assess_rounds(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    state         TEXT NOT NULL,
    self_total    REAL NOT NULL DEFAULT 0,
    review_total  REAL,
    total         REAL NOT NULL DEFAULT 0,      -- the review's when reviewed, else the self-assessment's
    stars         INTEGER NOT NULL DEFAULT 0,
    band          TEXT NOT NULL DEFAULT '',
    vetoed        TEXT NOT NULL DEFAULT '',     -- the veto codes that apply, comma-separated
    note          TEXT NOT NULL DEFAULT '',     -- the reason of a return
    updated_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (round_id, org_id)
);
CREATE INDEX assess_orgs_rank ON assess_orgs(round_id, total DESC, org_id);
CREATE INDEX assess_orgs_stars ON assess_orgs(round_id, stars);
CREATE INDEX assess_orgs_org ON assess_orgs(org_id, round_id);

-- Every value, append-only: stage 'data' (computed from our records at opening, with the
-- records' link), 'self' (the organization's), 'review' (the level above's, with a comment).
-- The newest row per (round, org, code, stage) is current.
CREATE TABLE assess_values (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id  INTEGER NOT NULL REFERENCES assess_rounds(id),
    org_id    INTEGER NOT NULL,
    code      TEXT NOT NULL,
    stage     TEXT NOT NULL,
    value     REAL NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    link      TEXT NOT NULL DEFAULT '',
    note      TEXT NOT NULL DEFAULT '',
    evidence  TEXT NOT NULL DEFAULT '',
    by_user   INTEGER,
    at        TIMESTAMP NOT NULL
);
CREATE INDEX assess_values_org ON assess_values(round_id, org_id, stage, code, id);

-- Stars: award, withdraw (摘星), restore — append-only; the newest event per org tells the star.
CREATE TABLE assess_star_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    round_id     INTEGER NOT NULL REFERENCES assess_rounds(id),
    kind         TEXT NOT NULL,                 -- award, withdraw, restore
    stars        INTEGER NOT NULL,
    band         TEXT NOT NULL DEFAULT '',
    valid_until  TEXT NOT NULL DEFAULT '',      -- YYYY-MM-DD (CST), last day
    reason       TEXT NOT NULL DEFAULT '',
    by_user      INTEGER,
    at           TIMESTAMP NOT NULL
);
CREATE INDEX assess_star_events_org ON assess_star_events(org_id, id);

-- +goose Down
DROP TABLE assess_star_events;
DROP TABLE assess_values;
DROP TABLE assess_orgs;
DROP TABLE assess_round_counts;
DROP TABLE assess_rounds;
DROP TABLE assess_sets;

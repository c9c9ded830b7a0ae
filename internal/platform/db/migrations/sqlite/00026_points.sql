-- +goose Up
-- Member points (党员积分, issue 14). Schemes are published per organization and year,
-- append-only (a correction is a new version); the one in force for a member is the newest
-- version, effective on the day, of the nearest organization up the tree that published one.
CREATE TABLE points_schemes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    year            INTEGER NOT NULL,
    code            TEXT NOT NULL,
    version         TEXT NOT NULL,
    name            TEXT NOT NULL,
    effective_from  TEXT NOT NULL,              -- YYYY-MM-DD (CST)
    body            TEXT NOT NULL,              -- the YAML as published
    loaded_by       INTEGER,
    loaded_at       TIMESTAMP NOT NULL
);
CREATE INDEX points_schemes_org_year ON points_schemes(org_id, year, effective_from, id);

-- Claims: a member (or a secretary on their behalf) asks for an item; the branch approves
-- (writing the ledger entry), returns with a reason, or rejects. org_path is the member's
-- branch path at the claim (the inbox is one subtree range; a move rewrites it).
CREATE TABLE points_claims (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    org_path     TEXT NOT NULL,
    year         INTEGER NOT NULL,
    item_code    TEXT NOT NULL,
    event_date   TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    activity_id  INTEGER REFERENCES activities(id),
    state        TEXT NOT NULL,                 -- pending, returned, approved, rejected
    reason       TEXT NOT NULL DEFAULT '',      -- of a return or rejection
    claimed_by   INTEGER,                       -- the account that filed it (the member's, or a secretary's)
    created_at   TIMESTAMP NOT NULL,
    decided_by   INTEGER,
    decided_at   TIMESTAMP,
    entry_id     INTEGER
);
CREATE INDEX points_claims_inbox ON points_claims(org_path, state, id);
CREATE INDEX points_claims_member ON points_claims(member_id, year, id);

-- The ledger: append-only. A correction is a reversal entry (reverses_id, at most one per
-- entry); requested and applied points are both kept, with the reason when a cap cut them.
CREATE TABLE points_entries (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id), -- the member's branch when entered
    year         INTEGER NOT NULL,
    scheme_id    INTEGER NOT NULL REFERENCES points_schemes(id),
    layer        TEXT NOT NULL,
    item_code    TEXT NOT NULL,
    category     TEXT NOT NULL,                 -- basic, reward, deduct, veto
    requested    INTEGER NOT NULL,
    applied      INTEGER NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',      -- Chinese first
    reason_en    TEXT NOT NULL DEFAULT '',
    source_kind  TEXT NOT NULL,                 -- claim, branch, attendance, reversal
    source_id    INTEGER NOT NULL DEFAULT 0,    -- the claim or activity id
    reverses_id  INTEGER UNIQUE REFERENCES points_entries(id),
    event_date   TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    entered_by   INTEGER,                       -- the account that wrote it (0/NULL: the system)
    claimed_by   INTEGER,                       -- the account that filed the claim, when one did
    created_at   TIMESTAMP NOT NULL
);
CREATE INDEX points_entries_member ON points_entries(member_id, year, id);
CREATE INDEX points_entries_source ON points_entries(source_kind, source_id, member_id);

-- A member's year, maintained in the entry's transaction: bucket '' is the sum of applied
-- points, 'cat:<code>' per category, 'item:<code>' per item; times counts live entries.
CREATE TABLE points_totals (
    member_id  INTEGER NOT NULL,
    year       INTEGER NOT NULL,
    bucket     TEXT NOT NULL,
    points     INTEGER NOT NULL DEFAULT 0,
    times      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (member_id, year, bucket)
);

-- +goose Down
DROP TABLE points_totals;
DROP TABLE points_entries;
DROP TABLE points_claims;
DROP TABLE points_schemes;

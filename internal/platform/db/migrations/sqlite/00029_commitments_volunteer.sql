-- +goose Up
-- 公开承诺 / 人人契约 (issue 14): a member's commitments for the year, drafted by the member
-- (or the secretary on their behalf), confirmed by the branch, and at or after the due date
-- recorded kept or not kept with evidence. org_path is the member's branch path at drafting
-- (the branch's notice board and the rollups are one subtree range; a move rewrites it).
CREATE TABLE commitments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id     INTEGER NOT NULL REFERENCES members(id),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    org_path      TEXT NOT NULL,
    year          INTEGER NOT NULL,
    category      TEXT NOT NULL,                -- a code of the commitment catalogue in force
    catalogue     TEXT NOT NULL,                -- the catalogue version the category was checked against
    content       TEXT NOT NULL,
    due_date      TEXT NOT NULL,                -- YYYY-MM-DD (CST), within year
    state         TEXT NOT NULL,                -- draft, confirmed, kept, not_kept, withdrawn
    drafted_by    INTEGER,                      -- the account (the member's, or a secretary's)
    created_at    TIMESTAMP NOT NULL,
    confirmed_by  INTEGER,
    confirmed_at  TIMESTAMP,
    outcome_note  TEXT NOT NULL DEFAULT '',     -- the evidence of kept / not kept
    outcome_link  TEXT NOT NULL DEFAULT '',
    outcome_by    INTEGER,
    outcome_at    TIMESTAMP
);
CREATE INDEX commitments_branch ON commitments(org_path, year, state, id);
CREATE INDEX commitments_member ON commitments(member_id, year, id);
CREATE INDEX commitments_due ON commitments(state, due_date, org_path);

-- 在职党员到社区报到: a member registers with the community Party organization where they
-- live; un-registering ends the row (history kept). At most one live registration a member.
CREATE TABLE volunteer_registrations (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id       INTEGER NOT NULL REFERENCES members(id),
    member_org_id   INTEGER NOT NULL REFERENCES orgs(id),
    member_path     TEXT NOT NULL,
    community_id    INTEGER NOT NULL REFERENCES orgs(id),
    community_path  TEXT NOT NULL,
    unit            TEXT NOT NULL DEFAULT '',    -- the member's work unit when registering
    address         TEXT NOT NULL DEFAULT '',    -- where they live (the member's words)
    from_date       TEXT NOT NULL,
    to_date         TEXT,
    registered_by   INTEGER,
    created_at      TIMESTAMP NOT NULL,
    ended_by        INTEGER,
    ended_at        TIMESTAMP
);
CREATE UNIQUE INDEX volunteer_registrations_live ON volunteer_registrations(member_id) WHERE to_date IS NULL;
CREATE INDEX volunteer_registrations_community ON volunteer_registrations(community_path, id);
CREATE INDEX volunteer_registrations_member ON volunteer_registrations(member_id, id);

-- Volunteer service records: confirmed by the organizer (the community where the member is
-- registered, or the member's branch). Hours are kept in tenths (1.5 h = 15).
CREATE TABLE volunteer_records (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id       INTEGER NOT NULL REFERENCES members(id),
    member_org_id   INTEGER NOT NULL REFERENCES orgs(id),
    member_path     TEXT NOT NULL,
    organizer_id    INTEGER NOT NULL REFERENCES orgs(id),
    organizer_path  TEXT NOT NULL,
    day             TEXT NOT NULL,
    year            INTEGER NOT NULL,
    tenths          INTEGER NOT NULL,
    what            TEXT NOT NULL,
    for_whom        TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,               -- pending, confirmed, rejected, withdrawn
    reason          TEXT NOT NULL DEFAULT '',
    created_by      INTEGER,
    created_at      TIMESTAMP NOT NULL,
    decided_by      INTEGER,
    decided_at      TIMESTAMP
);
CREATE INDEX volunteer_records_organizer ON volunteer_records(organizer_path, state, id);
CREATE INDEX volunteer_records_member ON volunteer_records(member_id, year, id);

-- +goose Down
DROP TABLE volunteer_records;
DROP TABLE volunteer_registrations;
DROP TABLE commitments;

-- +goose Up
-- Organizational life: activities (one record may count as several kinds), attendance
-- (append-only: the newest row per member is the current one), exemptions, notices.
CREATE TABLE activities (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id          INTEGER NOT NULL REFERENCES orgs(id),
    topic           TEXT NOT NULL,
    starts_at       TIMESTAMP NOT NULL,
    ends_at         TIMESTAMP,
    place           TEXT NOT NULL DEFAULT '',
    host            TEXT NOT NULL DEFAULT '',
    recorder        TEXT NOT NULL DEFAULT '',
    speaker         TEXT NOT NULL DEFAULT '',
    minutes         TEXT NOT NULL DEFAULT '',
    resolutions     TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL,               -- planned, held, submitted, returned, accepted
    review_comment  TEXT NOT NULL DEFAULT '',
    amends_id       INTEGER REFERENCES activities(id),
    superseded_by   INTEGER REFERENCES activities(id),
    created_by      INTEGER,
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX activities_org_time ON activities(org_id, starts_at);
CREATE INDEX activities_time ON activities(starts_at);

CREATE TABLE activity_kinds (
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    kind         TEXT NOT NULL,
    PRIMARY KEY (activity_id, kind)
);
CREATE INDEX activity_kinds_kind ON activity_kinds(kind, activity_id);

CREATE TABLE attendance (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    member_id    INTEGER NOT NULL REFERENCES members(id),
    state        TEXT NOT NULL,                  -- present, leave, absent, exempt
    reason       TEXT NOT NULL DEFAULT '',
    recorded_by  INTEGER,
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX attendance_activity ON attendance(activity_id, member_id, id);
CREATE INDEX attendance_member ON attendance(member_id, id);

CREATE TABLE guests (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    name         TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX guests_activity ON guests(activity_id);

CREATE TABLE exemptions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id    INTEGER NOT NULL REFERENCES members(id),
    reason       TEXT NOT NULL,
    from_date    TEXT NOT NULL,
    to_date      TEXT NOT NULL DEFAULT '',       -- '' = until revoked
    created_by   INTEGER,
    created_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP
);
CREATE INDEX exemptions_member ON exemptions(member_id, from_date);

-- +goose Down
DROP TABLE exemptions;
DROP TABLE guests;
DROP TABLE attendance;
DROP TABLE activity_kinds;
DROP TABLE activities;

-- +goose Up
-- The working-day calendar loaded at run time (issue 14/15, DESIGN.md §12): append-only, the
-- newest row of a year wins over older rows and over the arrangement built into the binary.
CREATE TABLE calendar_years (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    year       INTEGER NOT NULL,
    body       TEXT NOT NULL,               -- the YAML as loaded
    source     TEXT NOT NULL,               -- the notice it comes from
    loaded_by  INTEGER,
    loaded_at  TIMESTAMP NOT NULL
);
CREATE INDEX calendar_years_year ON calendar_years(year, id);

-- 公示: a result made public for a number of working days, during which objections may be
-- raised; the owning module (points year end, assessment rounds …) names itself in subject.
CREATE TABLE publicity_notices (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id        INTEGER NOT NULL REFERENCES orgs(id), -- the organization that publishes
    subject       TEXT NOT NULL,
    subject_id    INTEGER NOT NULL,
    title         TEXT NOT NULL,
    from_day      TEXT NOT NULL,            -- YYYY-MM-DD (CST), inclusive
    to_day        TEXT NOT NULL,            -- the working_days-th working day
    working_days  INTEGER NOT NULL,
    missing       TEXT NOT NULL DEFAULT '', -- years counted without a calendar, comma-separated
    created_by    INTEGER,
    created_at    TIMESTAMP NOT NULL,
    closed_by     INTEGER,
    closed_at     TIMESTAMP
);
CREATE INDEX publicity_notices_subject ON publicity_notices(subject, subject_id, id);

CREATE TABLE publicity_objections (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id    INTEGER NOT NULL REFERENCES publicity_notices(id),
    target       TEXT NOT NULL,             -- what is objected to, in the owning module's terms
    target_id    INTEGER NOT NULL DEFAULT 0,
    text         TEXT NOT NULL,
    raised_by    INTEGER,
    raised_at    TIMESTAMP NOT NULL,
    state        TEXT NOT NULL,             -- open, upheld, dismissed
    answer       TEXT NOT NULL DEFAULT '',
    answered_by  INTEGER,
    answered_at  TIMESTAMP
);
CREATE INDEX publicity_objections_notice ON publicity_objections(notice_id, id);

-- +goose Down
DROP TABLE publicity_objections;
DROP TABLE publicity_notices;
DROP TABLE calendar_years;

-- +goose Up
-- 组织生活会 and 民主评议 are held for a year, often in January–February of the next one:
-- the year an activity counts for (NULL: the year of its date).
ALTER TABLE activities ADD COLUMN for_year INTEGER;
CREATE INDEX activities_for_year ON activities(org_id, for_year);

-- 不合格 and what follows (不合格党员组织处置办法, 2024): the branch's dated decision on a member
-- graded 不合格 (or a 预备党员 who fell short), append-only; the newest row per activity and
-- member is current.
CREATE TABLE review_outcomes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    activity_id  INTEGER NOT NULL REFERENCES activities(id),
    member_id    INTEGER NOT NULL REFERENCES members(id),
    outcome      TEXT NOT NULL,     -- corrected, persuaded, removed, extend_probation, cancel_probation
    decided_on   TEXT NOT NULL,     -- YYYY-MM-DD
    decided_by   TEXT NOT NULL,     -- e.g. 支部党员大会
    note         TEXT NOT NULL DEFAULT '',
    recorded_by  INTEGER,
    recorded_at  TIMESTAMP NOT NULL
);
CREATE INDEX review_outcomes_activity ON review_outcomes(activity_id, member_id, id);

-- +goose Down
DROP TABLE review_outcomes;
DROP INDEX activities_for_year;
ALTER TABLE activities DROP COLUMN for_year;

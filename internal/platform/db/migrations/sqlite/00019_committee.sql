-- +goose Up
-- Who sits on a branch's 支部委员会 (or, below 7 full members, its secretary and deputy):
-- one row per post held, from_date to to_date (YYYY-MM-DD; to_date '' = the term runs on).
-- The current 书记 is copied into orgs.secretary (one truth: the committee list).
CREATE TABLE committee_members (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    role        TEXT NOT NULL,
    from_date   TEXT NOT NULL,
    to_date     TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX committee_members_org ON committee_members(org_id, role, from_date);
-- Members holding a post now (to_date ''): the check "应设支部委员会" reads it.
ALTER TABLE orgs ADD COLUMN committee_size INTEGER NOT NULL DEFAULT 0;
-- The figures the maintained org checks were computed with (org.SetThresholds), from the rule
-- pack in force; seeded with the national pack's, rewritten when a pack is loaded.
CREATE TABLE org_thresholds (
    id              INTEGER PRIMARY KEY,
    min_full        INTEGER NOT NULL,
    max_members     INTEGER NOT NULL,
    committee_from  INTEGER NOT NULL,
    committee_min   INTEGER NOT NULL
);
INSERT INTO org_thresholds (id, min_full, max_members, committee_from, committee_min) VALUES (1, 3, 50, 7, 3);
-- Branches with 7 full members and (so far) no committee recorded fail the new check.
UPDATE orgs SET flags = CASE WHEN flags = '' THEN 'no_committee' ELSE flags || ',no_committee' END
    WHERE kind IN ('branch', 'joint_branch') AND direct_full >= 7 AND dissolved_at IS NULL;
INSERT INTO org_checks (check_name, path, org_id)
    SELECT 'no_committee', path, id FROM orgs WHERE flags LIKE '%no_committee%';
INSERT INTO org_stats (org_id, dim, key, n)
    SELECT a.id, 'check', 'no_committee', COUNT(*)
    FROM orgs o JOIN orgs a ON o.path LIKE a.path || '%'
    WHERE o.flags LIKE '%no_committee%' GROUP BY a.id;

-- +goose Down
DELETE FROM org_stats WHERE dim = 'check' AND key = 'no_committee';
DELETE FROM org_checks WHERE check_name = 'no_committee';
UPDATE orgs SET flags = REPLACE(REPLACE(REPLACE(flags, ',no_committee', ''), 'no_committee,', ''), 'no_committee', '');
DROP TABLE org_thresholds;
ALTER TABLE orgs DROP COLUMN committee_size;
DROP INDEX committee_members_org;
DROP TABLE committee_members;

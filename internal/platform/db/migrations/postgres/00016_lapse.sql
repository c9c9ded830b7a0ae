-- +goose Up
-- The 6-month rule as a maintained figure (life.recountLapse): the months since a member's last
-- participation in which their branch or group held organizational life that they missed without
-- a proper reason (exemption, leave). The at-risk list is one range of this index.
ALTER TABLE members ADD COLUMN lapse_months INTEGER NOT NULL DEFAULT 0;
-- The day the member's status last changed (YYYY-MM-DD, '' = before this was recorded): the
-- lost-contact process (失联 → 停止党籍 → 除名) counts from it.
ALTER TABLE members ADD COLUMN status_since TEXT NOT NULL DEFAULT '';
CREATE INDEX members_path_lapse ON members(org_path, lapse_months);

-- The full members in good standing of each branch as history (org.NoteFull): the count at
-- the end of each month it changed; '0000-00' is the count found when the history began. The
-- 支委会 rule binds a branch for the months it had 7 (the pack's figure) at their start.
CREATE TABLE org_month_full (
    org_id  INTEGER NOT NULL REFERENCES orgs(id),
    month   TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (org_id, month)
);
INSERT INTO org_month_full (org_id, month, n)
    SELECT o.id, '0000-00', (SELECT COUNT(*) FROM members m WHERE m.org_id = o.id AND m.category = 'full' AND m.status IN ('active', 'mobile'))
    FROM orgs o WHERE o.kind IN ('branch', 'joint_branch', 'temp_branch');
-- Its rollup (dimension fullm:<kind>, key '<month>:<n>', changes of the distribution).
INSERT INTO org_stats (org_id, dim, key, n)
    SELECT a.id, 'fullm:' || o.kind, '0000-01:' || f.n, COUNT(*)
    FROM org_month_full f JOIN orgs o ON o.id = f.org_id JOIN orgs a ON o.path LIKE a.path || '%'
    GROUP BY a.id, o.kind, f.n;

-- +goose Down
DELETE FROM org_stats WHERE dim LIKE 'fullm:%';
DROP TABLE org_month_full;
DROP INDEX members_path_lapse;
ALTER TABLE members DROP COLUMN status_since;
ALTER TABLE members DROP COLUMN lapse_months;

-- +goose Up
-- Who belonged to which organization when (issue 10 items 8–10): a member's home branch for
-- a span of days, and the second affiliations that do not transfer the relationship — a
-- 临时党支部 (temporary) or the host organization of a 流动党员 (host). Days are YYYY-MM-DD
-- (CST); from_date is the first day, to_date the first day no longer ('' = still). An
-- activity's roster is the spans covering its day (life.roster), so a transfer leaves the
-- member on the old branch's past activities and off the new one's.
CREATE TABLE memberships (
    id         INTEGER PRIMARY KEY,
    member_id  INTEGER NOT NULL REFERENCES members(id),
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    kind       TEXT NOT NULL,
    from_date  TEXT NOT NULL,
    to_date    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX memberships_org ON memberships(org_id, from_date);
CREATE INDEX memberships_member ON memberships(member_id);
-- Today's members, at their branch since joining the Party (the history before is unknown).
INSERT INTO memberships (member_id, org_id, kind, from_date)
    SELECT id, org_id, 'home', join_date FROM members WHERE status IN ('active', 'mobile', 'lost', 'suspended');

-- +goose Down
DROP TABLE memberships;

-- +goose Up
-- Indexes that match the queries of the pages at a million members with a year of attendance
-- (issue 13; EXPLAIN plans in docs/PERFORMANCE.md).
-- The members at risk (6-month rule): the few members with months missed, most first, then
-- the subtree's range; members_path_lapse (org_path first) read the whole district's range at
-- the root. Partial on the statuses the list shows, so the count reads the index alone.
CREATE INDEX members_lapse_path ON members(lapse_months, org_path, id) WHERE status IN ('active', 'mobile');
-- An activity's roster and its exemptions find the members of a 党小组 by group_id
-- (m.org_id = ? OR m.group_id = ?): without it, a scan of every member.
CREATE INDEX members_group ON members(group_id);
-- The drill-down's "met this rule in this period" (NOT EXISTS … rule_id = ? AND period = ?)
-- is planned as one lookup set per rule and period: read it from an index, not by scanning
-- every organization's met rows.
CREATE INDEX life_met_rule_period ON life_met(rule_id, period, org_id);

-- +goose Down
DROP INDEX life_met_rule_period;
DROP INDEX members_group;
DROP INDEX members_lapse_path;

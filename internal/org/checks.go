package org

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// The dimensions of the subtree rollups (table org_stats) the organization part owns, or (field)
// keeps in step when an organization's field changes.
const (
	DimField = "field" // current members by the field of their organization (recounted by member's part)
	DimKind  = "kind"  // live organizations by kind
	DimCheck = "check" // live organizations failing each check
)

// AdjustDirect changes the direct member counts of organization id by dMembers and dFull,
// recomputes its check flags and records the flag changes in r.
func AdjustDirect(ctx context.Context, q db.Querier, id int64, dMembers, dFull int, r tree.Rollup) error {
	if dMembers == 0 && dFull == 0 {
		return nil
	}
	if _, err := q.Exec(ctx, `UPDATE orgs SET direct_members = direct_members + ?, direct_full = direct_full + ? WHERE id = ?`, dMembers, dFull, id); err != nil {
		return err
	}
	return Recheck(ctx, q, id, r)
}

// Recheck recomputes organization id's check flags from its stored counts under the
// thresholds in force, and records the change in org_checks and r.
func Recheck(ctx context.Context, q db.Querier, id int64, r tree.Rollup) error {
	t, err := CurrentThresholds(ctx, q)
	if err != nil {
		return err
	}
	var path, secretary, flags string
	var kind Kind
	var n Counts
	if err := q.QueryRow(ctx, `SELECT o.path, o.kind, o.secretary, o.direct_members, o.direct_full, o.committee_size, o.flags,
		(SELECT COUNT(*) FROM members m WHERE m.org_id = o.id AND `+FullCond+`) FROM orgs o WHERE o.id = ? AND o.dissolved_at IS NULL`, id).
		Scan(&path, &kind, &secretary, &n.Members, &n.Full, &n.Committee, &flags, &n.Good); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil // dissolved: its checks went with it
		}
		return err
	}
	before, after := splitFlags(flags), Flags(kind, secretary, n, t)
	if strings.Join(before, ",") == strings.Join(after, ",") {
		return nil
	}
	if _, err := q.Exec(ctx, `UPDATE orgs SET flags = ? WHERE id = ?`, strings.Join(after, ","), id); err != nil {
		return err
	}
	return applyFlagChange(ctx, q, id, path, before, after, r)
}

// CurrentCond is the SQL condition on members m for "a current member", the direct counts'
// (member.CurrentStatuses; org cannot import member, a member test keeps the two equal).
const CurrentCond = `m.status IN ('active', 'mobile', 'lost', 'suspended')`

// CurrentThresholds are the figures the maintained checks are computed with.
func CurrentThresholds(ctx context.Context, q db.Querier) (Thresholds, error) {
	var t Thresholds
	err := q.QueryRow(ctx, `SELECT min_full, max_members, committee_from, committee_min FROM org_thresholds WHERE id = 1`).
		Scan(&t.MinFull, &t.MaxMembers, &t.CommitteeFrom, &t.CommitteeMin)
	return t, err
}

// SetThresholds makes t the figures of the checks (the rule pack in force) and recomputes
// every live organization's flags from its members and committee (repair, pack loads);
// maintained == recount.
func SetThresholds(ctx context.Context, q db.Querier, t Thresholds) error {
	if _, err := q.Exec(ctx, `UPDATE org_thresholds SET min_full = ?, max_members = ?, committee_from = ?, committee_min = ? WHERE id = 1`,
		t.MinFull, t.MaxMembers, t.CommitteeFrom, t.CommitteeMin); err != nil {
		return err
	}
	if _, err := q.Exec(ctx, `UPDATE orgs SET
		direct_members = (SELECT COUNT(*) FROM members m WHERE m.org_id = orgs.id AND `+CurrentCond+`),
		direct_full = (SELECT COUNT(*) FROM members m WHERE m.org_id = orgs.id AND m.category = 'full' AND `+CurrentCond+`),
		committee_size = (SELECT COUNT(DISTINCT c.member_id) FROM committee_members c WHERE c.org_id = orgs.id AND c.to_date = '')
		WHERE dissolved_at IS NULL`); err != nil {
		return err
	}
	ids, err := db.All(ctx, q, `SELECT id FROM orgs WHERE dissolved_at IS NULL ORDER BY id`, nil, func(r db.Scanner) (id int64, err error) {
		return id, r.Scan(&id)
	})
	if err != nil {
		return err
	}
	r := tree.Rollup{}
	for _, id := range ids {
		if err := Recheck(ctx, q, id, r); err != nil {
			return err
		}
	}
	return r.Flush(ctx, q)
}

// applyFlagChange keeps org_checks and the check rollup in step with a change of flags.
func applyFlagChange(ctx context.Context, q db.Querier, id int64, path string, before, after []string, r tree.Rollup) error {
	for _, c := range Checks {
		was, is := contains(before, c), contains(after, c)
		switch {
		case is && !was:
			r.Add(path, DimCheck, c, 1)
			if _, err := q.Exec(ctx, `INSERT INTO org_checks (check_name, path, org_id) VALUES (?, ?, ?)`, c, path, id); err != nil {
				return err
			}
		case was && !is:
			r.Add(path, DimCheck, c, -1)
			if _, err := q.Exec(ctx, `DELETE FROM org_checks WHERE check_name = ? AND path = ?`, c, path); err != nil {
				return err
			}
		}
	}
	return nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

package org

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"

	"dangjian/internal/platform/db"
)

// Dimensions of the subtree rollups (table org_stats). Members count in every dimension
// while current (status active, mobile, lost, suspended); "status" counts every member.
const (
	DimTotal     = "total"     // key "": current members
	DimStatus    = "status"    // every member, by status
	DimCategory  = "category"  // full / probationary
	DimSex       = "sex"       // male / female
	DimBirth     = "birth"     // YYYY-MM of birth; age bands are derived at read time (by year, AgeInYear)
	DimEducation = "education" // education code
	DimEthnicity = "ethnicity" // GB/T 3304 code
	DimField     = "field"     // field of the member's organization
	DimKind      = "kind"      // live organizations by kind
	DimCheck     = "check"     // live organizations failing each check
)

// PathIDs returns the ids on a materialized path, root first.
func PathIDs(path string) []int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	ids := make([]int64, 0, len(parts))
	for _, p := range parts {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

type rollupKey struct {
	org      int64
	dim, key string
}

// Rollup collects changes to subtree counts and writes them in one go: a write adds its
// deltas along the ancestor chain, a bulk load adds thousands and flushes once.
type Rollup map[rollupKey]int

// Add counts n for (dim, key) at every organization on path, the last one included.
func (r Rollup) Add(path, dim, key string, n int) {
	if n == 0 {
		return
	}
	for _, id := range PathIDs(path) {
		r[rollupKey{id, dim, key}] += n
	}
}

// AddAt counts n for (dim, key) at the given organizations only.
func (r Rollup) AddAt(ids []int64, dim, key string, n int) {
	for _, id := range ids {
		r[rollupKey{id, dim, key}] += n
	}
}

// Flush writes the collected deltas as upserts and empties r.
func (r Rollup) Flush(ctx context.Context, q db.Querier) error {
	keys := make([]rollupKey, 0, len(r))
	for k, n := range r {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	// A fixed order keeps concurrent writers from deadlocking on PostgreSQL.
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.org != b.org {
			return a.org < b.org
		}
		if a.dim != b.dim {
			return a.dim < b.dim
		}
		return a.key < b.key
	})
	const chunk = 200
	for start := 0; start < len(keys); start += chunk {
		end := min(start+chunk, len(keys))
		var sb strings.Builder
		sb.WriteString("INSERT INTO org_stats (org_id, dim, key, n) VALUES ")
		args := make([]any, 0, (end-start)*4)
		for i, k := range keys[start:end] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?)")
			args = append(args, k.org, k.dim, k.key, r[k])
		}
		sb.WriteString(" ON CONFLICT (org_id, dim, key) DO UPDATE SET n = org_stats.n + excluded.n")
		if _, err := q.Exec(ctx, sb.String(), args...); err != nil {
			return err
		}
	}
	clear(r)
	return nil
}

// AdjustDirect changes the direct member counts of organization id by dMembers and dFull,
// recomputes its check flags and records the flag changes in r.
func AdjustDirect(ctx context.Context, q db.Querier, id int64, dMembers, dFull int, r Rollup) error {
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
func Recheck(ctx context.Context, q db.Querier, id int64, r Rollup) error {
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

// currentList is CurrentStatuses as an SQL list (fixed words, no input).
var currentList = "'" + strings.Join(CurrentStatuses, "', '") + "'"

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
		direct_members = (SELECT COUNT(*) FROM members m WHERE m.org_id = orgs.id AND m.status IN (`+currentList+`)),
		direct_full = (SELECT COUNT(*) FROM members m WHERE m.org_id = orgs.id AND m.category = 'full' AND m.status IN (`+currentList+`)),
		committee_size = (SELECT COUNT(DISTINCT c.member_id) FROM committee_members c WHERE c.org_id = orgs.id AND c.to_date = '')
		WHERE dissolved_at IS NULL`); err != nil {
		return err
	}
	rows, err := q.Query(ctx, `SELECT id FROM orgs WHERE dissolved_at IS NULL ORDER BY id`)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	r := Rollup{}
	for _, id := range ids {
		if err := Recheck(ctx, q, id, r); err != nil {
			return err
		}
	}
	return r.Flush(ctx, q)
}

// applyFlagChange keeps org_checks and the check rollup in step with a change of flags.
func applyFlagChange(ctx context.Context, q db.Querier, id int64, path string, before, after []string, r Rollup) error {
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

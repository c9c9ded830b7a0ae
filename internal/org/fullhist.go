package org

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// The full members in good standing (正式党员, status active or mobile) of each branch, as
// history: org_month_full(org_id, month, n) holds the count at the end of each month in which
// it changed ('0000-00': before history was kept). A rule that binds branches from a number
// of full members (支部委员会 from 7) binds a branch for a month when it had them at the
// month's start, so past months never change with today's roster (DESIGN principle 11).
//
// The distribution is rolled up in org_stats as changes: dimension "fullm:<kind>", key
// "<month>:<n>", the number of organizations of the subtree whose count at the start of that
// month became n (negative where it stopped being n). Summing the keys up to a month gives how
// many organizations had n at its start, whatever threshold a rule pack sets.
const DimFullPrefix = "fullm:"

// BaseMonth is the month of the rows that predate the history.
const BaseMonth = "0000-00"

// FullCond is the SQL condition on members m for "a full member in good standing".
const FullCond = `m.category = 'full' AND m.status IN ('active', 'mobile')`

// NoteFull records organization id's count of full members in good standing after a change
// made at now, and the rollup's change in r.
func NoteFull(ctx context.Context, q db.Querier, id int64, now time.Time, r tree.Rollup) error {
	var n int
	if err := q.QueryRow(ctx, `SELECT COUNT(*) FROM members m WHERE m.org_id = ? AND `+FullCond, id).Scan(&n); err != nil {
		return err
	}
	if err := setFull(ctx, q, id, clock.Month(now), n, false, r); err != nil {
		return err
	}
	return Recheck(ctx, q, id, r) // "应设支部委员会" counts the same members
}

// setFull makes n the count of organization id at the end of month (when it differs from
// the count on record); an organization without history gets it from BaseMonth when base.
func setFull(ctx context.Context, q db.Querier, id int64, month string, n int, base bool, r tree.Rollup) error {
	var path, kind string
	if err := q.QueryRow(ctx, `SELECT path, kind FROM orgs WHERE id = ?`, id).Scan(&path, &kind); err != nil {
		return err
	}
	prevMonth, prev := "", 0
	err := q.QueryRow(ctx, `SELECT month, n FROM org_month_full WHERE org_id = ? ORDER BY month DESC LIMIT 1`, id).Scan(&prevMonth, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	if prevMonth != "" && prev == n {
		return nil
	}
	if prevMonth == "" && base {
		month = BaseMonth // what a recount finds without history: the count since before it was kept
	}
	if _, err := q.Exec(ctx, `INSERT INTO org_month_full (org_id, month, n) VALUES (?, ?, ?)
		ON CONFLICT (org_id, month) DO UPDATE SET n = excluded.n`, id, month, n); err != nil {
		return err
	}
	from := NextMonth(month)
	if prevMonth != "" {
		r.Add(path, DimFullPrefix+kind, from+":"+strconv.Itoa(prev), -1)
	}
	r.Add(path, DimFullPrefix+kind, from+":"+strconv.Itoa(n), 1)
	return nil
}

// NextMonth is the month after "YYYY-MM" ("0000-00" → "0000-01").
func NextMonth(month string) string {
	y, _ := strconv.Atoi(month[:4])
	m, _ := strconv.Atoi(month[5:])
	if m == 12 {
		y, m = y+1, 0
	}
	return pad4(y) + "-" + pad2(m+1)
}

func pad4(n int) string { s := strconv.Itoa(n); return strings.Repeat("0", 4-len(s)) + s }
func pad2(n int) string { s := strconv.Itoa(n); return strings.Repeat("0", 2-len(s)) + s }

// RecountFull brings every organization's latest count in line with its members (as of now)
// and rebuilds the rollup from the history (repair, bulk loads; maintained == recount).
func RecountFull(ctx context.Context, q db.Querier, now time.Time) error {
	if _, err := q.Exec(ctx, `DELETE FROM org_stats WHERE dim LIKE ?`, DimFullPrefix+"%"); err != nil {
		return err
	}
	r := tree.Rollup{}
	if err := recountFull(ctx, q, now, r); err != nil {
		return err
	}
	return r.Flush(ctx, q)
}

// recountFull fixes the latest counts and adds the "fullm:" rollup of the history to r.
func recountFull(ctx context.Context, q db.Querier, now time.Time, r tree.Rollup) error {
	type fix struct {
		id int64
		n  int
	}
	var fixes []fix
	err := db.Each(ctx, q, `SELECT o.id, (SELECT COUNT(*) FROM members m WHERE m.org_id = o.id AND `+FullCond+`),
		COALESCE((SELECT f.n FROM org_month_full f WHERE f.org_id = o.id ORDER BY f.month DESC LIMIT 1), 0)
		FROM orgs o WHERE o.kind IN ('branch', 'joint_branch', 'temp_branch')`, nil, func(r db.Scanner) error {
		var id int64
		var n, last int
		if err := r.Scan(&id, &n, &last); err != nil {
			return err
		}
		if n != last {
			fixes = append(fixes, fix{id, n})
		}
		return nil
	})
	if err != nil {
		return err
	}
	month := clock.Month(now)
	for _, f := range fixes {
		if err := setFull(ctx, q, f.id, month, f.n, true, tree.Rollup{}); err != nil {
			return err
		}
	}
	var lastPath string
	prev := 0
	return db.Each(ctx, q, `SELECT o.path, o.kind, f.month, f.n FROM org_month_full f JOIN orgs o ON o.id = f.org_id ORDER BY f.org_id, f.month`, nil,
		func(row db.Scanner) error {
			var path, kind, m string
			var n int
			if err := row.Scan(&path, &kind, &m, &n); err != nil {
				return err
			}
			from := NextMonth(m)
			if path == lastPath {
				r.Add(path, DimFullPrefix+kind, from+":"+strconv.Itoa(prev), -1)
			}
			r.Add(path, DimFullPrefix+kind, from+":"+strconv.Itoa(n), 1)
			lastPath, prev = path, n
			return nil
		})
}

// FullAt is the count at the start of month ("YYYY-MM") in an organization's history rows
// (sorted by month): the last row before it, 0 when none.
func FullAt(hist []FullRow, month string) int {
	n := 0
	for _, h := range hist {
		if h.Month >= month {
			break
		}
		n = h.N
	}
	return n
}

// FullRow is one row of org_month_full.
type FullRow struct {
	Month string
	N     int
}

// FullHistory reads the history rows of organizations, sorted by month.
func FullHistory(ctx context.Context, q db.Querier, ids []int64) (map[int64][]FullRow, error) {
	out := map[int64][]FullRow{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := db.Each(ctx, q, `SELECT org_id, month, n FROM org_month_full WHERE org_id IN (`+db.Placeholders(len(ids))+`) ORDER BY org_id, month`, args,
		func(r db.Scanner) error {
			var id int64
			var f FullRow
			if err := r.Scan(&id, &f.Month, &f.N); err != nil {
				return err
			}
			out[id] = append(out[id], f)
			return nil
		})
	if err != nil {
		return nil, err
	}
	return out, nil
}

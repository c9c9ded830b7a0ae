package compliance

import (
	"context"
	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"slices"
	"time"

	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// Attendance rates are maintained like compliance: dimensions "att:present" and
// "att:expected" of org_stats, keyed by month, counting the recorded attendance of counting
// activities (expected = recorded and not exempted). A write compares an organization's
// monthly sums before and after and adds the difference along the ancestors.
const (
	dimAttPresent  = "att:present"
	dimAttExpected = "att:expected"
)

// attSums are an organization's attendance sums by month: [present, expected].
type attSums map[string][2]int

// attendanceSums reads an organization's recorded attendance in the given years.
func attendanceSums(ctx context.Context, q db.Querier, orgID int64, years []int) (attSums, error) {
	out := attSums{}
	for _, y := range slices.Compact(slices.Sorted(slices.Values(years))) {
		year := rules.YearPeriod(y)
		if err := db.Each(ctx, q, `SELECT a.starts_at, t.state FROM attendance t JOIN activities a ON a.id = t.activity_id
			WHERE a.org_id = ? AND a.starts_at >= ? AND a.starts_at < ? AND `+life.CountingWhere+`
			AND t.id = (SELECT MAX(x.id) FROM attendance x WHERE x.activity_id = t.activity_id AND x.member_id = t.member_id)`, []any{orgID, year.Start().UTC(), year.End().UTC()}, func(rs db.Scanner) error {
			var at time.Time
			var state string
			if err := rs.Scan(&at, &state); err != nil {
				return err
			}
			out.add(at, state)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// allAttendanceSums reads every organization's recorded attendance in one pass (the
// recount), by organization path: each counting activity falls in a year its organization
// has records for, so this is attendanceSums over every organization's years.
func allAttendanceSums(ctx context.Context, q db.Querier) (map[string]attSums, error) {
	out := map[string]attSums{}
	err := db.Each(ctx, q, `SELECT o.path, a.starts_at, t.state FROM attendance t JOIN activities a ON a.id = t.activity_id JOIN orgs o ON o.id = a.org_id
		WHERE `+life.CountingWhere+`
		AND t.id = (SELECT MAX(x.id) FROM attendance x WHERE x.activity_id = t.activity_id AND x.member_id = t.member_id)`, nil, func(rs db.Scanner) error {
		var path, state string
		var at time.Time
		if err := rs.Scan(&path, &at, &state); err != nil {
			return err
		}
		if out[path] == nil {
			out[path] = attSums{}
		}
		out[path].add(at, state)
		return nil
	})
	return out, err
}

func (s attSums) add(at time.Time, state string) {
	if state == "exempt" {
		return
	}
	m := rules.PeriodOf(rules.Month, at).String()
	c := s[m]
	c[1]++
	if state == "present" {
		c[0]++
	}
	s[m] = c
}

// addDiff adds after − before along path.
func addAttDiff(r tree.Rollup, path string, before, after attSums) {
	for m, a := range after {
		b := before[m]
		r.Add(path, dimAttPresent, m, a[0]-b[0])
		r.Add(path, dimAttExpected, m, a[1]-b[1])
	}
	for m, b := range before {
		if _, ok := after[m]; !ok {
			r.Add(path, dimAttPresent, m, -b[0])
			r.Add(path, dimAttExpected, m, -b[1])
		}
	}
}

// AttendanceRate is the attendance of a subtree over a period.
type AttendanceRate struct {
	Present  int     `json:"present"`
	Expected int     `json:"expected"` // recorded and not exempted
	Rate     float64 `json:"rate"`
}

// AddAttendance counts one recorded attendance into a rollup along path (bulk loads).
func AddAttendance(r tree.Rollup, path string, at time.Time, state string) {
	s := attSums{}
	s.add(at, state)
	addAttDiff(r, path, nil, s)
}

package secreport

import (
	"context"
	"strconv"
	"strings"

	"dangjian/internal/assess"
	"dangjian/internal/org"
	"dangjian/internal/platform/db"
	"dangjian/internal/rectify"
	"dangjian/internal/tasks"
)

// Skeleton is what a report starts from: the year's own records of the organization's
// subtree, taken when the round opened (the report keeps it as evidence of what it said).
type Skeleton struct {
	Year int `json:"year"`
	// LifeMet counts, per rule of organizational life, the periods met in the year across the
	// subtree's organizations (the compliance rollup, org_stats "life:<rule>").
	LifeMet []RuleMet `json:"life_met"`
	// PointsMembers is how many members have points in the year, PointsAverage their average
	// total (points_totals).
	PointsMembers int     `json:"points_members"`
	PointsAverage float64 `json:"points_average"`
	// Stars is the organization's star band (e.g. 三星) on the report's day from
	// assess.StarOf — the year's end for a past year, else the day the round opened; nil when
	// it holds none (never awarded, withdrawn, expired). StarCount is its number of stars.
	Stars     *string `json:"stars" jsonschema:"nullable"`
	StarCount int     `json:"star_count"`
	// Tasks is the completion of the tasks falling due in the year across the subtree
	// (tasks.CompletionOf, the maintained rollup).
	Tasks tasks.TaskFigures `json:"tasks"`
	// LastYear are the rectification items named at last year's round of the same level,
	// with whether each was closed.
	LastYear       []rectify.Item `json:"last_year"`
	LastYearClosed int            `json:"last_year_closed"`
	LastYearOpen   int            `json:"last_year_open"`
}

// RuleMet is a rule with the periods met.
type RuleMet struct {
	Rule string `json:"rule"`
	Name string `json:"name"` // the rule's name in the pack in force when the round opened
	Met  int    `json:"met"`
}

// skeleton reads the year's records of organization o for the round of level lvl.
// today (YYYY-MM-DD, CST) is the day the round opens.
func (s *Store) skeleton(ctx context.Context, q db.Querier, o org.Ref, lvl int64, year int, today string) (*Skeleton, error) {
	sk := &Skeleton{Year: year, LifeMet: []RuleMet{}, LastYear: []rectify.Item{}}
	lo, hi := db.SubtreeRange(o.Path)
	y := strconv.Itoa(year)
	// The compliance rollup (org_stats "life:<rule>", key the period, n = organizations of the
	// subtree that met it): the organization's own rows, whatever the subtree's size.
	if err := db.Each(ctx, q, `SELECT dim, SUM(n) FROM org_stats WHERE org_id = ? AND dim LIKE 'life:%' AND key >= ? AND key < ?
		GROUP BY dim ORDER BY dim`, []any{o.ID, y, strconv.Itoa(year + 1)}, func(r db.Scanner) error {
		var m RuleMet
		var dim string
		err := r.Scan(&dim, &m.Met)
		m.Rule = strings.TrimPrefix(dim, "life:")
		m.Name = m.Rule
		if s.RuleName != nil {
			m.Name = s.RuleName(m.Rule)
		}
		if m.Met > 0 {
			sk.LifeMet = append(sk.LifeMet, m)
		}
		return err
	}); err != nil {
		return nil, err
	}
	var avg *float64
	if err := q.QueryRow(ctx, `SELECT COUNT(*), AVG(t.points) FROM points_totals t JOIN members m ON m.id = t.member_id
		WHERE t.year = ? AND t.bucket = '' AND m.org_path >= ? AND m.org_path < ?`, year, lo, hi).Scan(&sk.PointsMembers, &avg); err != nil {
		return nil, err
	}
	if avg != nil {
		sk.PointsAverage = float64(int(*avg*10+0.5)) / 10
	}
	if err := s.starsAndTasks(ctx, q, sk, o.ID, year, today); err != nil {
		return nil, err
	}
	var last []int64
	if err := db.Each(ctx, q, `SELECT r.id FROM secreport_reports r JOIN secreport_rounds d ON d.id = r.round_id
		WHERE d.org_id = ? AND d.year = ? AND r.org_id = ?`, []any{lvl, year - 1, o.ID}, func(r db.Scanner) error {
		var id int64
		err := r.Scan(&id)
		last = append(last, id)
		return err
	}); err != nil {
		return nil, err
	}
	items, err := s.Rectify.BySource(ctx, q, Kind, last...)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		sk.LastYear = append(sk.LastYear, it)
		if it.State == rectify.Closed {
			sk.LastYearClosed++
		} else {
			sk.LastYearOpen++
		}
	}
	return sk, nil
}

// starsAndTasks fills the star held at the year's end (or today, for the current year) and
// the year's tasks completion.
func (s *Store) starsAndTasks(ctx context.Context, q db.Querier, sk *Skeleton, orgID int64, year int, today string) error {
	day := min(today, strconv.Itoa(year)+"-12-31")
	st, err := assess.StarOf(ctx, q, orgID, day)
	if err != nil {
		return err
	}
	if st.Stars > 0 {
		band := st.Band
		sk.Stars, sk.StarCount = &band, st.Stars
	}
	figs, err := tasks.CompletionOf(ctx, q, []int64{orgID}, year, today)
	if err != nil {
		return err
	}
	sk.Tasks = figs[orgID]
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

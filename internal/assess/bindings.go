package assess

// Bindings tie an indicator to our own records. Each computes its value for EVERY organization
// of a round in a few set-based queries (the round's organizations are the rows of
// assess_orgs), and says where the records behind each number are. Other modules add theirs
// with Register (tasks completed, rectifications closed, commitments kept …) from an init or
// from the server's wiring; a set naming an unknown binding is refused at publication.

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/platform/db"
)

// BindIn is what a binding computes over: the round's organizations (the assess_orgs rows of
// RoundID), its year, the day it is computed as of
// (YYYY-MM-DD, CST), and the rule pack in force.
type BindIn struct {
	RoundID int64
	Year    int
	AsOf    string
	Pack    *rules.Pack
}

// Bound is one organization's value with what it is made of and where its records are.
type Bound struct {
	Value  float64 `json:"value"`
	Detail string  `json:"detail"` // e.g. "应落实 24 项，已落实 22 项"
	Link   string  `json:"link"`   // a page of the web app (or an API path) listing the records
}

// Binding is one registered binding.
type Binding struct {
	Code    string                                                                      `json:"code"`
	Name    string                                                                      `json:"name"`
	NameEN  string                                                                      `json:"name_en"`
	Unit    string                                                                      `json:"unit"` // share, rate, points, count, yes/no
	Compute func(ctx context.Context, q db.Querier, in BindIn) (map[int64]Bound, error) `json:"-"`
}

var (
	registryMu sync.RWMutex
	registry   = map[string]Binding{}
)

// Register adds a binding; a second one with the same code panics (wiring is fixed at start).
func Register(b Binding) {
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[b.Code]; dup {
		panic("assess: binding registered twice: " + b.Code)
	}
	registry[b.Code] = b
}

func knownBinding(code string) bool {
	registryMu.RLock()
	defer registryMu.RUnlock()
	_, ok := registry[code]
	return ok
}

func bindingOf(code string) (Binding, bool) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	b, ok := registry[code]
	return b, ok
}

// Bindings lists the registered bindings by code.
func Bindings() []Binding {
	registryMu.RLock()
	defer registryMu.RUnlock()
	out := make([]Binding, 0, len(registry))
	for _, b := range registry {
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

func init() {
	Register(Binding{Code: "life.rules_met_share", Name: "组织生活规则落实比例", NameEN: "Share of the year's organizational-life rules met", Unit: "share", Compute: rulesMetShare})
	Register(Binding{Code: "life.attendance_rate", Name: "组织生活出席率", NameEN: "Attendance rate of organizational life", Unit: "rate", Compute: attendanceRate})
	Register(Binding{Code: "points.avg_earned", Name: "党员年度积分平均分（不含基础分）", NameEN: "Members' average points earned in the year (without the base)", Unit: "points", Compute: pointsAvgEarned})
}

// roundOrg is an organization of a round as the bindings read it.
type roundOrg struct {
	id                int64
	kind, setup, path string
	directFull        int
}

func roundOrgs(ctx context.Context, q db.Querier, roundID int64) ([]roundOrg, error) {
	return db.All(ctx, q, `SELECT o.id, o.kind, o.setup_date, o.path, o.direct_full FROM assess_orgs a JOIN orgs o ON o.id = a.org_id WHERE a.round_id = ?`,
		[]any{roundID}, func(r db.Scanner) (roundOrg, error) {
			var o roundOrg
			err := r.Scan(&o.id, &o.kind, &o.setup, &o.path, &o.directFull)
			return o, err
		})
}

// rulesMetShare: of the (rule, period) pairs of the year that bind the organization under the
// pack in force and ended by AsOf, the share met — life's maintained index life_met, one
// query for the whole round. An organization bound by nothing yet gets 1 (nothing owed).
func rulesMetShare(ctx context.Context, q db.Querier, in BindIn) (map[int64]Bound, error) {
	orgs, err := roundOrgs(ctx, q, in.RoundID)
	if err != nil {
		return nil, err
	}
	y := fmt.Sprint(in.Year)
	met := map[int64]map[[2]string]bool{}
	if err := db.Each(ctx, q, `SELECT m.org_id, m.rule_id, m.period FROM life_met m JOIN assess_orgs a ON a.org_id = m.org_id
		WHERE a.round_id = ? AND m.period >= ? AND m.period < ?`, []any{in.RoundID, y, fmt.Sprint(in.Year + 1)}, func(r db.Scanner) error {
		var id int64
		var rule, period string
		if err := r.Scan(&id, &rule, &period); err != nil {
			return err
		}
		if met[id] == nil {
			met[id] = map[[2]string]bool{}
		}
		met[id][[2]string{rule, period}] = true
		return nil
	}); err != nil {
		return nil, err
	}
	year := rules.YearPeriod(in.Year)
	out := make(map[int64]Bound, len(orgs))
	for _, o := range orgs {
		subj := rules.Subject{Kind: o.kind, FullMembers: o.directFull, Since: o.setup}
		due, done := 0, 0
		for _, r := range in.Pack.Rules {
			if !r.Applies(subj) {
				continue
			}
			for _, p := range r.PeriodsIn(year) {
				if rules.LastDay(p) > in.AsOf || !in.Pack.Effective(r, rules.LastDay(p)) || !rules.ExistedIn(o.setup, p) {
					continue
				}
				due++
				if met[o.id][[2]string{r.ID, p.String()}] {
					done++
				}
			}
		}
		b := Bound{Value: 1, Detail: fmt.Sprintf("应落实 %d 项，已落实 %d 项（截至 %s）", due, done, in.AsOf),
			Link: fmt.Sprintf("/orgs/%d/life?period=%d", o.id, in.Year)}
		if due > 0 {
			b.Value = round4(float64(done) / float64(due))
		}
		out[o.id] = b
	}
	return out, nil
}

// attendanceRate: present ÷ expected of the year's months up to AsOf, from the maintained
// attendance sums (org_stats att:present / att:expected, over the organization's subtree).
func attendanceRate(ctx context.Context, q db.Querier, in BindIn) (map[int64]Bound, error) {
	sums := map[int64][2]int{}
	if err := db.Each(ctx, q, `SELECT s.org_id, s.dim, SUM(s.n) FROM org_stats s JOIN assess_orgs a ON a.org_id = s.org_id
		WHERE a.round_id = ? AND s.dim IN ('att:present', 'att:expected') AND s.key >= ? AND s.key <= ? GROUP BY s.org_id, s.dim`,
		[]any{in.RoundID, fmt.Sprintf("%d-01", in.Year), in.AsOf[:7]}, func(r db.Scanner) error {
			var id int64
			var dim string
			var n int
			if err := r.Scan(&id, &dim, &n); err != nil {
				return err
			}
			c := sums[id]
			if dim == "att:present" {
				c[0] = n
			} else {
				c[1] = n
			}
			sums[id] = c
			return nil
		}); err != nil {
		return nil, err
	}
	ids, err := db.All(ctx, q, `SELECT org_id FROM assess_orgs WHERE round_id = ?`, []any{in.RoundID}, scanID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Bound, len(ids))
	for _, id := range ids {
		c := sums[id]
		b := Bound{Detail: fmt.Sprintf("应到 %d 人次，实到 %d 人次", c[1], c[0]), Link: fmt.Sprintf("/orgs/%d/life?period=%d", id, in.Year)}
		if c[1] > 0 {
			b.Value = round4(float64(c[0]) / float64(c[1]))
		}
		out[id] = b
	}
	return out, nil
}

// pointsAvgEarned: the year's applied points (points_totals, bucket ”) summed over the
// current members of the organization's subtree, divided by their number. The base score is
// a scheme's constant and is left out.
func pointsAvgEarned(ctx context.Context, q db.Querier, in BindIn) (map[int64]Bound, error) {
	out := map[int64]Bound{}
	args := []any{}
	for _, st := range member.CurrentStatuses {
		args = append(args, st)
	}
	// The subtree of o is [o.path, o.path without its last '/' + '0') (db.SubtreeRange).
	err := db.Each(ctx, q, `SELECT a.org_id, COUNT(m.id), COALESCE(SUM(t.points), 0) FROM assess_orgs a JOIN orgs o ON o.id = a.org_id
		LEFT JOIN members m ON m.org_path >= o.path AND m.org_path < substr(o.path, 1, length(o.path) - 1) || '0' AND m.status IN (`+db.Placeholders(len(args))+`)
		LEFT JOIN points_totals t ON t.member_id = m.id AND t.year = ? AND t.bucket = ''
		WHERE a.round_id = ? GROUP BY a.org_id`, append(args, in.Year, in.RoundID), func(r db.Scanner) error {
		var id int64
		var n, pts int
		if err := r.Scan(&id, &n, &pts); err != nil {
			return err
		}
		b := Bound{Detail: fmt.Sprintf("党员 %d 人，年度积分合计 %d 分", n, pts), Link: fmt.Sprintf("/api/v1/orgs/%d/points/summary?year=%d", id, in.Year)}
		if n > 0 {
			b.Value = round2(float64(pts) / float64(n))
		}
		out[id] = b
		return nil
	})
	return out, err
}

func round4(v float64) float64 { return float64(int64(v*10000+0.5)) / 10000 }

func scanID(r db.Scanner) (int64, error) {
	var id int64
	err := r.Scan(&id)
	return id, err
}

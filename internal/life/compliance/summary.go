package compliance

import (
	"context"
	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/platform/jobs"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// The compliance rollup lives in org_stats beside the roster's, so moves and flushes treat it
// alike: dimension "life:<rule id>", key the rule's period ("2026-07", "2026-Q3", "2026"),
// n = organizations of the subtree that met the rule in that period (DESIGN principle 6).
const lifeDimPrefix = "life:"

func lifeDim(ruleID string) string { return lifeDimPrefix + ruleID }

// metSet is the set of (rule, period) an organization met in the given years, from its raw
// records. Only rules whose kinds include the organization's count (the committee-size
// condition is applied when reading the summary).
func (s *Store) metSet(ctx context.Context, q db.Querier, orgID int64, years []int) (map[[2]string]bool, error) {
	o, err := org.Lookup(ctx, q, orgID)
	if err != nil || o == nil {
		return nil, err
	}
	hist, err := org.FullHistory(ctx, q, []int64{orgID})
	if err != nil {
		return nil, err
	}
	if len(years) == 0 {
		return map[[2]string]bool{}, nil
	}
	// One read over the span of the years (each activity once, whatever year it counts for).
	lo, hi := years[0], years[0]
	for _, y := range years {
		lo, hi = min(lo, y), max(hi, y)
	}
	held, err := heldBetween(ctx, q, orgID, rules.YearPeriod(lo).Start(), rules.YearPeriod(hi).End())
	if err != nil {
		return nil, err
	}
	return s.Pack().MetSet(rules.Subject{Kind: string(o.Kind), History: nonNilRows(hist[orgID])}, held, years), nil
}

func nonNilRows(h []org.FullRow) []org.FullRow {
	if h == nil {
		return []org.FullRow{}
	}
	return h
}

// AddMet counts an organization's met set into a rollup along its path (bulk loads).
func AddMet(r tree.Rollup, path string, met map[[2]string]bool) {
	for k := range met {
		r.Add(path, lifeDim(k[0]), k[1], 1)
	}
}

// InsertMet records an organization's met set in life_met, the per-organization index the
// drill-down reads (bulk loads and the recount; track keeps it for single writes).
func InsertMet(ctx context.Context, q db.Querier, orgID int64, met map[[2]string]bool) error {
	const chunk = 300
	args := make([]any, 0, 3*chunk)
	flush := func(n int) error {
		if n == 0 {
			return nil
		}
		vals := strings.Repeat("(?, ?, ?), ", n-1) + "(?, ?, ?)"
		_, err := q.Exec(ctx, `INSERT INTO life_met (org_id, rule_id, period) VALUES `+vals, args...)
		args = args[:0]
		return err
	}
	n := 0
	for k := range met {
		args = append(args, orgID, k[0], k[1])
		if n++; n == chunk {
			if err := flush(n); err != nil {
				return err
			}
			n = 0
		}
	}
	return flush(n)
}

// Track runs a write to one organization's activities and keeps the compliance rollup in
// step: the met set before and after are compared and the flips added along the ancestors.
func (s *Store) Track(ctx context.Context, tx *db.Tx, orgID int64, years []int, write func() error) error {
	// The difference is taken between two reads of the organization's records: another write
	// to them committing in between would be counted twice or lost, so one at a time.
	if err := tx.Lock(ctx, "orgs", orgID); err != nil {
		return err
	}
	before, err := s.metSet(ctx, tx, orgID, years)
	if err != nil {
		return err
	}
	attBefore, err := attendanceSums(ctx, tx, orgID, years)
	if err != nil {
		return err
	}
	if err := write(); err != nil {
		return err
	}
	after, err := s.metSet(ctx, tx, orgID, years)
	if err != nil {
		return err
	}
	attAfter, err := attendanceSums(ctx, tx, orgID, years)
	if err != nil {
		return err
	}
	o, err := org.Lookup(ctx, tx, orgID)
	if err != nil {
		return err
	}
	r := tree.Rollup{}
	added := map[[2]string]bool{}
	for k := range before {
		if !after[k] {
			r.Add(o.Path, lifeDim(k[0]), k[1], -1)
			if _, err := tx.Exec(ctx, `DELETE FROM life_met WHERE org_id = ? AND rule_id = ? AND period = ?`, orgID, k[0], k[1]); err != nil {
				return err
			}
		}
	}
	for k := range after {
		if !before[k] {
			r.Add(o.Path, lifeDim(k[0]), k[1], 1)
			added[k] = true
		}
	}
	if err := InsertMet(ctx, tx, orgID, added); err != nil {
		return err
	}
	addAttDiff(r, o.Path, attBefore, attAfter)
	if err := r.Flush(ctx, tx); err != nil {
		return err
	}
	// What the branch (or group) held decides which months its members missed.
	return refreshLapse(ctx, tx, clock.Today(s.Clock.Now()), `(m.org_id = ? OR m.group_id = ?)`, orgID, orgID)
}

// RuleSummary is, for one rule and one of its periods, how many organizations of the subtree
// must comply and how many did.
type RuleSummary struct {
	RuleID   string  `json:"rule_id"`
	Rule     string  `json:"rule"`
	Source   string  `json:"source"`
	Period   string  `json:"period"`
	Required int     `json:"required"`
	Met      int     `json:"met"`
	Share    float64 `json:"share"`
	// Status is the period's: in_progress while it runs (its share is not yet a shortfall),
	// ended, or upcoming.
	Status string `json:"status" jsonschema:"enum=in_progress,enum=ended,enum=upcoming"`
}

// periodStatus tells whether a period has ended, is running or has not started at now.
func periodStatus(per rules.Period, now time.Time) string {
	switch {
	case now.Before(per.Start()):
		return "upcoming"
	case now.Before(per.End()):
		return "in_progress"
	default:
		return "ended"
	}
}

// Summary is the compliance of a subtree for a reporting period, read from the rollups.
type Summary struct {
	OrgID      int64          `json:"org_id"`
	Period     string         `json:"period"`
	Rules      []RuleSummary  `json:"rules"`
	Attendance AttendanceRate `json:"attendance"`
}

// Summary reads the maintained rollup: one query for the met counts, and the required
// counts from the organization counts by kind (a rule limited to committees of 7 or more
// full members counts those branches with one index range).
func (s *Store) Summary(ctx context.Context, sc *auth.Scope, orgs *org.Store, orgID int64, period rules.Period) (*Summary, error) {
	root, err := orgs.Get(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	return s.summary(ctx, s.DB, root.ID, root.Path, period)
}

// SummaryAt is Summary without the scope check, for tools (the benchmark).
func (s *Store) SummaryAt(ctx context.Context, orgID int64, path string, period rules.Period) (*Summary, error) {
	return s.summary(ctx, s.DB, orgID, path, period)
}

func (s *Store) summary(ctx context.Context, q db.Querier, orgID int64, path string, period rules.Period) (*Summary, error) {
	kinds := map[string]int{}
	full := map[string][]fullChange{} // by kind: changes of the count at a month's start
	met := map[[2]string]int{}
	months := map[string]bool{}
	for _, m := range period.Within(rules.Month) {
		months[m.String()] = true
	}
	att := AttendanceRate{}
	if err := db.Each(ctx, q, `SELECT dim, key, n FROM org_stats WHERE org_id = ? AND (dim IN (?, ?, ?) OR dim LIKE ? OR dim LIKE ?)`, []any{orgID, org.DimKind, dimAttPresent, dimAttExpected, lifeDimPrefix + "%", org.DimFullPrefix + "%"}, func(rs db.Scanner) error {
		var dim, key string
		var n int
		if err := rs.Scan(&dim, &key, &n); err != nil {
			return err
		}
		switch {
		case dim == org.DimKind:
			kinds[key] = n
		case strings.HasPrefix(dim, org.DimFullPrefix):
			if c, ok := parseFullKey(key, n); ok {
				k := strings.TrimPrefix(dim, org.DimFullPrefix)
				full[k] = append(full[k], c)
			}
		case dim == dimAttPresent && months[key]:
			att.Present += n
		case dim == dimAttExpected && months[key]:
			att.Expected += n
		case strings.HasPrefix(dim, lifeDimPrefix):
			met[[2]string{strings.TrimPrefix(dim, lifeDimPrefix), key}] = n
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if att.Expected > 0 {
		att.Rate = float64(att.Present) / float64(att.Expected)
	}
	out := &Summary{OrgID: orgID, Period: period.String(), Rules: []RuleSummary{}, Attendance: att}
	// Organizations set up after a period are not required to have held anything in it; the
	// few set up after the report's first month are read once and taken off per period.
	young, err := youngOrgs(ctx, q, path, rules.LastDay(rules.PeriodOf(rules.Month, period.Start())))
	if err != nil {
		return nil, err
	}
	from, _ := window(period)
	gone, err := goneOrgs(ctx, q, path, from)
	if err != nil {
		return nil, err
	}
	pack := s.Pack()
	now := s.Clock.Now()
	for _, r := range pack.Rules {
		required := 0
		for _, k := range r.AppliesTo {
			required += kinds[k]
		}
		for _, p := range r.PeriodsIn(period) {
			if !pack.Effective(r, clock.Today(p.Start())) {
				continue
			}
			req := required
			if r.MinFullMembers > 0 {
				// The organizations that had the members at the period's start (org_month_full).
				req = boundAt(full, r, clock.Month(p.Start()))
			}
			for _, y := range young {
				if !rules.ExistedIn(y.Since, p) && r.Applies(y) {
					req--
				}
			}
			for _, g := range gone {
				req += g.owes(r, p)
			}
			rs := RuleSummary{RuleID: r.ID, Rule: r.Name, Source: r.Source, Period: p.String(), Required: req, Met: met[[2]string{r.ID, p.String()}],
				Status: periodStatus(p, now)}
			if rs.Required > 0 {
				rs.Share = float64(rs.Met) / float64(rs.Required)
			}
			out.Rules = append(out.Rules, rs)
		}
	}
	return out, nil
}

// fullChange is one key of the full-members rollup: from month on, delta more organizations
// started a month with n full members in good standing.
type fullChange struct {
	month    string
	n, delta int
}

func parseFullKey(key string, delta int) (fullChange, bool) {
	month, n, ok := strings.Cut(key, ":")
	v, err := strconv.Atoi(n)
	return fullChange{month, v, delta}, ok && err == nil
}

// boundAt counts the organizations of rule r's kinds that started month with at least its
// min_full_members, from the rollup's changes.
func boundAt(full map[string][]fullChange, r rules.Rule, month string) int {
	n := 0
	for _, k := range r.AppliesTo {
		for _, c := range full[k] {
			if c.month <= month && c.n >= r.MinFullMembers {
				n += c.delta
			}
		}
	}
	return n
}

// youngOrgs are the live organizations of a subtree set up after the day given.
func youngOrgs(ctx context.Context, q db.Querier, path, after string) ([]rules.Subject, error) {
	lo, hi := db.SubtreeRange(path)
	var out []rules.Subject
	if err := db.Each(ctx, q, `SELECT kind, direct_full, setup_date FROM orgs WHERE setup_date > ? AND path >= ? AND path < ? AND dissolved_at IS NULL`, []any{after, lo, hi}, func(rs db.Scanner) error {
		var s rules.Subject
		if err := rs.Scan(&s.Kind, &s.FullMembers, &s.Since); err != nil {
			return err
		}
		out = append(out, s)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// Part is organizational life's part of the rollups: the compliance rollup ("life:<rule>")
// and attendance sums ("att:…"), rebuilt with life_met, the organizations' checks under the
// pack in force and every member's lapse figure. Life keeps no copy of a path.
func (s *Store) Part() tree.Part {
	return tree.Part{Name: "life", Dims: []string{dimAttPresent, dimAttExpected}, DimPrefixes: []string{lifeDimPrefix},
		Recount: s.recount, After: s.recountAfter}
}

// Recount rebuilds life's part from the raw records (a rebuild under a new pack, and the
// benchmark's "from raw records" comparison); it returns how long it took.
func (s *Store) Recount(ctx context.Context) (time.Duration, error) {
	return tree.New(s.Part()).Recount(ctx, s.DB)
}

// recount rebuilds life_met and counts life's figures into r.
func (s *Store) recount(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	if _, err := tx.Exec(ctx, `DELETE FROM life_met`); err != nil {
		return err
	}
	// The years each organization has records for: its activities (and the years they
	// are held for) and its members' talks.
	paths, kinds := map[int64]string{}, map[int64]string{}
	years := map[int64][]int{}
	if err := db.Each(ctx, tx, `SELECT a.org_id, o.path, o.kind, a.starts_at, COALESCE(a.for_year, 0) FROM activities a JOIN orgs o ON o.id = a.org_id WHERE `+life.CountingWhere, nil, func(rs db.Scanner) error {
		var id int64
		var path, kind string
		var at time.Time
		var forYear int
		if err := rs.Scan(&id, &path, &kind, &at, &forYear); err != nil {
			return err
		}
		paths[id], kinds[id] = path, kind
		years[id] = append(years[id], rules.YearOf(at))
		if forYear != 0 {
			years[id] = append(years[id], forYear)
		}
		return nil
	}); err != nil {
		return err
	}
	if err := db.Each(ctx, tx, `SELECT DISTINCT m.org_id, o.path, o.kind, substr(t.talked_on, 1, 4) FROM talks t JOIN members m ON m.id = t.member_id JOIN orgs o ON o.id = m.org_id`, nil, func(rs db.Scanner) error {
		var id int64
		var path, kind, year string
		if err := rs.Scan(&id, &path, &kind, &year); err != nil {
			return err
		}
		y, _ := strconv.Atoi(year)
		paths[id], kinds[id] = path, kind
		years[id] = append(years[id], y)
		return nil
	}); err != nil {
		return err
	}
	if err := s.recountMet(ctx, tx, r, paths, kinds, years); err != nil {
		return err
	}
	// Attendance in one pass rather than a query per organization and year.
	sums, err := allAttendanceSums(ctx, tx)
	if err != nil {
		return err
	}
	for path, sum := range sums {
		addAttDiff(r, path, nil, sum)
	}
	return nil
}

// recountAfter runs once life's figures are applied, in a transaction of its own: the org
// checks under the pack in force (kept in the rollup as they change) and every member's lapse
// figure, neither of which may run under the recount's snapshot.
func (s *Store) recountAfter(ctx context.Context, tx *db.Tx) error {
	// The org checks under the pack in force (its org figures may have changed).
	if err := org.SetThresholds(ctx, tx, s.Pack().OrgThresholds()); err != nil {
		return err
	}
	return RecountLapse(ctx, tx, clock.Today(s.Clock.Now()))
}

// recountMet evaluates every organization with records (metSet's evaluation, read in
// batches: organizations spanning the same years share one read of their activities and of
// their full-members history), counts the met sets into r and records them in life_met.
func (s *Store) recountMet(ctx context.Context, tx *db.Tx, r tree.Rollup, paths, kinds map[int64]string, years map[int64][]int) error {
	spans := map[[2]int][]int64{}
	for id, ys := range years {
		lo, hi := ys[0], ys[0]
		for _, y := range ys {
			lo, hi = min(lo, y), max(hi, y)
		}
		spans[[2]int{lo, hi}] = append(spans[[2]int{lo, hi}], id)
	}
	const batch = 500
	for span, ids := range spans {
		slices.Sort(ids)
		for start := 0; start < len(ids); start += batch {
			part := ids[start:min(start+batch, len(ids))]
			hist, err := org.FullHistory(ctx, tx, part)
			if err != nil {
				return err
			}
			held, err := heldByOrg(ctx, tx, part, rules.YearPeriod(span[0]).Start(), rules.YearPeriod(span[1]).End())
			if err != nil {
				return err
			}
			for _, id := range part {
				set := s.Pack().MetSet(rules.Subject{Kind: kinds[id], History: nonNilRows(hist[id])}, held[id], years[id])
				AddMet(r, paths[id], set)
				if err := InsertMet(ctx, tx, id, set); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// goneOrg is an organization of a subtree dissolved during a report's window, with the
// (rule, period) pairs it met: the kind counts no longer hold it, the full-members history does.
type goneOrg struct {
	rules.Subject
	met map[[2]string]bool
}

// owes is what g changes in the required count of rule r for period p read from the rollups:
// +1 where it owes the period (existed, bound, ended before the dissolution or met) and the
// kind counts left it out; -1 where the full-members history binds it but it owes nothing.
func (g goneOrg) owes(r rules.Rule, p rules.Period) int {
	if !r.Applies(g.Subject) {
		return 0
	}
	owed := rules.ExistedIn(g.Since, p) && g.BoundIn(r, p) && (rules.OwedUntil(g.Until, p) || g.met[[2]string{r.ID, p.String()}])
	inBase := r.MinFullMembers > 0 && g.BoundIn(r, p) // boundAt counts it from the history
	switch {
	case owed && !inBase:
		return 1
	case !owed && inBase:
		return -1
	}
	return 0
}

// goneOrgs are the organizations of a subtree dissolved at from or later — those that may
// owe a period of the report — with their full-members histories and met sets.
func goneOrgs(ctx context.Context, q db.Querier, path string, from time.Time) ([]goneOrg, error) {
	lo, hi := db.SubtreeRange(path)
	var out []goneOrg
	var ids []int64
	var idArgs []any
	if err := db.Each(ctx, q, `SELECT id, kind, setup_date, dissolved_at FROM orgs WHERE dissolved_at >= ? AND path >= ? AND path < ?`, []any{from.UTC(), lo, hi}, func(rs db.Scanner) error {
		var g goneOrg
		var id int64
		var at time.Time
		if err := rs.Scan(&id, &g.Kind, &g.Since, &at); err != nil {
			return err
		}
		g.Until, g.met = dissolvedDay(&at), map[[2]string]bool{}
		out, ids, idArgs = append(out, g), append(ids, id), append(idArgs, id)
		return nil
	}); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return nil, nil
	}
	hist, err := org.FullHistory(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	at := map[int64]int{}
	for i, id := range ids {
		at[id] = i
		out[i].History = nonNilRows(hist[id])
	}
	if err := db.Each(ctx, q, `SELECT org_id, rule_id, period FROM life_met WHERE org_id IN (`+db.Placeholders(len(ids))+`)`, idArgs, func(rs db.Scanner) error {
		var id int64
		var rule, per string
		if err := rs.Scan(&id, &rule, &per); err != nil {
			return err
		}
		out[at[id]].met[[2]string{rule, per}] = true
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// RebuildForPack rebuilds the compliance rollup under the newest loaded pack, once
// cluster-wide: after a load (in the background: at a province it takes minutes), and at
// start, to finish one an instance did not.
func (s *Store) RebuildForPack(ctx context.Context, ps *rules.Packs) error {
	id, err := ps.NewestRow(ctx)
	if err != nil || id == 0 {
		return err
	}
	r := &jobs.Runner{DB: s.DB, Clock: s.Clock}
	_, err = r.Once(ctx, rules.RecountJob, rules.RebuildKey(id), func(ctx context.Context) (string, error) {
		took, err := s.Recount(ctx)
		return "rebuilt in " + took.Round(time.Millisecond).String(), err
	})
	return err
}

// RebuildLater is what a pack load starts: RebuildForPack after the answer (Wait waits for it).
func (s *Store) RebuildLater(ps *rules.Packs) func() {
	return func() {
		s.InBackground(func(ctx context.Context) {
			if err := s.RebuildForPack(ctx, ps); err != nil {
				slog.ErrorContext(ctx, "rebuild under the new rule pack failed", "err", err)
			}
		})
	}
}

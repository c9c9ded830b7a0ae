// Package bench measures the figures of docs/PERFORMANCE.md on a database loaded with a demo
// district: subtree statistics from the maintained rollups against the naive ways, the first
// page of a large roster, moving a street, a 100,000-row import and the HTTP API under load.
// It prints figures; it asserts nothing.
package bench

import (
	"context"
	"dangjian/internal/life/compliance"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/server"
)

// Options of a run.
type Options struct {
	N        int           // iterations of the fast measurements
	NaiveN   int           // iterations of the naive (slow) ones
	Clients  int           // concurrent HTTP clients
	Duration time.Duration // per HTTP measurement
	Addr     string        // loopback address of the internal server
	Password string        // admin password (the demo password)
	DataDir  string        // data directory of the internal server
	Moves    int           // round trips of the street move
	Import   bool          // run the 100,000-row import (last)
	DSN      string        // the database, for copying a SQLite file before the import
	Out      io.Writer     // progress and the table
}

// Row is one measured figure.
type Row struct {
	Name          string
	N             int
	P50, P90, P99 time.Duration
	RPS           float64 // requests per second (HTTP rows)
	Note          string
}

// Report is the result of a run.
type Report struct {
	Engine string
	Rows   []Row
	Ratios []string
	Notes  []string
}

func pct(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p*float64(len(s)) + 0.5)
	if i >= len(s) {
		i = len(s) - 1
	}
	if i > 0 && p*float64(len(s)) < float64(i) {
		i--
	}
	return s[i]
}

func row(name string, ds []time.Duration, note string) Row {
	return Row{Name: name, N: len(ds), P50: pct(ds, 0.5), P90: pct(ds, 0.9), P99: pct(ds, 0.99), Note: note}
}

// time runs fn n times and returns the durations.
func timeN(n int, fn func() error) ([]time.Duration, error) {
	out := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		t := time.Now()
		if err := fn(); err != nil {
			return out, err
		}
		out = append(out, time.Since(t))
	}
	return out, nil
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

// Target is an organization measured.
type Target struct {
	ID      int64
	Path    string
	Name    string
	Members int
}

// targets finds the root and its largest child (by current members).
func targets(ctx context.Context, d *db.DB) (root, street, other Target, err error) {
	if err = d.QueryRow(ctx, `SELECT id, path, name FROM orgs WHERE parent_id IS NULL AND dissolved_at IS NULL ORDER BY id LIMIT 1`).
		Scan(&root.ID, &root.Path, &root.Name); err != nil {
		return root, street, other, fmt.Errorf("no organizations (load a demo first): %w", err)
	}
	ts, err := db.All(ctx, d, `SELECT o.id, o.path, o.name, COALESCE(s.n, 0) FROM orgs o
		LEFT JOIN org_stats s ON s.org_id = o.id AND s.dim = 'total' AND s.key = ''
		WHERE o.parent_id = ? AND o.kind = 'committee' AND o.field IN ('community', 'rural') AND o.dissolved_at IS NULL ORDER BY COALESCE(s.n, 0) DESC, o.id`,
		[]any{root.ID}, func(r db.Scanner) (t Target, err error) {
			return t, r.Scan(&t.ID, &t.Path, &t.Name, &t.Members)
		})
	if err != nil {
		return
	}
	if len(ts) < 2 {
		return root, street, other, fmt.Errorf("the root needs two street committees (field community or rural) under it")
	}
	_ = d.QueryRow(ctx, `SELECT COALESCE(n, 0) FROM org_stats WHERE org_id = ? AND dim = 'total' AND key = ''`, root.ID).Scan(&root.Members)
	return root, ts[0], ts[1], nil
}

// naiveCTE computes the subtree statistics the way a system without rollups would: walk
// the tree with a recursive query and group the members (one pass over every dimension),
// plus the organizations by kind and the failing checks.
func naiveCTE(ctx context.Context, d *db.DB, id int64) error {
	if err := drain(d.Query(ctx, `WITH RECURSIVE sub(id) AS (SELECT id FROM orgs WHERE id = ?
			UNION ALL SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id)
		SELECT m.status, m.category, m.sex, substr(m.birth_date, 1, 7), m.education, m.ethnicity, o.field, COUNT(*)
		FROM sub JOIN members m ON m.org_id = sub.id JOIN orgs o ON o.id = m.org_id
		GROUP BY m.status, m.category, m.sex, substr(m.birth_date, 1, 7), m.education, m.ethnicity, o.field`, id)); err != nil {
		return err
	}
	return drain(d.Query(ctx, `WITH RECURSIVE sub(id) AS (SELECT id FROM orgs WHERE id = ?
			UNION ALL SELECT o.id FROM orgs o JOIN sub ON o.parent_id = sub.id)
		SELECT o.kind, o.flags, COUNT(*) FROM sub JOIN orgs o ON o.id = sub.id WHERE o.dissolved_at IS NULL GROUP BY o.kind, o.flags`, id))
}

// naiveRange is the same over the materialized path: one index range instead of the walk.
func naiveRange(ctx context.Context, d *db.DB, path string) error {
	lo, hi := db.SubtreeRange(path)
	if err := drain(d.Query(ctx, `SELECT m.status, m.category, m.sex, substr(m.birth_date, 1, 7), m.education, m.ethnicity, o.field, COUNT(*)
		FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.org_path >= ? AND m.org_path < ?
		GROUP BY m.status, m.category, m.sex, substr(m.birth_date, 1, 7), m.education, m.ethnicity, o.field`, lo, hi)); err != nil {
		return err
	}
	return drain(d.Query(ctx, `SELECT kind, flags, COUNT(*) FROM orgs WHERE path >= ? AND path < ? AND dissolved_at IS NULL GROUP BY kind, flags`, lo, hi))
}

// statusOnly is the smallest naive query: members by status over the path range.
func statusOnly(ctx context.Context, d *db.DB, path string) error {
	lo, hi := db.SubtreeRange(path)
	return drain(d.Query(ctx, `SELECT status, COUNT(*) FROM members WHERE org_path >= ? AND org_path < ? GROUP BY status`, lo, hi))
}

func drain(rows interface {
	Next() bool
	Close() error
	Err() error
}, err error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// Run measures everything on d and returns the report.
func Run(ctx context.Context, d *db.DB, opt Options) (*Report, error) {
	out := opt.Out
	if out == nil {
		out = io.Discard
	}
	say := func(f string, a ...any) { fmt.Fprintf(out, f+"\n", a...) }
	rep := &Report{Engine: string(d.Dialect())}
	root, street, other, err := targets(ctx, d)
	if err != nil {
		return nil, err
	}
	say("root %q #%d: %d members; largest street %q #%d: %d members", root.Name, root.ID, root.Members, street.Name, street.ID, street.Members)
	today := clock.Today(time.Now())
	var orgsN, membersN int
	_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM orgs`).Scan(&orgsN)
	_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM members`).Scan(&membersN)
	rep.Notes = append(rep.Notes, fmt.Sprintf("database: %d organizations, %d member rows; root %d current members, largest street (%s) %d",
		orgsN, membersN, root.Members, street.Name, street.Members))

	if err := statsBench(ctx, d, rep, opt, say, today, root, street); err != nil {
		return nil, err
	}

	// The first page of the roster of the whole district.
	say("member list …")
	r, err := listBench(ctx, d, root, opt.N)
	if err != nil {
		return nil, err
	}
	rep.Rows = append(rep.Rows, r)

	if err := complianceBench(ctx, d, rep, opt, say, root); err != nil {
		return nil, err
	}

	// Moving the largest street under another street and back.
	if opt.Moves > 0 {
		say("moving %q (%d members) …", street.Name, street.Members)
		r, err := moveBench(ctx, d, street, other, opt.Moves)
		if err != nil {
			return nil, err
		}
		rep.Rows = append(rep.Rows, r)
	}

	// The HTTP API under load.
	if opt.Clients > 0 && opt.Duration > 0 {
		rows, err := httpBench(ctx, d, root, opt, say)
		if err != nil {
			return nil, err
		}
		rep.Rows = append(rep.Rows, rows...)
	}

	if opt.Import {
		say("import of 100,000 rows …")
		r, notes, err := importBench(ctx, d, opt, say)
		if err != nil {
			return nil, err
		}
		if r != nil {
			rep.Rows = append(rep.Rows, *r)
		}
		rep.Notes = append(rep.Notes, notes...)
	}
	return rep, nil
}

// statsBench times the subtree statistics at the root and the largest street from the
// maintained rollups against three naive readings of the raw rows.
func statsBench(ctx context.Context, d *db.DB, rep *Report, opt Options, say func(string, ...any), today string, root, street Target) error {
	p50 := map[string]time.Duration{}
	for _, t := range []struct {
		label string
		t     Target
	}{{"root", root}, {"street", street}} {
		say("statistics at the %s …", t.label)
		ds, err := timeN(opt.N, func() error { _, err := org.ReadStats(ctx, d, t.t.ID, t.t.Path, today, member.FillStats); return err })
		if err != nil {
			return err
		}
		r := row("stats "+t.label+" (rollups, org.ReadStats)", ds, fmt.Sprintf("%d members", t.t.Members))
		rep.Rows = append(rep.Rows, r)
		p50["maint "+t.label] = r.P50
		for _, nv := range []struct {
			key, name string
			fn        func() error
		}{
			{"cte", "stats " + t.label + " naive: recursive CTE", func() error { return naiveCTE(ctx, d, t.t.ID) }},
			{"range", "stats " + t.label + " naive: path range scan", func() error { return naiveRange(ctx, d, t.t.Path) }},
			{"status", "stats " + t.label + " naive: path range, status only", func() error { return statusOnly(ctx, d, t.t.Path) }},
		} {
			say("  %s …", nv.name)
			ds, err := timeN(opt.NaiveN, nv.fn)
			if err != nil {
				return fmt.Errorf("%s: %w", nv.name, err)
			}
			r := row(nv.name, ds, "")
			rep.Rows = append(rep.Rows, r)
			p50[nv.key+" "+t.label] = r.P50
		}
		for _, k := range []string{"cte", "range", "status"} {
			m := p50["maint "+t.label]
			if m > 0 {
				rep.Ratios = append(rep.Ratios, fmt.Sprintf("%s, %s / rollups (p50): %.0f×", t.label, map[string]string{
					"cte": "recursive CTE", "range": "path range scan", "status": "status-only range scan"}[k],
					float64(p50[k+" "+t.label])/float64(m)))
			}
		}
	}
	return nil
}

// complianceBench times organizational life's compliance summary and drill-down from the
// maintained rollup and, with naive runs, the full re-evaluation and the whole recount.
func complianceBench(ctx context.Context, d *db.DB, rep *Report, opt Options, say func(string, ...any), root Target) error {
	// Organizational life: the compliance summary of the whole district for last quarter from
	// the maintained rollup, against evaluating every organization from the raw records (the
	// nightly full re-evaluation, life.Store.Recount).
	say("compliance summary …")
	pack := rules.DefaultPack()
	ls := &compliance.Store{Store: &life.Store{DB: d, Clock: clock.System{}, Pack: func() *rules.Pack { return pack }}}
	var acts int
	_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM activities`).Scan(&acts)
	quarter := rules.PeriodOf(rules.Quarter, time.Now().AddDate(0, -3, 0))
	sumDs, err := timeN(opt.N, func() error {
		_, err := ls.SummaryAt(ctx, root.ID, root.Path, quarter)
		return err
	})
	if err != nil {
		return err
	}
	sr := row("compliance summary, root, last quarter (rollup)", sumDs, fmt.Sprintf("%d activity records", acts))
	rep.Rows = append(rep.Rows, sr)
	// The drill-down: the first page of the organizations that missed a rule (life_met), for
	// every rule and for one.
	orgs := &org.Store{DB: d, Clock: clock.System{}}
	for _, rule := range []string{"", "theme_day.month"} {
		var total int
		ds, err := timeN(opt.N, func() (err error) {
			_, total, _, err = ls.Compliance(ctx, auth.System(), orgs, root.ID, quarter, compliance.ComplianceFilter{Subtree: true, Unmet: true, Rule: rule}, httpx.Page{Page: 1, Size: 20})
			return err
		})
		if err != nil {
			return err
		}
		name := "compliance drill-down, root, last quarter, unmet, first 20 (life_met)"
		if rule != "" {
			name = "compliance drill-down, root, last quarter, unmet " + rule + ", first 20"
		}
		rep.Rows = append(rep.Rows, row(name, ds, fmt.Sprintf("%d organizations in the list", total)))
	}
	if opt.NaiveN > 0 {
		say("  full re-evaluation from the raw records …")
		took, err := ls.Recount(ctx)
		if err != nil {
			return err
		}
		rep.Rows = append(rep.Rows, row("compliance: full re-evaluation of every organization (life.Recount)", []time.Duration{took}, "life's part of the nightly job"))
		if sr.P50 > 0 {
			rep.Ratios = append(rep.Ratios, fmt.Sprintf("compliance, full re-evaluation / summary from the rollup (p50): %.0f×", float64(took)/float64(sr.P50)))
		}
		say("  every rollup from the raw rows …")
		took, err = server.Tree(orgs, ls).Recount(ctx, d)
		if err != nil {
			return err
		}
		rep.Rows = append(rep.Rows, row("every rollup from the raw rows (tree.Recount: org, member, life)", []time.Duration{took}, "the nightly job's cost"))
	}
	return nil
}

// Table renders the report as text, or as markdown rows for docs/PERFORMANCE.md.
func (r *Report) Table(markdown bool) string {
	var b strings.Builder
	if markdown {
		fmt.Fprintf(&b, "| %s | n | p50 ms | p90 ms | p99 ms | req/s | note |\n|---|---:|---:|---:|---:|---:|---|\n", r.Engine)
		for _, x := range r.Rows {
			rps := ""
			if x.RPS > 0 {
				rps = fmt.Sprintf("%.0f", x.RPS)
			}
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s |\n", x.Name, x.N, ms(x.P50), ms(x.P90), ms(x.P99), rps, x.Note)
		}
		b.WriteString("\n")
		for _, s := range r.Ratios {
			fmt.Fprintf(&b, "- %s\n", s)
		}
		for _, s := range r.Notes {
			fmt.Fprintf(&b, "- %s\n", s)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "engine: %s\n%-52s %6s %10s %10s %10s %8s  %s\n", r.Engine, "measurement", "n", "p50 ms", "p90 ms", "p99 ms", "req/s", "note")
	for _, x := range r.Rows {
		rps := ""
		if x.RPS > 0 {
			rps = fmt.Sprintf("%.0f", x.RPS)
		}
		fmt.Fprintf(&b, "%-52s %6d %10s %10s %10s %8s  %s\n", x.Name, x.N, ms(x.P50), ms(x.P90), ms(x.P99), rps, x.Note)
	}
	for _, s := range r.Ratios {
		fmt.Fprintf(&b, "ratio: %s\n", s)
	}
	for _, s := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", s)
	}
	return b.String()
}

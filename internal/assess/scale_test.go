package assess

import (
	"context"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"dangjian/internal/calendar"
	"dangjian/internal/demo"
	"dangjian/internal/life/rules"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/publicity"
)

// TestScale measures a round over a demo district (docs/PERFORMANCE.md, "Assessment rounds"):
// DANGJIAN_ASSESS_SCALE=200000 go test ./internal/assess -run TestScale -v (with
// DANGJIAN_TEST_POSTGRES for PostgreSQL). Every branch of the district is assessed against the
// village example with its fields opened to all; it prints the figures and asserts no times.
func TestScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("DANGJIAN_ASSESS_SCALE"))
	if n == 0 {
		t.Skip("set DANGJIAN_ASSESS_SCALE to a number of members")
	}
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
		c := clock.NewFake(now)
		res, err := demo.Generate(ctx, d, auth.NewService(d, c), demo.Options{Members: n, Seed: 1, Password: "bench-pass-1", Now: now})
		if err != nil {
			t.Fatal(err)
		}
		packs := &rules.Packs{DB: d, Clock: c, TTL: time.Minute}
		s := &Store{DB: d, Clock: c, Pack: packs.Current, Pub: &publicity.Store{DB: d, Clock: c, Cal: &calendar.Store{DB: d, Clock: c}}}
		var root int64
		if err := d.QueryRow(ctx, `SELECT id FROM orgs WHERE parent_id IS NULL OR parent_id = 0 ORDER BY id LIMIT 1`).Scan(&root); err != nil {
			t.Fatal(err)
		}
		text := strings.Replace(string(Examples()["village"]), "  fields: [rural]\n", "", 1)
		text = strings.Replace(text, "kinds: [committee, general_branch, branch]", "kinds: [branch, joint_branch]", 1)
		v, err := s.PublishSet(ctx, auth.System(), root, []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		r, err := s.Open(ctx, auth.System(), root, NewRound{SetID: v.RowID, Name: "规模测试", SelfTo: "2026-12-31", ReviewTo: "2026-12-31", AwardOn: "2027-01-10"})
		if err != nil {
			t.Fatal(err)
		}
		open := time.Since(start)
		p50 := func(f func() error) time.Duration {
			var ds []time.Duration
			for i := 0; i < 100; i++ {
				t0 := time.Now()
				if err := f(); err != nil {
					t.Fatal(err)
				}
				ds = append(ds, time.Since(t0))
			}
			sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
			return ds[len(ds)/2]
		}
		sc := auth.System()
		last := (r.Total + 49) / 50
		prog := p50(func() error { _, err := s.Round(ctx, sc, r.ID); return err })
		first := p50(func() error { _, err := s.Ranking(ctx, sc, r.ID, httpx.Page{Page: 1, Size: 50}); return err })
		lastP := p50(func() error { _, err := s.Ranking(ctx, sc, r.ID, httpx.Page{Page: last, Size: 50}); return err })
		dist := p50(func() error { _, err := s.Distribution(ctx, sc, r.ID); return err })
		// Each binding again, alone, to see what opening spends.
		for _, b := range Bindings() {
			t0 := time.Now()
			got, err := b.Compute(ctx, d, BindIn{RoundID: r.ID, Year: 2026, AsOf: r.AsOf, Pack: packs.Current()})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: binding %s: %d values in %v", d.Dialect(), b.Code, len(got), time.Since(t0).Round(time.Millisecond))
		}
		t.Logf("%s: %d members, %d organizations, %d assessed; open %v (%.0f orgs/s); p50 progress %v, ranking first page %v, last page %v, distribution %v",
			d.Dialect(), res.Members, res.Orgs, r.Total, open.Round(time.Millisecond), float64(r.Total)/open.Seconds(), prog, first, lastP, dist)
	})
}

package bench

import (
	"context"
	"dangjian/internal/life/compliance"
	"strings"
	"testing"
	"time"

	"dangjian/internal/demo"
	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/server"
)

// TestRun runs every measurement but the import, briefly, on a small demo district, and
// checks that the move left the rollups as a recount finds them.
func TestRun(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Generate(ctx, d, auth.NewService(d, clock.System{}), demo.Options{Members: 1500, Seed: 3, Password: "bench-pass-1"}); err != nil {
			t.Fatal(err)
		}
		rep, err := Run(ctx, d, Options{N: 3, NaiveN: 1, Clients: 2, Duration: 300 * time.Millisecond, Addr: "127.0.0.1:0",
			Password: "bench-pass-1", DataDir: t.TempDir(), Moves: 1})
		if err != nil {
			t.Fatal(err)
		}
		out := rep.Table(true)
		for _, want := range []string{"stats root", "recursive CTE", "member list", "move the largest street", "HTTP GET"} {
			if !strings.Contains(out, want) {
				t.Errorf("report lacks %q:\n%s", want, out)
			}
		}
		var before []int
		rows, _ := d.Query(ctx, `SELECT n FROM org_stats WHERE n <> 0 ORDER BY org_id, dim, key`)
		for rows.Next() {
			var n int
			_ = rows.Scan(&n)
			before = append(before, n)
		}
		rows.Close()
		st := &org.Store{DB: d, Clock: clock.System{}}
		if _, err := server.Tree(st, &compliance.Store{Store: &life.Store{DB: d, Clock: clock.System{}, Pack: rules.DefaultPack}}).Recount(ctx, d); err != nil {
			t.Fatal(err)
		}
		var after []int
		rows, _ = d.Query(ctx, `SELECT n FROM org_stats WHERE n <> 0 ORDER BY org_id, dim, key`)
		for rows.Next() {
			var n int
			_ = rows.Scan(&n)
			after = append(after, n)
		}
		rows.Close()
		if len(before) != len(after) {
			t.Fatalf("after the moves: %d rollup rows, recount %d", len(before), len(after))
		}
		for i := range before {
			if before[i] != after[i] {
				t.Fatalf("after the moves the rollups differ from a recount")
			}
		}
		// The endpoints of the pages and the mixed workload answer without errors.
		ep, err := Endpoints(ctx, d, Options{N: 2, Addr: "127.0.0.1:0", Password: "bench-pass-1", DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		out = ep.Table(true)
		for _, want := range []string{"root: drill-down", "street: lapse list", "record book", "year view", "activity's attendance"} {
			if !strings.Contains(out, want) {
				t.Errorf("endpoints report lacks %q:\n%s", want, out)
			}
		}
		mx, err := Mixed(ctx, d, Options{Clients: 4, Duration: 2 * time.Second, Addr: "127.0.0.1:0", Password: "bench-pass-1", DataDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range mx.Rows {
			if !strings.HasPrefix(r.Note, "0 errors") {
				t.Errorf("mixed %s: %s", r.Name, r.Note)
			}
		}
		if mx.Rows[4].N == 0 {
			t.Errorf("no attendance saved in the mixed run:\n%s", mx.Table(false))
		}
	})
}

package server

import (
	"context"
	"fmt"
	"testing"

	"dangjian/internal/member"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// TestRecountKeepsWritesDuringIt: the recount repairs drifted figures without losing or
// double counting the writes that commit while it runs — one inside its snapshot transaction
// (PostgreSQL: SQLite has one writer, so nothing commits then) and one between counting and
// applying — and the figures equal a recount from the raw rows afterwards.
func TestRecountKeepsWritesDuringIt(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		// Drift to repair: every subtree's total off by 7.
		if _, err := d.Exec(ctx, `UPDATE org_stats SET n = n + 7 WHERE dim = ?`, member.DimTotal); err != nil {
			t.Fatal(err)
		}
		p := member.Part()
		count := p.Recount
		p.Recount = func(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
			if d.Dialect() == db.Postgres {
				// Commits in a transaction of its own after the recount's snapshot was taken.
				patch := fmt.Sprintf("/api/v1/members/%d", f.members["a1m2"])
				if res := f.do("admin", "PATCH", patch, map[string]any{"status": "deceased"}); res.status != 200 {
					t.Fatalf("PATCH during the recount: %d %s", res.status, res.body)
				}
			}
			return count(ctx, tx, r)
		}
		reg := tree.New(p)
		dl, err := reg.Count(ctx, d, "member")
		if err != nil {
			t.Fatal(err)
		}
		f.newMember("A2") // between counting and applying
		if err := dl.Apply(ctx, d); err != nil {
			t.Fatal(err)
		}
		current := f.count(`SELECT COUNT(*) FROM members WHERE status IN ('active', 'mobile', 'lost', 'suspended')`)
		if root := f.count(`SELECT n FROM org_stats WHERE org_id = ? AND dim = ? AND key = ''`, f.orgs["R"], member.DimTotal); root != current {
			t.Errorf("root total %d after the recount, %d current members", root, current)
		}
		after := rollupSnapshot(t, d)
		if _, err := f.app.Tree.Recount(ctx, d); err != nil {
			t.Fatal(err)
		}
		if again := rollupSnapshot(t, d); fmt.Sprint(after) != fmt.Sprint(again) {
			t.Fatalf("rollups after a recount with writes during it differ from a recount:\nafter   %v\nrecount %v", after, again)
		}
	})
}

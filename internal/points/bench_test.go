package points

import (
	"fmt"
	"testing"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// BenchmarkLedger measures the two hot paths of a member's year on each engine: approving a
// claim (the caps read and locked, the entry, three totals upserts, the rollup along the
// ancestors) and reading the member's page with ~30 entries (the figure of a year).
//
//	go test ./internal/points -run '^$' -bench Ledger -benchtime 200x
func BenchmarkLedger(b *testing.B) {
	for _, dialect := range db.Engines() {
		b.Run(string(dialect), func(b *testing.B) {
			e := newEnv(b, db.OpenTest(b, dialect))
			e.publish("R", edit("        cap: 8\n        max_times: 6", "        cap: 1000\n        max_times: 0"))
			for i := range 30 {
				e.approve("m2", "volunteer", fmt.Sprintf("2026-%02d-%02d", 1+i%10, 1+i%27))
			}
			b.Run("approve", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					e.approve("m1", "volunteer", fmt.Sprintf("2026-%02d-%02d", 1+i%10, 1+i%27))
				}
			})
			b.Run("member-year", func(b *testing.B) {
				for b.Loop() {
					if _, err := e.pts.Year(e.ctx, auth.System(), e.members["m2"], 2026); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

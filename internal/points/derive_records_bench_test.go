package points

import (
	"fmt"
	"testing"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/volunteer"
)

// BenchmarkVolunteerConfirm measures a volunteer record recorded and confirmed by its organizer
// on each engine (two transactions: the record, then the confirmation with its rollups, the
// follower's entry under the caps and the audit) and the subtree summary read at the root.
//
//	go test ./internal/points -run '^$' -bench VolunteerConfirm -benchtime 200x
func BenchmarkVolunteerConfirm(b *testing.B) {
	for _, dialect := range db.Engines() {
		b.Run(string(dialect), func(b *testing.B) {
			e := newEnv(b, db.OpenTest(b, dialect))
			e.publish("R", ExampleText())
			rs := newRecords(e)
			sec := e.secretary("A1")
			b.Run("record+confirm", func(b *testing.B) {
				for i := 0; b.Loop(); i++ {
					r, err := rs.vol.Add(e.ctx, e.own("m1"), volunteer.NewVolunteerRecord{OrganizerID: e.orgs["A1"], Day: fmt.Sprintf("2026-%02d-%02d", 1+i%10, 1+i%27), Hours: 1.5, What: "清理楼道"})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := rs.vol.Decide(e.ctx, sec, r.ID, volunteer.VolunteerDecision{Action: "confirm"}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("summary", func(b *testing.B) {
				for b.Loop() {
					if _, err := rs.vol.Summary(e.ctx, auth.System(), e.orgs["R"], 2026); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

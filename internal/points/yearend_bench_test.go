package points

import (
	"fmt"
	"testing"
	"time"

	"dangjian/internal/calendar"
	"dangjian/internal/platform/db"
	"dangjian/internal/publicity"
)

// BenchmarkYearEnd measures computing a branch's year end from the maintained totals (a
// branch of 300 members: each gets its rating row) and reading the branch's page.
//
//	go test ./internal/points -run '^$' -bench YearEnd -benchtime 20x
func BenchmarkYearEnd(b *testing.B) {
	for _, dialect := range db.Engines() {
		b.Run(string(dialect), func(b *testing.B) {
			d := db.OpenTest(b, dialect)
			e := newEnv(b, d)
			e.pts.Publicity = &publicity.Store{DB: d, Clock: e.clock, Cal: &calendar.Store{DB: d, Clock: e.clock}}
			e.publish("R", ExampleText())
			var path string
			_ = d.QueryRow(e.ctx, `SELECT path FROM orgs WHERE id = ?`, e.orgs["A1"]).Scan(&path)
			now := time.Now().UTC()
			err := d.InTx(e.ctx, func(tx *db.Tx) error {
				for i := range 300 {
					var id int64
					if err := tx.QueryRow(e.ctx, `INSERT INTO members (org_id, org_path, name, name_key, sex, ethnicity, id_number, id_tail, birth_date, category, join_date, status, created_at, updated_at)
						VALUES (?, ?, ?, ?, 'm', '01', ?, '0000', '1980-01-01', 'full', '2005-07-01', 'active', ?, ?) RETURNING id`,
						e.orgs["A1"], path, fmt.Sprintf("党员%03d", i), fmt.Sprintf("dy%03d", i), fmt.Sprintf("B%017d", i), now, now).Scan(&id); err != nil {
						return err
					}
					if _, err := tx.Exec(e.ctx, `INSERT INTO points_totals (member_id, year, bucket, points, times) VALUES (?, 2026, '', ?, 10)`, id, i%40); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			sec := e.secretary("A1")
			b.Run("compute-300", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					for _, q := range []string{`DELETE FROM points_reviews`, `DELETE FROM points_yearends`} {
						if _, err := d.Exec(e.ctx, q); err != nil {
							b.Fatal(err)
						}
					}
					b.StartTimer()
					if _, err := e.pts.Compute(e.ctx, sec, e.orgs["A1"], NewYearEnd{Year: 2026}); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("page-300", func(b *testing.B) {
				for b.Loop() {
					if _, err := e.pts.YearOf(e.ctx, sec, e.orgs["A1"], 2026); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

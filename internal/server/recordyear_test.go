package server

import (
	"context"
	"testing"
	"time"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// The record book groups a 组织生活会/民主评议 under the year it is held for: a January 2027
// meeting for 2026 is in the 2026 book and not in 2027's; one for 2027 is in 2027's; other
// kinds go by their date.
func TestRecordBookByYearHeldFor(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a1 := f.orgs["A1"]
		f.clock.Advance(time.Date(2027, 1, 25, 2, 0, 0, 0, time.UTC).Sub(f.clock.Now()))
		f.tokens["admin"] = f.login("admin", testPassword)
		prev := f.activityAt(a1, "2027-01-15T02:00:00Z", 0, "life_meeting")
		this := f.activityAt(a1, "2027-01-16T02:00:00Z", 2027, "member_review")
		theme := f.activityAt(a1, "2027-01-17T02:00:00Z", 0, "theme_day")
		dec := f.activityAt(a1, "2026-12-17T02:00:00Z", 0, "theme_day")
		in := func(year int) map[int64]bool {
			b, err := f.app.Books.Book(context.Background(), auth.System(), a1, year)
			if err != nil {
				t.Fatal(err)
			}
			ids := map[int64]bool{}
			for _, e := range b.Entries {
				ids[e.Activity.ID] = true
			}
			return ids
		}
		b26, b27 := in(2026), in(2027)
		if !b26[prev.ID] || b27[prev.ID] {
			t.Errorf("January meeting for 2026: in 2026 %v, in 2027 %v", b26[prev.ID], b27[prev.ID])
		}
		if b26[this.ID] || !b27[this.ID] {
			t.Errorf("January appraisal for 2027: in 2026 %v, in 2027 %v", b26[this.ID], b27[this.ID])
		}
		if b26[theme.ID] || !b27[theme.ID] || !b26[dec.ID] || b27[dec.ID] {
			t.Errorf("主题党日 by date: %v %v %v %v", b26[theme.ID], b27[theme.ID], b26[dec.ID], b27[dec.ID])
		}
	})
}

package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/signin"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// TestCheckinCodeWithinWindow: a sign-in code opens only within the activity's sign-in window
// and never outlives it.
func TestCheckinCodeWithinWindow(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		create := func(start time.Time, end *time.Time) int64 {
			a, err := f.app.Life.Create(context.Background(), auth.System(), life.ActivityFields{OrgID: f.orgs["A1"], Kinds: []string{"theme_day"},
				Topic: "主题党日", StartsAt: start, EndsAt: end, Held: start.Before(fixtureNow)})
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		open := func(id int64) response {
			return f.do("secA", "POST", fmt.Sprintf("/api/v1/activities/%d/checkin-code", id), nil)
		}
		later := create(fixtureNow.Add(48*time.Hour), nil)
		if r := open(later); r.status != 409 || !strings.Contains(string(r.body), "checkin_not_open") {
			t.Errorf("a code two days early: %d %s", r.status, r.body)
		}
		past := fixtureNow.Add(-72 * time.Hour)
		pastEnd := past.Add(time.Hour)
		if r := open(create(past, &pastEnd)); r.status != 409 || !strings.Contains(string(r.body), "checkin_closed") {
			t.Errorf("a code three days late: %d %s", r.status, r.body)
		}
		end := fixtureNow.Add(5 * time.Minute)
		var c signin.CheckinCode
		r := open(create(fixtureNow.Add(-30*time.Minute), &end))
		r.decode(t, &c)
		if r.status != 201 || !c.ExpiresAt.Equal(end) {
			t.Errorf("a code near the end expires with the window: %d %+v (ends %s)", r.status, c, end)
		}
	})
}

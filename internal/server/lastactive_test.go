package server

import (
	"context"
	"dangjian/internal/life/compliance"
	"database/sql"
	"fmt"
	"testing"

	"dangjian/internal/life"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// lastActive reads every member's last participation as a CST day ("" for none).
func (f *fixture) lastActive() map[int64]string {
	f.t.Helper()
	rows, err := f.app.DB.Query(context.Background(), `SELECT id, last_active_at FROM members`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var at sql.NullTime
		if err := rows.Scan(&id, &at); err != nil {
			f.t.Fatal(err)
		}
		if at.Valid {
			out[id] = clock.Today(at.Time)
		} else {
			out[id] = ""
		}
	}
	return out
}

// The batch refresh of last participation (after a bulk load) and the per-member one (on every
// attendance write) are one function: when a record's attendance is corrected, its newest row
// wins in both.
func TestLastActiveBatchEqualsPerMember(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		f.meeting("2027-03-10", map[string]string{"a1m2": "present", "a1m3": "present"})
		april := f.meeting("2027-04-10", map[string]string{"a1m2": "present", "a1m3": "present"})
		// The April record is corrected: a1m2 was absent after all.
		if _, err := f.app.Life.SetAttendance(ctx, sys, april, life.AttendanceUpdate{Items: []life.AttendanceItem{
			{MemberID: f.members["a1m2"], State: "absent"}}}); err != nil {
			t.Fatal(err)
		}
		maintained := f.lastActive()
		if maintained[f.members["a1m2"]] != "2027-03-10" || maintained[f.members["a1m3"]] != "2027-04-10" {
			t.Fatalf("maintained: a1m2 %q, a1m3 %q", maintained[f.members["a1m2"]], maintained[f.members["a1m3"]])
		}
		if err := compliance.RefreshAllLastActive(ctx, d); err != nil {
			t.Fatal(err)
		}
		if batch := f.lastActive(); fmt.Sprint(batch) != fmt.Sprint(maintained) {
			t.Errorf("batch refresh differs from the per-member one:\nbatch      %v\nper member %v", batch, maintained)
		}
	})
}

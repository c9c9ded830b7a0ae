package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/life"
	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// attendanceOf reads an activity's attendance as the admin, by member id.
func (f *fixture) attendanceOf(id int64) map[int64]life.AttendanceItem {
	f.t.Helper()
	r := f.do("admin", "GET", fmt.Sprintf("/api/v1/activities/%d/attendance", id), nil)
	if r.status != 200 {
		f.t.Fatalf("attendance: %d %s", r.status, r.body)
	}
	var a life.Attendance
	r.decode(f.t, &a)
	out := map[int64]life.AttendanceItem{}
	for _, it := range a.Items {
		out[it.MemberID] = it
	}
	if len(out) != a.Expected {
		f.t.Fatalf("expected %d, items %d", a.Expected, len(out))
	}
	return out
}

func (f *fixture) putAttendance(id int64, items ...life.AttendanceItem) response {
	f.t.Helper()
	return f.do("admin", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", id), life.AttendanceUpdate{Items: items})
}

// An activity's roster is the organization's as it was on the activity's day (issue 10 item 8):
// a member transferred out keeps their record on the old branch's past activity and is not on
// the new branch's; a member who joined later is not on an old activity (422 naming the item).
func TestRosterAtTheTime(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		moved := f.members["a1m1"]
		oldA1 := f.activityAt(f.orgs["A1"], "2026-11-10T09:00:00+08:00", 0, "branch_general_meeting")
		oldA2 := f.activityAt(f.orgs["A2"], "2026-11-10T09:00:00+08:00", 0, "branch_general_meeting")
		if r := f.putAttendance(oldA1.ID, life.AttendanceItem{MemberID: moved, State: "present"}); r.status != 200 {
			t.Fatalf("record: %d %s", r.status, r.body)
		}
		// Transferred to A2 today (2026-11-22).
		if _, err := f.app.Members.Update(ctx, sys, moved, member.Patch{OrgID: ptr(f.orgs["A2"])}); err != nil {
			t.Fatal(err)
		}
		a1 := f.attendanceOf(oldA1.ID)
		if it, ok := a1[moved]; !ok || it.State != "present" {
			t.Fatalf("the transferred member's record left the old activity: %+v", a1)
		}
		if _, ok := a1[f.members["a1m2"]]; !ok {
			t.Fatal("a member not yet recorded left the old activity")
		}
		if _, ok := f.attendanceOf(oldA2.ID)[moved]; ok {
			t.Fatal("the transferred member is on the new branch's activity before the transfer")
		}
		// From the transfer on they are on the new branch's activities, not the old one's.
		newA1 := f.activityAt(f.orgs["A1"], "2026-11-22T09:00:00+08:00", 0, "branch_general_meeting")
		newA2 := f.activityAt(f.orgs["A2"], "2026-11-22T09:00:00+08:00", 0, "branch_general_meeting")
		if _, ok := f.attendanceOf(newA1.ID)[moved]; ok {
			t.Fatal("the transferred member is still on the old branch's new activity")
		}
		if _, ok := f.attendanceOf(newA2.ID)[moved]; !ok {
			t.Fatal("the transferred member is not on the new branch's activity")
		}
		// Sending them on the old A2 activity, or a member who joined the Party later on the
		// old A1 one, is refused and changes nothing.
		late, err := f.app.Members.Create(ctx, sys, member.Fields{OrgID: f.orgs["A1"], Name: "后入党", Ethnicity: "01", IDNumber: validID("1998-04-01", 31, true),
			Category: "probationary", JoinDate: "2026-11-15", Education: "bachelor"})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := f.attendanceOf(oldA1.ID)[late.ID]; ok {
			t.Fatal("a member who joined later is on an old activity")
		}
		if _, ok := f.attendanceOf(newA1.ID)[late.ID]; !ok {
			t.Fatal("a member who joined is not on a later activity")
		}
		before := f.stateDigest()
		for _, c := range []struct {
			act    int64
			member int64
		}{{oldA2.ID, moved}, {oldA1.ID, late.ID}} {
			r := f.putAttendance(c.act, life.AttendanceItem{MemberID: f.members["a1m2"], State: "present"}, life.AttendanceItem{MemberID: c.member, State: "present"})
			if r.status != 422 || !strings.Contains(string(r.body), `items[1].member_id`) || !strings.Contains(string(r.body), "不在本次活动的名册中") {
				t.Fatalf("off the roster: %d %s", r.status, r.body)
			}
		}
		if after := f.stateDigest(); after != before {
			t.Fatalf("a refused attendance changed the state:\n%s\n%s", before, after)
		}
		// The old attendance still counts for the member's last participation.
		var last string
		if err := f.app.DB.QueryRow(ctx, `SELECT COALESCE(CAST(last_active_at AS TEXT), '') FROM members WHERE id = ?`, moved).Scan(&last); err != nil {
			t.Fatal(err)
		}
		if last == "" {
			t.Fatal("the transfer lost the member's last participation")
		}
	})
}

package server

import (
	"context"
	"dangjian/internal/life/appraisal"
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/life"
	"dangjian/internal/member"
	"dangjian/internal/org"
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

// A 临时党支部's members keep their home branch (issue 10 item 9): on both rosters, counted
// once; a 流动党员 registered at the host organization (item 10) is on its roster as a member,
// their attendance there is credited to them and their home branch sees where they took part.
func TestSecondAffiliations(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		temp := f.newOrg("A", org.TempBranch)
		countA := f.count(`SELECT direct_members FROM orgs WHERE id = ?`, f.orgs["A1"])
		affiliate := func(user string, body map[string]any) response {
			return f.do(user, "POST", "/api/v1/affiliations", body)
		}
		// Bad input names the field and changes nothing.
		before := f.stateDigest()
		beforeRows := f.count(`SELECT COUNT(*) FROM memberships`)
		for field, body := range map[string]map[string]any{
			"org_id":    {"member_id": f.members["a1m2"], "org_id": f.orgs["A2"], "kind": "temporary", "from_date": "2026-11-01"},
			"kind":      {"member_id": f.members["a1m2"], "org_id": temp, "kind": "home", "from_date": "2026-11-01"},
			"to_date":   {"member_id": f.members["a1m2"], "org_id": temp, "kind": "temporary", "from_date": "2026-11-01", "to_date": "2026-10-01"},
			"from_date": {"member_id": f.members["a1m2"], "org_id": temp, "kind": "temporary", "from_date": "11/01"},
		} {
			r := affiliate("staffA", body)
			if r.status != 422 || !strings.Contains(string(r.body), `"field":"`+field+`"`) {
				t.Fatalf("%s: %d %s", field, r.status, r.body)
			}
		}
		if r := affiliate("staffA", map[string]any{"member_id": f.members["b1m1"], "org_id": f.orgs["A2"], "kind": "host", "from_date": "2026-11-01"}); r.status != 403 {
			t.Fatalf("a member out of scope: %d %s", r.status, r.body)
		}
		if f.stateDigest() != before || f.count(`SELECT COUNT(*) FROM memberships`) != beforeRows {
			t.Fatal("a refused affiliation changed the state")
		}
		if r := affiliate("staffA", map[string]any{"member_id": f.members["a1m2"], "org_id": temp, "kind": "temporary", "from_date": "2026-11-22"}); r.status != 201 {
			t.Fatalf("temporary: %d %s", r.status, r.body)
		}
		if r := affiliate("admin", map[string]any{"member_id": f.members["b1m1"], "org_id": f.orgs["A2"], "kind": "host", "from_date": "2026-11-01"}); r.status != 201 {
			t.Fatalf("host: %d %s", r.status, r.body)
		}
		// On both rosters, marked where it is a second affiliation; counted at home only.
		tAct := f.activityAt(temp, "2026-11-22T09:00:00+08:00", 0, "branch_general_meeting")
		hAct := f.activityAt(f.orgs["A1"], "2026-11-22T09:00:00+08:00", 0, "branch_general_meeting")
		if it, ok := f.attendanceOf(tAct.ID)[f.members["a1m2"]]; !ok || it.Affiliation != "temporary" {
			t.Fatalf("not on the temporary branch's roster as such: %+v", it)
		}
		if it, ok := f.attendanceOf(hAct.ID)[f.members["a1m2"]]; !ok || it.Affiliation != "" {
			t.Fatalf("not on the home roster as a home member: %+v", it)
		}
		if n := f.count(`SELECT direct_members FROM orgs WHERE id = ?`, temp); n != 0 {
			t.Fatalf("the temporary branch counts %d members", n)
		}
		if n := f.count(`SELECT direct_members FROM orgs WHERE id = ?`, f.orgs["A1"]); n != countA {
			t.Fatalf("the home branch counts %d, was %d", n, countA)
		}
		// The 流动党员 attends at the host: credited to them, visible to their home branch.
		host := f.activityAt(f.orgs["A2"], "2026-11-12T09:00:00+08:00", 0, "branch_general_meeting")
		if it, ok := f.attendanceOf(host.ID)[f.members["b1m1"]]; !ok || it.Affiliation != "host" {
			t.Fatalf("not on the host's roster: %+v", it)
		}
		if r := f.putAttendance(host.ID, life.AttendanceItem{MemberID: f.members["b1m1"], State: "present"}); r.status != 200 {
			t.Fatalf("record at the host: %d %s", r.status, r.body)
		}
		if n := f.count(`SELECT COUNT(*) FROM members WHERE id = ? AND last_active_at IS NOT NULL`, f.members["b1m1"]); n != 1 {
			t.Fatal("the attendance at the host is not credited to the member")
		}
		r := f.do("staffB", "GET", fmt.Sprintf("/api/v1/members/%d/activities", f.members["b1m1"]), nil)
		if r.status != 200 {
			t.Fatalf("member activities: %d %s", r.status, r.body)
		}
		var mine life.Mine
		r.decode(t, &mine)
		found := false
		for _, it := range mine.Items {
			if it.ID == host.ID {
				found = it.MyState == "present" && it.OrgName == "中共和平社区第二支部委员会"
			}
		}
		if !found || mine.Attended != 1 {
			t.Fatalf("the home branch does not see the participation at the host: %+v", mine)
		}
	})
}

// An appraisal's list is the branch's home members on its day (issue 10 item 8): a member
// transferred after it stays on the old branch's and is not on the new branch's, and the
// completeness of the old appraisal does not change with the transfer.
func TestAppraisalAtTheTime(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		moved := f.members["a1m1"]
		a1 := f.activityAt(f.orgs["A1"], "2026-11-10T09:00:00+08:00", 0, "member_review")
		a2 := f.activityAt(f.orgs["A2"], "2026-11-10T09:00:00+08:00", 0, "member_review")
		if _, err := f.app.Members.Update(ctx, sys, moved, member.Patch{OrgID: ptr(f.orgs["A2"])}); err != nil {
			t.Fatal(err)
		}
		listed := func(id int64) map[int64]bool {
			r := f.do("admin", "GET", fmt.Sprintf("/api/v1/activities/%d/reviews", id), nil)
			if r.status != 200 {
				t.Fatalf("reviews: %d %s", r.status, r.body)
			}
			var l struct {
				Items []struct {
					MemberID int64 `json:"member_id"`
					Gradable bool  `json:"gradable"`
				} `json:"items"`
			}
			r.decode(t, &l)
			out := map[int64]bool{}
			for _, it := range l.Items {
				out[it.MemberID] = it.Gradable
			}
			return out
		}
		if g, ok := listed(a1.ID)[moved]; !ok || !g {
			t.Fatal("the transferred member left the old branch's appraisal")
		}
		if _, ok := listed(a2.ID)[moved]; ok {
			t.Fatal("the transferred member is on the new branch's earlier appraisal")
		}
		// Grading them on the new branch's earlier appraisal is refused.
		r := f.grade(a2.ID, map[string]any{"member_id": moved, "grade": "qualified"})
		if r.status != 422 || !strings.Contains(string(r.body), "member_id") {
			t.Fatalf("grade off the list: %d %s", r.status, r.body)
		}
	})
}

// 谈心谈话 is owed by the branch a member was at home in at the year's end (issue 10 item 8):
// a member transferred this year is owed by the new branch this year and by the old one for
// the years before.
func TestTalksOwedWhereTheMemberWas(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		moved := f.members["a1m1"]
		if _, err := f.app.Members.Update(context.Background(), auth.System(), moved, member.Patch{OrgID: ptr(f.orgs["A2"])}); err != nil {
			t.Fatal(err)
		}
		owed := func(orgKey string, year int) bool {
			r := f.do("admin", "GET", fmt.Sprintf("/api/v1/talks?org=%d&year=%d", f.orgs[orgKey], year), nil)
			if r.status != 200 {
				t.Fatalf("talks: %d %s", r.status, r.body)
			}
			var l appraisal.TalkList
			r.decode(t, &l)
			for _, m := range l.NotTalked {
				if m.MemberID == moved {
					return true
				}
			}
			return false
		}
		for _, c := range []struct {
			org  string
			year int
			want bool
		}{{"A1", 2025, true}, {"A2", 2025, false}, {"A1", 2026, false}, {"A2", 2026, true}} {
			if got := owed(c.org, c.year); got != c.want {
				t.Errorf("%s %d: owed %v, want %v", c.org, c.year, got, c.want)
			}
		}
	})
}

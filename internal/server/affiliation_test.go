package server

import (
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/life"
	"dangjian/internal/org"
	"dangjian/internal/platform/db"
)

// Second affiliations can be listed (at the organization, and on the member) and ended: the
// caller must write both sides, as to add one; bad input names the field; an ended affiliation
// no longer puts the member on activities from its end and keeps them on earlier ones; the end
// is audited and cannot be repeated.
func TestAffiliationsListedAndEnded(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		temp := f.newOrg("A", org.TempBranch)
		mover, guest := f.members["a1m2"], f.members["b1m1"]
		var tempAff, hostAff life.Affiliation
		r := f.do("staffA", "POST", "/api/v1/affiliations", map[string]any{"member_id": mover, "org_id": temp, "kind": "temporary", "from_date": "2026-11-01"})
		if r.status != 201 {
			t.Fatalf("add: %d %s", r.status, r.body)
		}
		r.decode(t, &tempAff)
		r = f.do("admin", "POST", "/api/v1/affiliations", map[string]any{"member_id": guest, "org_id": f.orgs["A2"], "kind": "host", "from_date": "2026-11-01"})
		if r.status != 201 {
			t.Fatalf("add host: %d %s", r.status, r.body)
		}
		r.decode(t, &hostAff)
		list := func(user, path string) httpxList {
			t.Helper()
			var l httpxList
			r := f.do(user, "GET", path, nil)
			if r.status != 200 {
				t.Fatalf("%s %s: %d %s", user, path, r.status, r.body)
			}
			r.decode(t, &l)
			return l
		}
		l := list("staffA", fmt.Sprintf("/api/v1/orgs/%d/affiliations", temp))
		if l.Total != 1 || l.Items[0].MemberID != mover || l.Items[0].HomeOrgName != "中共和平社区第一支部委员会" || !l.Items[0].CanEnd {
			t.Fatalf("the temporary branch's list: %+v", l)
		}
		l = list("staffB", fmt.Sprintf("/api/v1/members/%d/affiliations", guest))
		if l.Total != 1 || l.Items[0].OrgName != "中共和平社区第二支部委员会" || l.Items[0].Kind != "host" || l.Items[0].CanEnd {
			t.Fatalf("the guest's own list (host out of staffB's scope): %+v", l)
		}
		if r := f.do("staffB", "GET", fmt.Sprintf("/api/v1/orgs/%d/affiliations", temp), nil); r.status != 404 {
			t.Fatalf("another street reads the list: %d", r.status)
		}
		// Ending needs both sides, like adding.
		end := func(user string, id int64, to string) response {
			return f.do(user, "POST", fmt.Sprintf("/api/v1/affiliations/%d/end", id), map[string]any{"to_date": to})
		}
		before := f.stateDigest()
		for _, c := range []struct {
			user  string
			id    int64
			to    string
			want  int
			field string
		}{
			{"staffB", hostAff.ID, "2026-11-15", 403, ""}, // the host is not theirs
			{"staffA", hostAff.ID, "2026-11-15", 403, ""}, // the member is not theirs
			{"viewerA", tempAff.ID, "2026-11-15", 403, ""},
			{"staffA", tempAff.ID, "2026-10-31", 422, "to_date"},
			{"staffA", tempAff.ID, "15/11/2026", 422, "to_date"},
			{"staffA", 999999, "2026-11-15", 403, ""},
		} {
			r := end(c.user, c.id, c.to)
			if r.status != c.want || (c.field != "" && !strings.Contains(string(r.body), `"field":"`+c.field+`"`)) {
				t.Errorf("%s ends %d on %s: %d %s", c.user, c.id, c.to, r.status, r.body)
			}
		}
		if f.stateDigest() != before || f.count(`SELECT COUNT(*) FROM memberships WHERE kind <> 'home' AND to_date <> ''`) != 0 {
			t.Fatal("a refused end changed the state")
		}
		early := f.activityAt(temp, "2026-11-10T09:00:00+08:00", 0, "branch_general_meeting")
		late := f.activityAt(temp, "2026-11-20T09:00:00+08:00", 0, "branch_general_meeting")
		if r := end("staffA", tempAff.ID, "2026-11-15"); r.status != 200 {
			t.Fatalf("end: %d %s", r.status, r.body)
		}
		if r := end("staffA", tempAff.ID, "2026-11-16"); r.status != 409 {
			t.Fatalf("ended twice: %d %s", r.status, r.body)
		}
		if n := f.count(`SELECT COUNT(*) FROM audit WHERE action = 'affiliation_end' AND entity_id = ?`, mover); n != 1 {
			t.Errorf("%d audit entries for the end", n)
		}
		if _, ok := f.attendanceOf(early.ID)[mover]; !ok {
			t.Error("the member left the activity before the end")
		}
		if _, ok := f.attendanceOf(late.ID)[mover]; ok {
			t.Error("the member is on an activity after the end")
		}
		if r := f.putAttendance(late.ID, life.AttendanceItem{MemberID: mover, State: "present"}); r.status != 422 {
			t.Errorf("attendance after the end: %d %s", r.status, r.body)
		}
		if l := list("staffA", fmt.Sprintf("/api/v1/orgs/%d/affiliations", temp)); l.Total != 0 {
			t.Errorf("an ended affiliation is listed as current: %+v", l)
		}
		if l := list("staffA", fmt.Sprintf("/api/v1/members/%d/affiliations?all=true", mover)); l.Total != 1 || l.Items[0].ToDate != "2026-11-15" || l.Items[0].CanEnd {
			t.Errorf("with all: %+v", l)
		}
	})
}

type httpxList struct {
	Items []life.AffiliationItem `json:"items"`
	Total int                    `json:"total"`
}

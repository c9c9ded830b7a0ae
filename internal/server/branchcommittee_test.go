package server

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"dangjian/internal/life/rules"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// newPost gives a fresh member of a branch a committee post from 1 January 2026.
func (f *fixture) newPost(orgKey, role string) int64 {
	f.t.Helper()
	c, err := f.app.Orgs.AddToCommittee(context.Background(), auth.System(), f.orgs[orgKey],
		org.CommitteeFields{MemberID: f.newMember(orgKey), Role: role, From: "2026-01-01"})
	if err != nil {
		f.t.Fatalf("post %s: %v", role, err)
	}
	return c.ID
}

// orgFlags is an organization's check flags as the API shows them.
func (f *fixture) orgFlags(key string) []string {
	f.t.Helper()
	var o org.Org
	f.do("admin", "GET", fmt.Sprintf("/api/v1/orgs/%d", f.orgs[key]), nil).decode(f.t, &o)
	return o.Flags
}

func has(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// 应设支部委员会: the 7th full member in good standing arriving in a branch with no committee
// raises the check (a 失联 one does not count); three members taking posts clear it; ending
// one brings it back. The committee is the one truth of the secretary. Bad posts get a 422
// naming the field in Chinese and English and change nothing. Maintained == recount.
func TestBranchCommitteeCheck(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		var a2 []int64
		for i := 0; i < 6; i++ {
			a2 = append(a2, f.newMember("A2"))
		}
		lost := f.memberOf(f.orgs["A2"], "full", "lost")
		if has(f.orgFlags("A2"), org.CheckNoCommittee) {
			t.Fatalf("6 in good standing and one lost: %v", f.orgFlags("A2"))
		}
		a2 = append(a2, f.newMember("A2")) // the 7th
		if !has(f.orgFlags("A2"), org.CheckNoCommittee) {
			t.Fatalf("7 full members, no committee: %v", f.orgFlags("A2"))
		}
		checkCount := func() int {
			var st org.Stats
			f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d/stats", f.orgs["A"]), nil).decode(t, &st)
			return st.Checks[org.CheckNoCommittee].Count
		}
		if n := checkCount(); n != 1 {
			t.Errorf("rollup at A: %d", n)
		}
		post := func(user string, body map[string]any) response {
			return f.do(user, "POST", fmt.Sprintf("/api/v1/orgs/%d/committee", f.orgs["A2"]), body)
		}
		// Bad posts: 422 naming the field, nothing changes.
		before := f.count(`SELECT COUNT(*) FROM committee_members`)
		for _, c := range []struct {
			body  map[string]any
			field string
			zh    string
		}{
			{map[string]any{"member_id": f.members["a1m1"], "role": "secretary", "from_date": "2026-01-01"}, "member_id", "不是本支部状态正常的党员"},
			{map[string]any{"member_id": lost, "role": "secretary", "from_date": "2026-01-01"}, "member_id", "不是本支部状态正常的党员"},
			{map[string]any{"member_id": a2[0], "role": "chair", "from_date": "2026-01-01"}, "role", "职务"},
			{map[string]any{"member_id": a2[0], "role": "secretary", "from_date": "2026-13-01"}, "from_date", "任职日期"},
			{map[string]any{"member_id": a2[0], "role": "secretary", "from_date": "2027-01-01"}, "from_date", "不能晚于今天"},
		} {
			r := post("staffA", c.body)
			if r.status != 422 {
				t.Fatalf("%v: %d %s", c.body, r.status, r.body)
			}
			if p := decodeProblem(t, r); p.Errors[0].Field != c.field || !strings.Contains(p.Errors[0].Message, c.zh) {
				t.Errorf("%v: %+v", c.body, p.Errors)
			}
		}
		// The secretary of the branch and staff above may write; a viewer may not.
		if r := post("viewerA", map[string]any{"member_id": a2[0], "role": "secretary", "from_date": "2025-01-01"}); r.status != 403 {
			t.Errorf("viewer: %d", r.status)
		}
		if r := post("staffA", map[string]any{"member_id": a2[0], "role": "secretary", "from_date": "2025-01-01"}); r.status != 201 {
			t.Fatalf("secretary: %d %s", r.status, r.body)
		}
		// Overlapping the same post: refused, in English too.
		r := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/committee", f.orgs["A2"]),
			map[string]any{"member_id": a2[1], "role": "secretary", "from_date": "2026-06-01"}, "Accept-Language", "en")
		if p := decodeProblem(t, r); r.status != 422 || p.Errors[0].Field != "role" || !strings.Contains(p.Errors[0].Message, "already holds Secretary") {
			t.Errorf("overlap: %d %s", r.status, r.body)
		}
		if n := f.count(`SELECT COUNT(*) FROM committee_members`); n != before+1 {
			t.Errorf("bad posts changed the list: %d rows", n)
		}
		var o org.Org
		f.do("admin", "GET", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A2"]), nil).decode(t, &o)
		var name string
		if err := d.QueryRow(ctx, `SELECT name FROM members WHERE id = ?`, a2[0]).Scan(&name); err != nil {
			t.Fatal(err)
		}
		if o.Secretary != name {
			t.Errorf("secretary %q, want the committee's %q", o.Secretary, name)
		}
		if r := f.do("staffA", "PATCH", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A2"]), map[string]any{"secretary": "别人"}); r.status != 422 || decodeProblem(t, r).Errors[0].Field != "secretary" {
			t.Errorf("second truth of the secretary: %d %s", r.status, r.body)
		}
		// Two posts: still no committee; the third clears it.
		if r := post("staffA", map[string]any{"member_id": a2[1], "role": "organization", "from_date": "2025-01-01"}); r.status != 201 {
			t.Fatalf("organization: %d %s", r.status, r.body)
		}
		if !has(f.orgFlags("A2"), org.CheckNoCommittee) {
			t.Error("two posts held: the check should stand")
		}
		var third org.CommitteeMember
		post("staffA", map[string]any{"member_id": a2[2], "role": "propaganda", "from_date": "2025-01-01"}).decode(t, &third)
		if has(f.orgFlags("A2"), org.CheckNoCommittee) || checkCount() != 0 {
			t.Errorf("three posts held: %v, rollup %d", f.orgFlags("A2"), checkCount())
		}
		// Ending a term: not before it began; then the check is back.
		end := func(id int64, to string) response {
			return f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/committee/%d/end", f.orgs["A2"], id), map[string]any{"to_date": to})
		}
		if r := end(third.ID, "2024-12-31"); r.status != 422 || decodeProblem(t, r).Errors[0].Field != "to_date" {
			t.Errorf("end before start: %d %s", r.status, r.body)
		}
		if r := end(third.ID, "2026-11-01"); r.status != 200 {
			t.Fatalf("end: %d %s", r.status, r.body)
		}
		if r := end(third.ID, "2026-11-02"); r.status != 422 {
			t.Errorf("ended twice: %d", r.status)
		}
		if !has(f.orgFlags("A2"), org.CheckNoCommittee) {
			t.Error("a post ended: the check should be back")
		}
		var list struct {
			Items []org.CommitteeMember `json:"items"`
		}
		f.do("viewerA", "GET", fmt.Sprintf("/api/v1/orgs/%d/committee?at=2026-06-01", f.orgs["A2"]), nil).decode(t, &list)
		if len(list.Items) != 3 {
			t.Errorf("posts held on 1 June: %+v", list.Items)
		}
		f.do("viewerA", "GET", fmt.Sprintf("/api/v1/orgs/%d/committee?at=2026-11-01", f.orgs["A2"]), nil).decode(t, &list)
		if len(list.Items) != 2 {
			t.Errorf("posts held on 1 November: %+v", list.Items)
		}
		if n := f.count(`SELECT COUNT(*) FROM audit WHERE entity = 'org' AND entity_id = ? AND action IN ('committee_add', 'committee_end')`, f.orgs["A2"]); n != 4 {
			t.Errorf("audited %d committee changes", n)
		}
		// Maintained == recount (flags, checks, rollup).
		snap := func() string {
			return fmt.Sprint(rollupSnapshot(t, d), rowsSnapshot(t, d, `SELECT id, flags, committee_size FROM orgs`), rowsSnapshot(t, d, `SELECT check_name, path FROM org_checks`))
		}
		maintained := snap()
		if _, err := f.app.Tree.Recount(ctx, f.app.DB); err != nil {
			t.Fatal(err)
		}
		if recount := snap(); recount != maintained {
			t.Fatalf("maintained %s\nrecount    %s", maintained, recount)
		}
		_ = sys
	})
}

// A 支委会's attendance list is the committee on the meeting's day, not the whole branch:
// a post ended in June is on March's list and not July's; the member who took a post in June
// is on July's only; a meeting that is also a 主题党日 is for the whole branch; a member off
// the committee cannot be recorded (a 列席 guest can).
func TestCommitteeMeetingRoster(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		var m []int64
		for i := 0; i < 8; i++ {
			m = append(m, f.newMember("A2"))
		}
		add := func(member int64, role, from string) int64 {
			c, err := f.app.Orgs.AddToCommittee(ctx, sys, f.orgs["A2"], org.CommitteeFields{MemberID: member, Role: role, From: from})
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		add(m[0], "secretary", "2026-01-01")
		org2 := add(m[1], "organization", "2026-01-01")
		if _, err := f.app.Orgs.EndCommitteeTerm(ctx, sys, f.orgs["A2"], org2, org.EndTerm{To: "2026-06-01"}); err != nil {
			t.Fatal(err)
		}
		add(m[2], "organization", "2026-06-01")
		rosterOf := func(at string, kinds ...string) map[int64]bool {
			a := f.activityAt(f.orgs["A2"], at, 0, kinds...)
			var att struct {
				Items []struct {
					MemberID int64 `json:"member_id"`
				} `json:"items"`
			}
			f.do("staffA", "GET", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), nil).decode(t, &att)
			out := map[int64]bool{}
			for _, it := range att.Items {
				out[it.MemberID] = true
			}
			out[-a.ID] = true // the activity, for the caller
			return out
		}
		march := rosterOf("2026-03-10T02:00:00Z", "committee_meeting")
		if len(march) != 3 || !march[m[0]] || !march[m[1]] {
			t.Errorf("March 支委会: %v", march)
		}
		july := rosterOf("2026-07-10T02:00:00Z", "committee_meeting")
		if len(july) != 3 || !july[m[0]] || !july[m[2]] {
			t.Errorf("July 支委会: %v", july)
		}
		if both := rosterOf("2026-07-11T02:00:00Z", "committee_meeting", "theme_day"); len(both) != 9 {
			t.Errorf("支委会 on a 主题党日: %d on the list", len(both)-1)
		}
		var id int64
		for k := range july {
			if k < 0 {
				id = -k
			}
		}
		r := f.do("staffA", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", id), map[string]any{
			"items": []map[string]any{{"member_id": m[5], "state": "present"}}})
		if r.status != 422 {
			t.Errorf("a member off the committee recorded: %d %s", r.status, r.body)
		}
		r = f.do("staffA", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", id), map[string]any{
			"items": []map[string]any{{"member_id": m[0], "state": "present"}}, "guests": []map[string]any{{"name": "列席人", "note": "党员"}}})
		if r.status != 200 {
			t.Errorf("the committee with a 列席 guest: %d %s", r.status, r.body)
		}
	})
}

// The org checks run with the figures of the pack in force: the national pack's before any
// load (the migration's seed equals them), a loaded pack's after (its org section and its
// 支委会 rule's min_full_members), and maintained == recount under them.
func TestOrgThresholdsFromPack(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		seed, err := org.CurrentThresholds(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if want := rules.DefaultPack().OrgThresholds(); seed != want || want.MinFull == 0 || want.CommitteeFrom == 0 {
			t.Fatalf("seed %+v, national pack %+v", seed, want)
		}
		if got := f.orgFlags("A1"); len(got) != 0 {
			t.Fatalf("A1 (4 full members) under the national pack: %v", got)
		}
		text, err := os.ReadFile("../life/rules/rulepacks/examples/zhejiang-example.yaml")
		if err != nil {
			t.Fatal(err)
		}
		local := strings.Replace(string(text), "min_full_members: 7", "min_full_members: 4", 1) +
			"org:\n  min_full_members: 5\n  max_members: 3\n  committee_min_members: 2\n  source: 测试\n"
		if r := f.do("admin", "POST", "/api/v1/rulepacks", rawBody([]byte(local))); r.status != 201 {
			t.Fatalf("load: %d %s", r.status, r.body)
		}
		f.app.Life.Wait()
		got := f.orgFlags("A1")
		for _, c := range []string{org.CheckTooSmall, org.CheckTooLarge, org.CheckNoCommittee} {
			if !has(got, c) {
				t.Errorf("A1 under the loaded pack lacks %s: %v", c, got)
			}
		}
		if th, _ := org.CurrentThresholds(ctx, d); th != (org.Thresholds{MinFull: 5, MaxMembers: 3, CommitteeFrom: 4, CommitteeMin: 2}) {
			t.Errorf("thresholds in force %+v", th)
		}
		// Maintained under the new figures == recount.
		f.newMember("A1")
		maintained := fmt.Sprint(rollupSnapshot(t, d), rowsSnapshot(t, d, `SELECT id, flags FROM orgs`))
		if _, err := f.app.Tree.Recount(ctx, f.app.DB); err != nil {
			t.Fatal(err)
		}
		if recount := fmt.Sprint(rollupSnapshot(t, d), rowsSnapshot(t, d, `SELECT id, flags FROM orgs`)); recount != maintained {
			t.Fatalf("maintained %s\nrecount    %s", maintained, recount)
		}
	})
}

package server

import (
	"context"
	"fmt"
	"testing"

	"dangjian/internal/commitment"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/volunteer"
)

// newCommitment drafts a commitment for a new member of A1 (or memberKey's, when given) as the
// system and takes it to state (draft, confirmed or kept); it returns the commitment's id.
func (f *fixture) newCommitment(memberKey, state string) int64 {
	f.t.Helper()
	ctx, sys := context.Background(), auth.System()
	m := f.members[memberKey]
	if m == 0 {
		m = f.newMember("A1")
	}
	c, err := f.app.Commitments.Draft(ctx, sys, commitment.NewCommitment{MemberID: m, Category: "service", Content: "为居民义务理发", DueDate: "2026-12-20"})
	if err == nil && state != commitment.Draft {
		_, err = f.app.Commitments.Confirm(ctx, sys, c.ID)
	}
	if err == nil && state == commitment.Kept {
		_, err = f.app.Commitments.Record(ctx, sys, c.ID, commitment.CommitmentOutcome{Result: commitment.Kept, Note: "已完成"})
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return c.ID
}

// newRegistration registers a new member of A1 with the community A2 and returns its id.
func (f *fixture) newRegistration() int64 {
	f.t.Helper()
	g, err := f.app.Volunteer.Register(context.Background(), auth.System(), volunteer.NewVolunteerRegistration{MemberID: f.newMember("A1"), CommunityID: f.orgs["A2"]})
	if err != nil {
		f.t.Fatal(err)
	}
	return g.ID
}

// newVolunteerRecord records a pending service organized by A1 for memberKey (a new member of
// A1 when "") and returns its id.
func (f *fixture) newVolunteerRecord(memberKey string) int64 {
	f.t.Helper()
	m := f.members[memberKey]
	if m == 0 {
		m = f.newMember("A1")
	}
	r, err := f.app.Volunteer.Add(context.Background(), auth.System(), volunteer.NewVolunteerRecord{MemberID: m, OrganizerID: f.orgs["A1"], Day: "2026-11-01", Hours: 2, What: "清理楼道"})
	if err != nil {
		f.t.Fatal(err)
	}
	return r.ID
}

// endRegistrations ends a member's live registration (as the system), so they can register again.
func (f *fixture) endRegistrations(memberKey string) {
	f.t.Helper()
	var id int64
	_ = f.app.DB.QueryRow(context.Background(), `SELECT id FROM volunteer_registrations WHERE member_id = ? AND to_date IS NULL`, f.members[memberKey]).Scan(&id)
	if id != 0 {
		if _, err := f.app.Volunteer.End(context.Background(), auth.System(), id); err != nil {
			f.t.Fatal(err)
		}
	}
}

// TestCommitmentsOverHTTP: bad input is a 422 naming each field and writes nothing; a kept
// commitment and a confirmed volunteer record show in the member's points; the parts follow a
// move of the branch (maintained == recount).
func TestCommitmentsOverHTTP(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.pointsScheme()
		before := f.stateDigest()
		r := f.do("memA", "POST", "/api/v1/commitments", map[string]any{"category": "nope", "content": "", "due_date": "2026-13-01"})
		if r.status != 422 || f.stateDigest() != before {
			t.Fatalf("bad commitment: %d %s", r.status, r.body)
		}
		for _, field := range []string{`"category"`, `"content"`, `"due_date"`, "承诺类别"} {
			if !contains(string(r.body), field) {
				t.Errorf("bad commitment: %s not named in %s", field, r.body)
			}
		}
		r = f.do("memA", "POST", "/api/v1/volunteer/records", map[string]any{"organizer_id": f.orgs["B1"], "day": "2026-11-01", "hours": 30, "what": "x"})
		if r.status != 422 || !contains(string(r.body), `"organizer_id"`) || !contains(string(r.body), `"hours"`) {
			t.Fatalf("bad record: %d %s", r.status, r.body)
		}
		var c commitment.Commitment
		f.do("memA", "POST", "/api/v1/commitments", map[string]any{"category": "work", "content": "带头完成岗位任务", "due_date": "2026-12-31"}).decode(t, &c)
		for _, step := range []struct {
			path string
			body any
		}{{"confirm", nil}, {"outcome", map[string]any{"result": "kept", "note": "已完成"}}} {
			if r := f.do("secA", "POST", fmt.Sprintf("/api/v1/commitments/%d/%s", c.ID, step.path), step.body); r.status != 200 {
				t.Fatalf("%s: %d %s", step.path, r.status, r.body)
			}
		}
		var rec volunteer.VolunteerRecord
		f.do("memA", "POST", "/api/v1/volunteer/records", map[string]any{"organizer_id": f.orgs["A1"], "day": "2026-11-01", "hours": 1.5, "what": "清理楼道"}).decode(t, &rec)
		if r := f.do("secA", "POST", fmt.Sprintf("/api/v1/volunteer/records/%d/decide", rec.ID), map[string]any{"action": "confirm"}); r.status != 200 {
			t.Fatalf("confirm: %d %s", r.status, r.body)
		}
		var pts struct {
			Earned int `json:"earned"`
		}
		f.do("memA", "GET", fmt.Sprintf("/api/v1/members/%d/points?year=2026", f.members["a1m1"]), nil).decode(t, &pts)
		if pts.Earned != 5 {
			t.Fatalf("points from a kept commitment and a confirmed record: %d", pts.Earned)
		}
		if r := f.do("admin", "POST", fmt.Sprintf("/api/v1/orgs/%d/move", f.orgs["A1"]), map[string]any{"parent_id": f.orgs["B"]}); r.status != 200 {
			t.Fatalf("move: %d %s", r.status, r.body)
		}
		var cs commitment.CommitmentSummary
		f.do("staffB", "GET", fmt.Sprintf("/api/v1/orgs/%d/commitments/summary?year=2026", f.orgs["B"]), nil).decode(t, &cs)
		var vs volunteer.VolunteerSummary
		f.do("staffB", "GET", fmt.Sprintf("/api/v1/orgs/%d/volunteer/summary?year=2026", f.orgs["B"]), nil).decode(t, &vs)
		if cs.Kept != 1 || vs.Hours != 1.5 {
			t.Fatalf("B after the move: %+v %+v", cs, vs)
		}
		maintained := rollupSnapshot(t, d)
		if _, err := f.app.Tree.Recount(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		if recount := rollupSnapshot(t, d); fmt.Sprint(maintained) != fmt.Sprint(recount) {
			t.Fatalf("maintained ≠ recount:\n%v\n%v", maintained, recount)
		}
	})
}

// TestCommitmentReminder: a confirmed commitment due within the catalogue's reminder days
// sends the branch's secretary one notice (again: none); one due later, none; the secretary
// reads it in their notices.
func TestCommitmentReminder(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		days := commitment.Current().RemindDays
		soon := fixtureNow.AddDate(0, 0, days-1).Format("2006-01-02")
		for _, due := range []string{soon, "2026-12-31"} {
			c, err := f.app.Commitments.Draft(ctx, sys, commitment.NewCommitment{MemberID: f.members["a1m2"], Category: "work", Content: "到期提醒测试 " + due, DueDate: due})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.app.Commitments.Confirm(ctx, sys, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		notices := func() int {
			return f.count(`SELECT COUNT(*) FROM notices WHERE user_id = ? AND dedupe_key LIKE 'commitment:%'`, f.users["secA"])
		}
		for range 2 {
			if _, err := f.app.Commitments.Remind(ctx, fixtureNow); err != nil {
				t.Fatal(err)
			}
		}
		if n := notices(); n != 1 {
			t.Fatalf("%d reminders for the secretary, want 1 (the one due within %d days)", n, days)
		}
		var l struct {
			Items []struct{ Title, Link string }
		}
		f.do("secA", "GET", "/api/v1/notices", nil).decode(t, &l)
		if len(l.Items) == 0 || !contains(l.Items[0].Title, soon) || l.Items[0].Link != "/service/branch" {
			t.Fatalf("notices: %+v", l.Items)
		}
	})
}

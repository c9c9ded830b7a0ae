package server

import (
	"context"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/life/compliance"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// memberOf adds a member of a category and status to an organization.
func (f *fixture) memberOf(orgID int64, category, status string) int64 {
	f.t.Helper()
	f.seq++
	fl := member.Fields{OrgID: orgID, Name: fmt.Sprintf("评议%d", f.seq), Ethnicity: "01", IDNumber: validID("1975-03-10", 200+f.seq, true),
		Category: category, JoinDate: "2010-07-01", Education: "bachelor", Status: status}
	if category == "full" {
		fl.FullDate = "2011-07-01"
	} else {
		fl.JoinDate = "2026-03-01"
	}
	if status == "suspended" || status == "lost" {
		fl.StatusNote = "失联满6个月"
	}
	m, err := f.app.Members.Create(context.Background(), auth.System(), fl)
	if err != nil {
		f.t.Fatalf("member %s/%s: %v", category, status, err)
	}
	return m.ID
}

// activityAt records a held activity of an organization at a time, with an optional year it is for.
func (f *fixture) activityAt(orgID int64, at string, forYear int, kinds ...string) life.Activity {
	f.t.Helper()
	body := map[string]any{"org_id": orgID, "kinds": kinds, "topic": "年度会议", "starts_at": at, "held": true, "speaker": "讲师"}
	if forYear != 0 {
		body["for_year"] = forYear
	}
	var a life.Activity
	r := f.do("admin", "POST", "/api/v1/activities", body)
	if r.status != 201 {
		f.t.Fatalf("create: %d %s", r.status, r.body)
	}
	r.decode(f.t, &a)
	return a
}

func (f *fixture) grade(id int64, items ...map[string]any) response {
	return f.do("admin", "PUT", fmt.Sprintf("/api/v1/activities/%d/reviews", id), map[string]any{"items": items})
}

// 民主评议: at most ⌊n/3⌋ 优秀 where n is the branch's full members in good standing — for
// n = 3…10, with probationary, suspended and lost members beside them, and whatever order the
// grades come in. 预备党员 and members not in good standing get no grade.
func TestExcellentCapIsAThirdOfFullMembersRoundedDown(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for n := 3; n <= 10; n++ {
			branch := f.newOrg("A", org.Branch)
			var full []int64
			for i := 0; i < n; i++ {
				full = append(full, f.memberOf(branch, "full", "active"))
			}
			prob := f.memberOf(branch, "probationary", "active")
			f.memberOf(branch, "probationary", "mobile")
			suspended := f.memberOf(branch, "full", "suspended")
			f.memberOf(branch, "full", "lost")
			a := f.activityAt(branch, "2026-11-10T02:00:00Z", 0, "member_review")
			var ap appraisal.Appraisals
			f.do("admin", "GET", fmt.Sprintf("/api/v1/activities/%d/reviews", a.ID), nil).decode(t, &ap)
			want := n / 3
			if ap.Eligible != n || ap.ExcellentCap != want || ap.ExcellentShare != "1/3" || ap.Complete {
				t.Fatalf("n=%d: eligible %d cap %d share %q complete %v", n, ap.Eligible, ap.ExcellentCap, ap.ExcellentShare, ap.Complete)
			}
			// A grade for a 预备党员 or a suspended member names the field and stores nothing.
			for _, id := range []int64{prob, suspended} {
				r := f.grade(a.ID, map[string]any{"member_id": full[0], "grade": "qualified"}, map[string]any{"member_id": id, "grade": "qualified"})
				if p := decodeProblem(t, r); r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "items[1].grade" {
					t.Fatalf("n=%d: grade for member %d: %d %s", n, id, r.status, r.body)
				}
			}
			if c := f.count(`SELECT COUNT(*) FROM member_reviews WHERE activity_id = ?`, a.ID); c != 0 {
				t.Fatalf("n=%d: refused grades stored %d rows", n, c)
			}
			// Excellent first, one at a time: the cap is the same with one graded as with all.
			for i := 0; i < want; i++ {
				if r := f.grade(a.ID, map[string]any{"member_id": full[i], "grade": "excellent"}); r.status != 200 {
					t.Fatalf("n=%d: excellent %d: %d %s", n, i+1, r.status, r.body)
				}
			}
			over := f.grade(a.ID, map[string]any{"member_id": full[want], "grade": "excellent"})
			if p := decodeProblem(t, over); over.status != 422 || p.Errors[0].Field != "override_reason" ||
				!strings.Contains(p.Errors[0].Message, fmt.Sprintf("正式党员%d人的1/3（最多%d人）", n, want)) {
				t.Fatalf("n=%d: one over the cap first: %d %s", n, over.status, over.body)
			}
			// The others qualified, then one of them excellent: still refused (order does not matter).
			for _, id := range full[want:] {
				if r := f.grade(a.ID, map[string]any{"member_id": id, "grade": "qualified"}); r.status != 200 {
					t.Fatalf("n=%d: qualified: %d %s", n, r.status, r.body)
				}
			}
			if r := f.grade(a.ID, map[string]any{"member_id": full[n-1], "grade": "excellent"}); r.status != 422 {
				t.Fatalf("n=%d: one over the cap last: %d %s", n, r.status, r.body)
			}
			f.do("admin", "GET", fmt.Sprintf("/api/v1/activities/%d/reviews", a.ID), nil).decode(t, &ap)
			if ap.Counts["excellent"] != want || ap.Counts["qualified"] != n-want || !ap.Complete {
				t.Fatalf("n=%d: %+v", n, ap.Counts)
			}
			// With a reason, over the cap is kept, with a warning and an audit entry.
			body := map[string]any{"items": []map[string]any{{"member_id": full[n-1], "grade": "excellent"}}, "override_reason": "抗洪抢险表现突出"}
			r := f.do("admin", "PUT", fmt.Sprintf("/api/v1/activities/%d/reviews", a.ID), body)
			r.decode(t, &ap)
			if r.status != 200 || len(ap.Warnings) != 1 || ap.Counts["excellent"] != want+1 {
				t.Fatalf("n=%d: with a reason: %d %s", n, r.status, r.body)
			}
			if c := f.count(`SELECT COUNT(*) FROM audit WHERE entity = 'activity' AND entity_id = ? AND action = 'review' AND changes LIKE '%excellent_over_cap%'`, a.ID); c != 1 {
				t.Errorf("n=%d: %d audit entries of the override", n, c)
			}
		}
	})
}

// 不合格: 限期改正 six months by default, at most a year (422 beyond); at the deadline the branch
// records the outcome, which feeds the member's status; 预备党员 get their own measures; the
// secretary hears of the deadline before it.
func TestUnqualifiedCorrectionAndOutcome(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a1 := f.orgs["A1"]
		prob := f.memberOf(a1, "probationary", "active")
		a := f.activityAt(a1, "2026-11-20T02:00:00Z", 0, "member_review")
		path := fmt.Sprintf("/api/v1/activities/%d/reviews", a.ID)
		for _, c := range []struct {
			deadline string
			status   int
		}{{"2027-11-21", 422}, {"2026-11-20", 422}, {"", 200}, {"2027-11-20", 200}} {
			r := f.grade(a.ID, map[string]any{"member_id": f.members["a1m2"], "grade": "unqualified", "correction_deadline": c.deadline})
			if r.status != c.status {
				t.Fatalf("deadline %q: %d %s", c.deadline, r.status, r.body)
			}
			if c.status == 422 {
				if p := decodeProblem(t, r); p.Errors[0].Field != "items[0].correction_deadline" || !strings.Contains(p.Errors[0].Message, "最长12个月（不晚于2027-11-20）") {
					t.Errorf("deadline %q: %s", c.deadline, r.body)
				}
			}
		}
		var ap appraisal.Appraisals
		f.do("secA", "GET", path, nil).decode(t, &ap)
		if ap.CorrectionDefault != "2027-05-20" || ap.CorrectionLatest != "2027-11-20" {
			t.Errorf("dates: %q %q", ap.CorrectionDefault, ap.CorrectionLatest)
		}
		for _, it := range ap.Items {
			if it.MemberID == f.members["a1m2"] && it.CorrectionDeadline != "2027-11-20" {
				t.Errorf("deadline kept: %q", it.CorrectionDeadline)
			}
		}
		// A month before the deadline the secretary is reminded, once.
		f.clock.Advance(time.Date(2027, 10, 25, 2, 0, 0, 0, time.UTC).Sub(f.clock.Now()))
		f.tokens["secA"] = f.login("secA", testPassword)
		f.tokens["admin"] = f.login("admin", testPassword)
		for i := 0; i < 2; i++ {
			if _, err := f.app.Compliance.Remind(t0(), f.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM notices WHERE user_id = ? AND title LIKE '%限期改正将于2027-11-20到期%'`, f.users["secA"]); n != 1 {
			t.Errorf("%d correction reminders for the secretary", n)
		}
		opath := fmt.Sprintf("/api/v1/activities/%d/outcomes", a.ID)
		outcome := func(memberID int64, o, on string) response {
			return f.do("secA", "POST", opath, map[string]any{"member_id": memberID, "outcome": o, "decided_on": on, "decided_by": "支部党员大会"})
		}
		// Bad decisions name the field and change nothing.
		for _, c := range []struct {
			member      int64
			outcome, on string
			field       string
		}{
			{f.members["a1m2"], "removed", "2027-10-20", "outcome"},          // 除名 only after 劝其退党
			{f.members["a1m2"], "extend_probation", "2027-10-20", "outcome"}, // a full member's measures
			{f.members["a1m1"], "corrected", "2027-10-20", "member_id"},      // not graded 不合格
			{prob, "corrected", "2027-10-20", "outcome"},                     // a 预备党员's measures
			{f.members["a1m2"], "persuade", "2027-12-01", "decided_on"},      // in the future
			{f.members["a1m2"], "persuade", "2026-11-01", "decided_on"},      // before the appraisal
			{f.members["b1m1"], "persuade", "2027-10-20", "member_id"},       // not of this appraisal
		} {
			r := outcome(c.member, c.outcome, c.on)
			if p := decodeProblem(t, r); r.status != 422 || p.Errors[0].Field != c.field {
				t.Errorf("%s %s: %d %s", c.outcome, c.on, r.status, r.body)
			}
		}
		r := f.do("secA", "POST", opath, map[string]any{"member_id": f.members["a1m2"], "outcome": "removed", "decided_on": "2027-10-20", "decided_by": "支部党员大会"}, "Accept-Language", "en-US")
		if p := decodeProblem(t, r); r.status != 422 || p.Errors[0].Message != "Outcome: first decide to persuade the member to leave" {
			t.Errorf("in English: %d %s", r.status, r.body)
		}
		if n := f.count(`SELECT COUNT(*) FROM review_outcomes`); n != 0 {
			t.Fatalf("refused decisions stored %d rows", n)
		}
		// 劝其退党, refused → 除名: the member leaves the roster with the reason.
		for _, o := range []string{"persuade", "removed"} {
			if r := outcome(f.members["a1m2"], o, "2027-10-20"); r.status != 200 {
				t.Fatalf("%s: %d %s", o, r.status, r.body)
			}
		}
		var m member.Member
		f.do("admin", "GET", fmt.Sprintf("/api/v1/members/%d", f.members["a1m2"]), nil).decode(t, &m)
		if m.Status != "expelled" || !strings.Contains(m.StatusNote, "除名") || !strings.Contains(m.StatusNote, "支部党员大会") {
			t.Errorf("member after 除名: %s %q", m.Status, m.StatusNote)
		}
		var list struct{ Total int }
		f.do("admin", "GET", fmt.Sprintf("/api/v1/members?org=%d", a1), nil).decode(t, &list)
		if list.Total != 4 { // a1m1, a1m3, a1m4 and the 预备党员
			t.Errorf("current roster: %d", list.Total)
		}
		if r := outcome(f.members["a1m2"], "corrected", "2027-10-21"); r.status != 409 {
			t.Errorf("a closed case: %d %s", r.status, r.body)
		}
		// The appraisal stays as it was: the removed member is still on it, with the decision.
		f.do("secA", "GET", path, nil).decode(t, &ap)
		found := false
		for _, it := range ap.Items {
			if it.MemberID == f.members["a1m2"] {
				found = it.Outcome != nil && it.Outcome.Outcome == "removed" && it.Grade == "unqualified" && it.Gradable
			}
		}
		if !found || ap.Eligible != 4 {
			t.Errorf("appraisal after 除名: eligible %d %+v", ap.Eligible, ap.Items)
		}
		// A 预备党员 who falls short: 取消预备党员资格 ends membership too.
		if r := outcome(prob, "cancel_probation", "2027-10-20"); r.status != 200 {
			t.Fatalf("cancel probation: %d %s", r.status, r.body)
		}
		f.do("admin", "GET", fmt.Sprintf("/api/v1/members/%d", prob), nil).decode(t, &m)
		if m.Status != "expelled" || !strings.Contains(m.StatusNote, "取消预备党员资格") {
			t.Errorf("probationary after cancellation: %s %q", m.Status, m.StatusNote)
		}
		if n := f.count(`SELECT COUNT(*) FROM audit WHERE action = 'outcome'`); n != 3 {
			t.Errorf("%d outcome audit entries", n)
		}
	})
}

// 组织生活会 and 民主评议 count for the year they are held for: a January meeting for the year
// before by default; 民主评议 is held only when every full member has a grade; the maintained
// rollup equals a recount.
func TestYearAttributionAndCompleteAppraisal(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a1 := f.orgs["A1"]
		// December: an appraisal with three of four graded is not held yet.
		f.clock.Advance(time.Date(2027, 1, 20, 2, 0, 0, 0, time.UTC).Sub(f.clock.Now()))
		f.tokens["admin"] = f.login("admin", testPassword)
		f.tokens["secA"] = f.login("secA", testPassword)
		rev := f.activityAt(a1, "2026-12-10T02:00:00Z", 0, "member_review")
		if rev.ForYear != 2026 {
			t.Errorf("December appraisal for %d", rev.ForYear)
		}
		for _, k := range []string{"a1m1", "a1m2", "a1m3"} {
			if r := f.grade(rev.ID, map[string]any{"member_id": f.members[k], "grade": "qualified"}); r.status != 200 {
				t.Fatalf("grade: %d %s", r.status, r.body)
			}
		}
		if fd := findingOf(t, f, "A1", "2026", "member_review.year", "2026"); fd.Status != rules.Missing || fd.Held != 0 {
			t.Errorf("appraisal with one member ungraded: %+v", fd)
		}
		// A 组织生活会 held on 15 January 2027 is, by default, for 2026; one for 2025 is refused.
		if r := f.do("admin", "POST", "/api/v1/activities", map[string]any{"org_id": a1, "kinds": []string{"life_meeting"}, "topic": "组织生活会",
			"starts_at": "2027-01-15T02:00:00Z", "held": true, "for_year": 2025}); r.status != 422 || decodeProblem(t, r).Errors[0].Field != "for_year" {
			t.Errorf("for 2025: %d %s", r.status, r.body)
		}
		jan := f.activityAt(a1, "2027-01-15T02:00:00Z", 0, "life_meeting", "theme_day")
		if jan.ForYear != 2026 {
			t.Errorf("January meeting for %d", jan.ForYear)
		}
		if fd := findingOf(t, f, "A1", "2026", "life_meeting.year", "2026"); fd.Status != rules.Met {
			t.Errorf("2026 组织生活会: %+v", fd)
		}
		if fd := findingOf(t, f, "A1", "2027", "life_meeting.year", "2027"); fd.Held != 0 {
			t.Errorf("2027 组织生活会: %+v", fd)
		}
		if fd := findingOf(t, f, "A1", "2027-01", "theme_day.month", "2027-01"); fd.Status != rules.Met {
			t.Errorf("the same meeting's 主题党日 is January's: %+v", fd)
		}
		// The secretary says it is for 2027 instead: it moves.
		if r := f.do("admin", "PATCH", fmt.Sprintf("/api/v1/activities/%d", jan.ID), map[string]any{"for_year": 2027}); r.status != 200 {
			t.Fatalf("patch: %d %s", r.status, r.body)
		}
		if fd := findingOf(t, f, "A1", "2027", "life_meeting.year", "2027"); fd.Status != rules.Met {
			t.Errorf("2027 after the change: %+v", fd)
		}
		if fd := findingOf(t, f, "A1", "2026", "life_meeting.year", "2026"); fd.Status != rules.Missing {
			t.Errorf("2026 after the change: %+v", fd)
		}
		// The last grade completes the appraisal.
		if r := f.grade(rev.ID, map[string]any{"member_id": f.members["a1m4"], "grade": "excellent"}); r.status != 200 {
			t.Fatalf("grade: %d %s", r.status, r.body)
		}
		if fd := findingOf(t, f, "A1", "2026", "member_review.year", "2026"); fd.Status != rules.Met {
			t.Errorf("appraisal complete: %+v", fd)
		}
		var s compliance.Summary
		f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2026", f.orgs["A"]), nil).decode(t, &s)
		for _, rs := range s.Rules {
			if rs.RuleID == "member_review.year" && (rs.Met != 1 || rs.Required != 2) || rs.RuleID == "life_meeting.year" && rs.Met != 0 {
				t.Errorf("summary: %+v", rs)
			}
		}
		before, metBefore := rollupSnapshot(t, d), metSnapshot(t, d)
		if _, err := f.app.Tree.Recount(t0(), f.app.DB); err != nil {
			t.Fatal(err)
		}
		if after := rollupSnapshot(t, d); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("maintained %v\nrecount    %v", before, after)
		}
		if after := metSnapshot(t, d); fmt.Sprint(metBefore) != fmt.Sprint(after) {
			t.Errorf("life_met maintained %v\nrecount            %v", metBefore, after)
		}
	})
}

// 谈心谈话 is a rule: met when every current member in good standing has a talk that year; the
// rollup follows each talk; a member added later counts from the nightly recount.
func TestHeartTalkRule(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a1 := f.orgs["A1"]
		f.memberOf(a1, "full", "lost") // not in good standing: not required
		talk := func(key string) {
			if r := f.do("secA", "POST", "/api/v1/talks", map[string]any{"org_id": a1, "talker": "书记A1", "member_id": f.members[key], "talked_on": "2026-11-20"}); r.status != 201 {
				t.Fatalf("talk: %d %s", r.status, r.body)
			}
		}
		met := func() int {
			var s compliance.Summary
			f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2026", f.orgs["A"]), nil).decode(t, &s)
			for _, rs := range s.Rules {
				if rs.RuleID == "heart_talk.year" {
					return rs.Met
				}
			}
			t.Fatal("no heart_talk.year in the summary")
			return 0
		}
		for _, k := range []string{"a1m1", "a1m2", "a1m3"} {
			talk(k)
		}
		if fd := findingOf(t, f, "A1", "2026", "heart_talk.year", "2026"); fd.Status != rules.DueSoon || met() != 0 {
			t.Errorf("three of four: %+v", fd)
		}
		// Reminded like the other rules (due within 45 days).
		if _, err := f.app.Compliance.Remind(t0(), f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if n := f.count(`SELECT COUNT(*) FROM notices WHERE user_id = ? AND title LIKE '%谈心谈话%'`, f.users["secA"]); n != 1 {
			t.Errorf("%d heart-talk reminders", n)
		}
		talk("a1m4")
		if fd := findingOf(t, f, "A1", "2026", "heart_talk.year", "2026"); fd.Status != rules.Met || met() != 1 {
			t.Errorf("all four: %+v", fd)
		}
		before := rollupSnapshot(t, d)
		if _, err := f.app.Tree.Recount(t0(), f.app.DB); err != nil {
			t.Fatal(err)
		}
		if after := rollupSnapshot(t, d); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("maintained %v\nrecount    %v", before, after)
		}
		// A new member: the findings know at once, the summary after the nightly recount.
		f.newMember("A1")
		if fd := findingOf(t, f, "A1", "2026", "heart_talk.year", "2026"); fd.Status == rules.Met {
			t.Errorf("a member not talked with: %+v", fd)
		}
		if _, err := f.app.Tree.Recount(t0(), f.app.DB); err != nil {
			t.Fatal(err)
		}
		if met() != 0 {
			t.Error("the recount still counts the branch")
		}
	})
}

// The shipped example local pack adds the branch 党课 every quarter and the secretary's yearly
// one; a lecture counts for the secretary's rule only when the secretary gives it.
func TestExampleLocalPackLectures(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		text, err := os.ReadFile("../life/rules/rulepacks/examples/zhejiang-example.yaml")
		if err != nil {
			t.Fatal(err)
		}
		if r := f.do("admin", "POST", "/api/v1/rulepacks", rawBody(text)); r.status != 201 {
			t.Fatalf("load: %d %s", r.status, r.body)
		}
		f.app.Life.Wait()
		lecture := func(speaker string) {
			if r := f.do("admin", "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"party_lecture"}, "topic": "党课",
				"starts_at": "2026-11-10T02:00:00Z", "held": true, "speaker": speaker}); r.status != 201 {
				t.Fatalf("lecture: %d %s", r.status, r.body)
			}
		}
		lecture("市委党校讲师")
		if fd := findingOf(t, f, "A1", "2026-Q4", "party_lecture.quarter", "2026-Q4"); fd.Status != rules.Met || !strings.Contains(fd.Source, "示例") {
			t.Errorf("quarterly lecture: %+v", fd)
		}
		if fd := findingOf(t, f, "A1", "2026", "party_lecture.branch_secretary.year", "2026"); fd.Held != 0 {
			t.Errorf("a guest's lecture counted for the secretary: %+v", fd)
		}
		lecture("书记A1")
		if fd := findingOf(t, f, "A1", "2026", "party_lecture.branch_secretary.year", "2026"); fd.Status != rules.Met || fd.Held != 1 {
			t.Errorf("the secretary's lecture: %+v", fd)
		}
	})
}

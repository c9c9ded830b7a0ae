package server

import (
	"bytes"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/life/attachments"
	"dangjian/internal/life/compliance"
	"dangjian/internal/life/signin"
	"fmt"
	"image"
	_ "image/jpeg"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

type findingList struct {
	Items []struct {
		OrgID      int64           `json:"org_id"`
		ParentName string          `json:"parent_name"`
		Findings   []rules.Finding `json:"findings"`
	} `json:"items"`
	Total int `json:"total"`
}

func findingOf(t *testing.T, f *fixture, orgKey, period, rule, sub string) rules.Finding {
	t.Helper()
	var l findingList
	r := f.do("secA", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=%s", f.orgs[orgKey], period), nil)
	if r.status != 200 {
		t.Fatalf("compliance: %d %s", r.status, r.body)
	}
	r.decode(t, &l)
	for _, fd := range l.Items[0].Findings {
		if fd.RuleID == rule && fd.Period == sub {
			return fd
		}
	}
	t.Fatalf("no finding %s %s in %+v", rule, sub, l)
	return rules.Finding{}
}

// The branch records one meeting that is a 主题党日 and a 党课 with attendance and an
// exemption; its compliance changes; the street returns it, the branch fixes and resubmits,
// the street accepts; a correction is an amendment that keeps the original.
func TestActivityWorkflow(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		if fd := findingOf(t, f, "A1", "2026-11", "theme_day.month", "2026-11"); fd.Status != rules.Pending || fd.Held != 0 || fd.Source == "" {
			t.Fatalf("before: %+v", fd)
		}
		// An exemption recorded once carries over to the activity.
		if r := f.do("secA", "POST", "/api/v1/exemptions", map[string]any{"member_id": f.members["a1m4"], "reason": "长期病休", "from_date": "2026-09-01", "to_date": "2027-08-31"}); r.status != 201 {
			t.Fatalf("exemption: %d %s", r.status, r.body)
		}
		var a life.Activity
		r := f.do("secA", "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"theme_day", "party_lecture"},
			"topic": "学习贯彻全会精神", "starts_at": "2026-11-18T01:30:00Z", "place": "社区党群服务中心", "host": "书记A1", "speaker": "书记A1", "held": true})
		if r.status != 201 {
			t.Fatalf("create: %d %s", r.status, r.body)
		}
		r.decode(t, &a)
		var att life.Attendance
		f.do("secA", "GET", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), nil).decode(t, &att)
		if att.Expected != 4 || att.Exempt != 1 {
			t.Fatalf("roster: %+v", att)
		}
		r = f.do("secA", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), map[string]any{
			"items": []map[string]any{{"member_id": f.members["a1m1"], "state": "present"}, {"member_id": f.members["a1m2"], "state": "present"},
				{"member_id": f.members["a1m3"], "state": "leave", "reason": "外地出差"}},
			"guests": []map[string]any{{"name": "街道联络员", "note": "列席"}}})
		if r.status != 200 {
			t.Fatalf("attendance: %d %s", r.status, r.body)
		}
		r.decode(t, &att)
		if att.Present != 2 || att.Leave != 1 || att.Exempt != 1 || att.Rate < 0.66 || att.Rate > 0.67 || len(att.Guests) != 1 {
			t.Fatalf("attendance: %+v", att)
		}
		// A leave without a reason names the field.
		r = f.do("secA", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), map[string]any{"items": []map[string]any{{"member_id": f.members["a1m1"], "state": "leave"}}})
		if p := decodeProblem(t, r); r.status != 422 || p.Errors[0].Field != "items[0].reason" {
			t.Fatalf("leave without reason: %d %s", r.status, r.body)
		}
		// One record satisfies two rules.
		if fd := findingOf(t, f, "A1", "2026-11", "theme_day.month", "2026-11"); fd.Status != rules.Met {
			t.Errorf("theme day: %+v", fd)
		}
		if fd := findingOf(t, f, "A1", "2026", "branch_general_meeting.quarter", "2026-Q4"); fd.Status != rules.Pending {
			t.Errorf("general meeting: %+v", fd)
		}
		// Submit → return (with a comment) → edit → resubmit → accept.
		steps := []struct {
			who, action string
			body        any
			status      int
			state       string
		}{
			{"secA", "submit", nil, 200, life.Submitted},
			{"secA", "accept", nil, 403, ""},
			{"staffA", "return", map[string]any{"comment": ""}, 422, ""},
			{"staffA", "return", map[string]any{"comment": "请补充会议记录"}, 200, life.Returned},
		}
		for _, s := range steps {
			r := f.do(s.who, "POST", fmt.Sprintf("/api/v1/activities/%d/%s", a.ID, s.action), s.body)
			if r.status != s.status {
				t.Fatalf("%s %s: %d %s", s.who, s.action, r.status, r.body)
			}
			if s.state != "" {
				r.decode(t, &a)
				if a.State != s.state {
					t.Fatalf("%s: state %s", s.action, a.State)
				}
			}
		}
		if a.ReviewComment != "请补充会议记录" || !a.Can.Edit {
			t.Fatalf("returned record: %+v", a)
		}
		if r := f.do("secA", "PATCH", fmt.Sprintf("/api/v1/activities/%d", a.ID), map[string]any{"minutes": "会议学习了全会精神，讨论了……"}); r.status != 200 {
			t.Fatalf("edit returned: %d %s", r.status, r.body)
		}
		for _, s := range []struct{ who, action string }{{"secA", "submit"}, {"staffA", "accept"}} {
			if r := f.do(s.who, "POST", fmt.Sprintf("/api/v1/activities/%d/%s", a.ID, s.action), nil); r.status != 200 {
				t.Fatalf("%s: %d %s", s.action, r.status, r.body)
			}
		}
		// Accepted records are locked; a correction is an amendment.
		if r := f.do("secA", "PATCH", fmt.Sprintf("/api/v1/activities/%d", a.ID), map[string]any{"place": "改"}); r.status != 409 {
			t.Fatalf("edit of an accepted record: %d", r.status)
		}
		var am life.Activity
		f.do("secA", "POST", fmt.Sprintf("/api/v1/activities/%d/amend", a.ID), nil).decode(t, &am)
		if am.AmendsID != a.ID || am.State != life.HeldState {
			t.Fatalf("amendment: %+v", am)
		}
		var amAtt life.Attendance
		f.do("secA", "GET", fmt.Sprintf("/api/v1/activities/%d/attendance", am.ID), nil).decode(t, &amAtt)
		if amAtt.Present != 2 || amAtt.Leave != 1 {
			t.Errorf("amendment attendance: %+v", amAtt)
		}
		// While the amendment is open, the meeting counts once.
		if fd := findingOf(t, f, "A1", "2026-11", "theme_day.month", "2026-11"); fd.Held != 1 {
			t.Errorf("counted %d times during the amendment", fd.Held)
		}
		f.do("secA", "PATCH", fmt.Sprintf("/api/v1/activities/%d", am.ID), map[string]any{"place": "社区党群服务中心二楼"})
		f.do("secA", "POST", fmt.Sprintf("/api/v1/activities/%d/submit", am.ID), nil)
		f.do("staffA", "POST", fmt.Sprintf("/api/v1/activities/%d/accept", am.ID), nil)
		var orig life.Activity
		f.do("secA", "GET", fmt.Sprintf("/api/v1/activities/%d", a.ID), nil).decode(t, &orig)
		if orig.SupersededBy != am.ID || orig.Place != "社区党群服务中心" {
			t.Errorf("original after the amendment: %+v", orig)
		}
		if fd := findingOf(t, f, "A1", "2026-11", "theme_day.month", "2026-11"); fd.Held != 1 || fd.Status != rules.Met {
			t.Errorf("after the amendment: %+v", fd)
		}
		// The member sees the corrected record with their own attendance on "我的".
		var mine life.Mine
		f.do("memA", "GET", "/api/v1/me/activities", nil).decode(t, &mine)
		if len(mine.Items) != 1 || mine.Items[0].ID != am.ID || mine.Items[0].MyState != "present" || mine.Attended != 1 || mine.LastActiveAt == nil {
			t.Errorf("member's own activities: %+v", mine)
		}
		// Another branch's secretary cannot see it.
		f.addUser("secB", "secretary", "B1")
		f.tokens["secB"] = f.login("secB", testPassword)
		if r := f.do("secB", "GET", fmt.Sprintf("/api/v1/activities/%d", a.ID), nil); r.status != 404 {
			t.Errorf("secretary of B1 sees A1's activity: %d", r.status)
		}
	})
}

func TestBadActivityInput(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		good := func() map[string]any {
			return map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"theme_day"}, "topic": "主题党日", "starts_at": "2026-11-18T01:30:00Z", "held": true}
		}
		cases := []struct {
			name, field string
			set         map[string]any
		}{
			{"no topic", "topic", map[string]any{"topic": " "}},
			{"no kinds", "kinds", map[string]any{"kinds": []string{}}},
			{"unknown kind", "kinds", map[string]any{"kinds": []string{"picnic"}}},
			{"held in the future", "starts_at", map[string]any{"starts_at": "2027-01-01T00:00:00Z"}},
			{"ends before start", "ends_at", map[string]any{"ends_at": "2026-11-18T00:00:00Z"}},
			{"lecture without speaker", "speaker", map[string]any{"kinds": []string{"party_lecture"}}},
			{"no org", "org_id", map[string]any{"org_id": 0}},
		}
		before := f.count(`SELECT COUNT(*) FROM activities`)
		for _, c := range cases {
			body := good()
			for k, v := range c.set {
				body[k] = v
			}
			r := f.do("admin", "POST", "/api/v1/activities", body)
			if r.status != 422 {
				t.Errorf("%s: %d %s", c.name, r.status, r.body)
				continue
			}
			if p := decodeProblem(t, r); p.Errors[0].Field != c.field {
				t.Errorf("%s: %+v", c.name, p)
			}
		}
		if f.count(`SELECT COUNT(*) FROM activities`) != before {
			t.Error("a refused activity was stored")
		}
		if r := f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=2026-Q5", f.orgs["A1"]), nil); r.status != 422 {
			t.Errorf("bad period: %d", r.status)
		}
		if r := f.do("admin", "POST", "/api/v1/activities", good()); r.status != 201 {
			t.Errorf("good activity: %d %s", r.status, r.body)
		}
	})
}

// TestComplianceSummaryMaintained: after activities are recorded, moved across a period
// boundary, returned, amended and a branch moved to another street, the maintained summary
// equals a recount from the raw records and the raw per-organization evaluation.
func TestComplianceSummaryMaintained(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mk := func(orgKey, at string, kinds ...string) int64 {
			var a life.Activity
			r := f.do("admin", "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs[orgKey], "kinds": kinds, "topic": "会议", "starts_at": at, "held": true, "speaker": "书记"})
			if r.status != 201 {
				t.Fatalf("create: %d %s", r.status, r.body)
			}
			r.decode(t, &a)
			return a.ID
		}
		a1 := mk("A1", "2026-10-10T02:00:00Z", "theme_day", "branch_general_meeting")
		mk("A2", "2026-10-12T02:00:00Z", "theme_day")
		// Attendance: one present, one absent, one exempted (not expected); then a correction.
		for _, items := range [][]map[string]any{
			{{"member_id": f.members["a1m1"], "state": "absent"}, {"member_id": f.members["a1m2"], "state": "absent"}, {"member_id": f.members["a1m3"], "state": "exempt", "reason": "病休"}},
			{{"member_id": f.members["a1m1"], "state": "present"}},
		} {
			if r := f.do("admin", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", a1), map[string]any{"items": items}); r.status != 200 {
				t.Fatalf("attendance: %d %s", r.status, r.body)
			}
		}
		moved := mk("B1", "2026-09-30T15:59:00Z", "branch_general_meeting") // 23:59 CST on 30 September: Q3
		mk("B1", "2026-11-05T02:00:00Z", "theme_day", "party_lecture")
		// Moving the activity by one minute puts it in Q4 (1 October CST).
		if r := f.do("admin", "PATCH", fmt.Sprintf("/api/v1/activities/%d", moved), map[string]any{"starts_at": "2026-09-30T16:00:00Z"}); r.status != 200 {
			t.Fatalf("move activity: %d %s", r.status, r.body)
		}
		// A2 moves under B: its met rules go with it.
		if r := f.do("admin", "POST", fmt.Sprintf("/api/v1/orgs/%d/move", f.orgs["A2"]), map[string]any{"parent_id": f.orgs["B"]}); r.status != 200 {
			t.Fatalf("move org: %d %s", r.status, r.body)
		}
		summary := func(orgKey string) map[string]compliance.RuleSummary {
			var s compliance.Summary
			r := f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2026-Q4", f.orgs[orgKey]), nil)
			if r.status != 200 {
				t.Fatalf("summary: %d %s", r.status, r.body)
			}
			r.decode(t, &s)
			out := map[string]compliance.RuleSummary{}
			for _, rs := range s.Rules {
				out[rs.RuleID+" "+rs.Period] = rs
			}
			return out
		}
		b := summary("B")
		if rs := b["theme_day.month 2026-10"]; rs.Required != 2 || rs.Met != 1 || rs.Share != 0.5 {
			t.Errorf("B theme day October: %+v", rs)
		}
		if rs := b["branch_general_meeting.quarter 2026-Q4"]; rs.Met != 1 || rs.Required != 2 {
			t.Errorf("B general meeting Q4: %+v", rs)
		}
		if rs := b["party_lecture.committee_secretary.year 2026"]; rs.Met != 0 || rs.Required != 1 {
			t.Errorf("B lecture (the committee's own, not B1's): %+v", rs)
		}
		a := summary("A")
		if rs := a["theme_day.month 2026-10"]; rs.Required != 1 || rs.Met != 1 {
			t.Errorf("A theme day October: %+v", rs)
		}
		var sa compliance.Summary
		f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2026-Q4", f.orgs["A"]), nil).decode(t, &sa)
		if sa.Attendance.Present != 1 || sa.Attendance.Expected != 2 || sa.Attendance.Rate != 0.5 {
			t.Errorf("A attendance Q4: %+v", sa.Attendance)
		}
		// Records held for a year, grades and talks are in the rollup too: a 组织生活会 of January
		// is for the year before; an appraisal counts once everyone is graded; talks with everyone.
		mk("A1", "2026-01-10T02:00:00Z", "life_meeting")
		rev := mk("A1", "2026-11-15T02:00:00Z", "member_review")
		for _, k := range []string{"a1m1", "a1m2", "a1m3", "a1m4"} {
			if r := f.do("admin", "PUT", fmt.Sprintf("/api/v1/activities/%d/reviews", rev), map[string]any{"items": []map[string]any{{"member_id": f.members[k], "grade": "qualified"}}}); r.status != 200 {
				t.Fatalf("grade: %d %s", r.status, r.body)
			}
			if r := f.do("admin", "POST", "/api/v1/talks", map[string]any{"org_id": f.orgs["A1"], "talker": "书记A1", "member_id": f.members[k], "talked_on": "2026-11-01"}); r.status != 201 {
				t.Fatalf("talk: %d %s", r.status, r.body)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM life_met WHERE org_id = ? AND ((rule_id = 'life_meeting.year' AND period = '2025') OR (rule_id IN ('member_review.year', 'heart_talk.year') AND period = '2026'))`, f.orgs["A1"]); n != 3 {
			t.Errorf("A1 met %d of the 2025 组织生活会, the 2026 appraisal and talks", n)
		}
		r := summary("R")
		// The maintained rollup and its per-organization index equal a recount from the raw records.
		before, metBefore := rollupSnapshot(t, d), metSnapshot(t, d)
		if len(metBefore) == 0 {
			t.Fatal("life_met is empty after activities were recorded")
		}
		if _, err := f.app.Tree.Recount(t0(), f.app.DB); err != nil {
			t.Fatal(err)
		}
		if after := rollupSnapshot(t, d); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Fatalf("maintained %v\nrecount    %v", before, after)
		}
		if after := metSnapshot(t, d); fmt.Sprint(metBefore) != fmt.Sprint(after) {
			t.Fatalf("life_met maintained %v\nrecount            %v", metBefore, after)
		}
		// And the root's met counts equal the raw evaluation of every branch.
		var raw findingList
		f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=2026-Q4&subtree=true", f.orgs["R"]), nil).decode(t, &raw)
		met := map[string]int{}
		for _, it := range raw.Items {
			for _, fd := range it.Findings {
				if fd.Status == rules.Met {
					met[fd.RuleID+" "+fd.Period]++
				}
			}
		}
		for k, rs := range r {
			if rs.Met != met[k] {
				t.Errorf("%s: maintained %d, raw %d", k, rs.Met, met[k])
			}
		}
		// The server-side drill-down filters give what filtering the raw findings gives: unmet
		// is a period that has ended (a running one is in progress, not unmet).
		unmet := func(rule string) (want []int64) {
			for _, it := range raw.Items {
				for _, fd := range it.Findings {
					if (rule == "" || fd.RuleID == rule) && fd.Status == rules.Missing {
						want = append(want, it.OrgID)
						break
					}
				}
			}
			return want
		}
		for _, rule := range []string{"", "theme_day.month", "branch_general_meeting.quarter", "heart_talk.year"} {
			var got findingList
			res := f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=2026-Q4&subtree=true&unmet=true&rule=%s&page_size=2", f.orgs["R"], rule), nil)
			if res.status != 200 {
				t.Fatalf("unmet %q: %d %s", rule, res.status, res.body)
			}
			res.decode(t, &got)
			want := unmet(rule)
			// On 22 November only October has ended: the quarter's and the year's rules are in progress.
			if got.Total != len(want) || (len(want) == 0) != (rule == "branch_general_meeting.quarter" || rule == "heart_talk.year") || len(got.Items) != min(2, len(want)) {
				t.Errorf("unmet %q: total %d, raw %d (%v)", rule, got.Total, len(want), want)
			}
			for i, it := range got.Items {
				if it.ParentName == "" && it.OrgID != f.orgs["R"] {
					t.Errorf("org %d listed without its parent's name", it.OrgID)
				}
				if i >= len(want) || it.OrgID != want[i] {
					t.Errorf("unmet %q: item %d is org %d, raw %v", rule, i, it.OrgID, want)
				}
				for _, fd := range it.Findings {
					if rule != "" && fd.RuleID != rule {
						t.Errorf("rule %q: finding of %s", rule, fd.RuleID)
					}
				}
			}
		}
		if res := f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=2026-Q4&subtree=true&rule=nope", f.orgs["R"]), nil); res.status != 422 || !strings.Contains(string(res.body), `"field":"rule"`) {
			t.Errorf("unknown rule: %d %s", res.status, res.body)
		}
	})
}

// metSnapshot lists life_met, sorted.
func metSnapshot(t *testing.T, d *db.DB) []string {
	return rowsSnapshot(t, d, `SELECT org_id, rule_id, period FROM life_met`)
}

type noticeList struct {
	Items []struct {
		Kind  string `json:"kind"`
		Title string `json:"title"`
		Body  string `json:"body"`
	} `json:"items"`
	Total int `json:"total"`
}

// Reminders: the secretaries hear of a 主题党日 due within 7 days, the street of one missed,
// each once however often the job runs; members hear of a planned activity.
func TestReminders(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d) // 22 November 2026: eight days before November ends
		ctx := t0()
		if _, err := f.app.Compliance.Remind(ctx, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		var l noticeList
		themeDay := func(kind string, period ...string) int {
			n := 0
			for _, it := range l.Items {
				if it.Kind == kind && strings.Contains(it.Title, "主题党日") && (len(period) == 0 || strings.Contains(it.Body, period[0])) {
					n++
				}
			}
			return n
		}
		f.do("secA", "GET", "/api/v1/notices", nil).decode(t, &l)
		if themeDay("due_soon") != 0 {
			t.Fatalf("reminded of the theme day 8 days ahead: %+v", l)
		}
		// Yearly rules remind 45 days ahead: the 组织生活会 is already due soon.
		if !strings.Contains(fmt.Sprint(l.Items), "组织生活会") {
			t.Errorf("no reminder of the yearly 组织生活会: %+v", l)
		}
		f.clock.Advance(2 * 24 * time.Hour) // 24 November: within the 7 days
		for i := 0; i < 2; i++ {
			if _, err := f.app.Compliance.Remind(ctx, f.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		f.tokens["secA"] = f.login("secA", testPassword) // the fake days outlived the session
		f.do("secA", "GET", "/api/v1/notices?unread=true", nil).decode(t, &l)
		if themeDay("due_soon") != 1 || !strings.Contains(l.Items[0].Body, "支部工作条例") {
			t.Fatalf("secretary's reminders: %+v", l)
		}
		f.clock.Advance(8 * 24 * time.Hour) // 2 December: November's theme day was missed
		if _, err := f.app.Compliance.Remind(ctx, f.clock.Now()); err != nil {
			t.Fatal(err)
		}
		f.tokens["staffA"] = f.login("staffA", testPassword)
		f.do("staffA", "GET", "/api/v1/notices", nil).decode(t, &l)
		if overdue := themeDay("overdue", "2026-11"); overdue != 2 { // A1 and A2 missed November
			t.Fatalf("street's overdue notices: %+v", l)
		}
		f.tokens["secA"] = f.login("secA", testPassword)
		if r := f.do("secA", "POST", "/api/v1/notices/0/read", nil); r.status != 204 {
			t.Fatal(r.status)
		}
		f.do("secA", "GET", "/api/v1/notices?unread=true", nil).decode(t, &l)
		if l.Total != 0 {
			t.Errorf("unread after read-all: %d", l.Total)
		}
		// A planned activity notifies the branch's members who have accounts.
		f.do("secA", "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"theme_day"}, "topic": "十二月主题党日",
			"starts_at": f.clock.Now().Add(72 * time.Hour).Format(time.RFC3339), "place": "党员活动室"})
		f.tokens["memA"] = f.login("memA", testPassword)
		f.do("memA", "GET", "/api/v1/notices", nil).decode(t, &l)
		if l.Total != 1 || l.Items[0].Title != "新活动：十二月主题党日" {
			t.Errorf("member's notices: %+v", l)
		}
	})
}

func TestCalendarFeed(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.do("secA", "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"branch_general_meeting"}, "topic": "党员大会;选举",
			"starts_at": "2026-12-05T06:00:00Z", "place": "社区会议室"})
		var tok struct {
			URL string `json:"url"`
		}
		f.do("secA", "POST", fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs["A1"]), nil).decode(t, &tok)
		r := f.do("", "GET", tok.URL, nil)
		body := string(r.body)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed: %d %s", r.status, body)
		}
		for _, want := range []string{"BEGIN:VCALENDAR\r\n", "SUMMARY:党员大会\\;选举", "DTSTART:20261205T060000Z", "STATUS:TENTATIVE",
			"SUMMARY:截止：每月相对固定1天开展主题党日（2026-11）", "DTSTART;VALUE=DATE:20261130", "END:VCALENDAR\r\n"} {
			if !strings.Contains(body, want) {
				t.Errorf("feed lacks %q:\n%s", want, body)
			}
		}
		for _, l := range strings.Split(body, "\r\n") {
			if len(l) > 75 {
				t.Errorf("unfolded line of %d octets", len(l))
			}
		}
		if r := f.do("", "GET", fmt.Sprintf("/api/v1/orgs/%d/calendar.ics?token=guess", f.orgs["A1"]), nil); r.status != 404 {
			t.Errorf("wrong token: %d", r.status)
		}
		// The branch sees the address it issued (not its secret) and that a calendar reads it.
		var l struct {
			Items []map[string]any `json:"items"`
		}
		tokens := fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs["A1"])
		res := f.do("secA", "GET", tokens, nil)
		res.decode(t, &l)
		if len(l.Items) != 1 || l.Items[0]["last_used_at"] == nil || l.Items[0]["created_by"] != "secA" || strings.Contains(string(res.body), tok.URL[strings.Index(tok.URL, "=")+1:]) {
			t.Errorf("tokens in force: %s", res.body)
		}
		f.do("secA", "DELETE", tokens, nil)
		if r := f.do("", "GET", tok.URL, nil); r.status != 404 {
			t.Errorf("revoked token: %d", r.status)
		}
		if f.do("secA", "GET", tokens, nil).decode(t, &l); len(l.Items) != 0 {
			t.Errorf("revoked tokens still listed: %+v", l.Items)
		}
	})
}

// 民主评议: more than about a third 优秀 needs a reason; 不合格 gets a deadline a year on.
// 组织生活会: problems with owners and deadlines, overdue ones flagged. 谈心谈话: who is left.
func TestReviewsRectificationsTalks(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.newActivityOf("A1", "held", "member_review", "life_meeting")
		grades := func(gs ...string) map[string]any {
			var items []map[string]any
			for i, g := range gs {
				items = append(items, map[string]any{"member_id": f.members[fmt.Sprintf("a1m%d", i+1)], "grade": g, "self_summary": "认真学习，积极参加活动"})
			}
			return map[string]any{"items": items}
		}
		path := fmt.Sprintf("/api/v1/activities/%d/reviews", id)
		// Four members: the cap is one.
		r := f.do("secA", "PUT", path, grades("excellent", "excellent", "qualified", "unqualified"))
		p := decodeProblem(t, r)
		if r.status != 422 || p.Errors[0].Field != "override_reason" || p.Errors[0].Message != "超比例说明：优秀2人，超过本支部正式党员4人的1/3（最多1人），请说明理由" {
			t.Fatalf("cap: %d %s", r.status, r.body)
		}
		if n := f.count(`SELECT COUNT(*) FROM member_reviews`); n != 0 {
			t.Fatalf("a refused appraisal stored %d rows", n)
		}
		body := grades("excellent", "excellent", "qualified", "unqualified")
		body["override_reason"] = "两名同志在防汛抢险中表现突出"
		var ap appraisal.Appraisals
		r = f.do("secA", "PUT", path, body)
		if r.status != 200 {
			t.Fatalf("override: %d %s", r.status, r.body)
		}
		r.decode(t, &ap)
		if ap.Counts["excellent"] != 2 || ap.ExcellentCap != 1 || len(ap.Warnings) != 1 || ap.OverrideReason == "" {
			t.Errorf("appraisal: %+v", ap)
		}
		for _, it := range ap.Items {
			if it.Grade == "unqualified" && it.CorrectionDeadline != "2027-05-20" {
				t.Errorf("correction deadline %q, want six months after the appraisal (the pack's default)", it.CorrectionDeadline)
			}
		}
		// Problems found at the 组织生活会 and their rectification.
		rpath := fmt.Sprintf("/api/v1/activities/%d/rectifications", id)
		if r := f.do("secA", "POST", rpath, map[string]any{"problem": "", "deadline": "2026-12"}); r.status != 422 || len(decodeProblem(t, r).Errors) != 2 {
			t.Errorf("bad rectification: %d %s", r.status, r.body)
		}
		var rc appraisal.Rectification
		f.do("secA", "POST", rpath, map[string]any{"problem": "理论学习不够系统", "measure": "制定年度学习计划", "owner": "书记A1", "deadline": "2026-12-31"}).decode(t, &rc)
		f.do("secA", "POST", rpath, map[string]any{"problem": "联系群众不够", "measure": "每名党员联系3户", "owner": "委员", "deadline": "2026-11-30"})
		f.clock.Advance(10 * 24 * time.Hour)
		f.tokens["secA"] = f.login("secA", testPassword)
		if r := f.do("secA", "POST", fmt.Sprintf("/api/v1/rectifications/%d/done", rc.ID), map[string]any{"note": "学习计划已印发"}); r.status != 204 {
			t.Fatalf("done: %d %s", r.status, r.body)
		}
		var rl struct{ Items []appraisal.Rectification }
		f.do("secA", "GET", rpath, nil).decode(t, &rl)
		if len(rl.Items) != 2 || rl.Items[0].DoneAt == nil || rl.Items[0].Overdue || !rl.Items[1].Overdue {
			t.Errorf("rectifications: %+v", rl.Items)
		}
		// An open problem can be corrected (all or nothing); one put right stays as recorded.
		open := rl.Items[1]
		upath := fmt.Sprintf("/api/v1/rectifications/%d", open.ID)
		if r := f.do("secA", "PATCH", upath, map[string]any{"problem": " ", "deadline": "2027-03-31"}); r.status != 422 || decodeProblem(t, r).Errors[0].Field != "problem" {
			t.Errorf("blank problem: %d %s", r.status, r.body)
		}
		var fixed appraisal.Rectification
		if r := f.do("secA", "PATCH", upath, map[string]any{"problem": open.Problem, "measure": "每名党员联系3户，每月走访", "owner": "委员", "deadline": "2027-03-31"}); r.status != 200 {
			t.Fatalf("correct: %d %s", r.status, r.body)
		} else {
			r.decode(t, &fixed)
		}
		if fixed.Deadline != "2027-03-31" || fixed.Overdue || fixed.Measure != "每名党员联系3户，每月走访" {
			t.Errorf("corrected: %+v", fixed)
		}
		if r := f.do("secA", "PATCH", fmt.Sprintf("/api/v1/rectifications/%d", rc.ID), map[string]any{"problem": "改写", "deadline": "2027-03-31"}); r.status != 409 {
			t.Errorf("correcting one put right: %d %s", r.status, r.body)
		}
		if n := f.count(`SELECT COUNT(*) FROM audit WHERE entity = 'rectification' AND action = 'update'`); n != 1 {
			t.Errorf("%d update entries in the audit trail, want 1", n)
		}
		// A correction of the accepted record keeps the appraisal and shares the meeting's problem list.
		f.tokens["staffA"] = f.login("staffA", testPassword)
		for _, step := range []struct{ who, action string }{{"secA", "submit"}, {"staffA", "accept"}} {
			// confirm: this 民主评议 has grades but no attendance recorded
			if r := f.do(step.who, "POST", fmt.Sprintf("/api/v1/activities/%d/%s", id, step.action), map[string]any{"confirm": true}); r.status != 200 {
				t.Fatalf("%s: %d %s", step.action, r.status, r.body)
			}
		}
		var amended life.Activity
		if r := f.do("secA", "POST", fmt.Sprintf("/api/v1/activities/%d/amend", id), nil); r.status != 201 {
			t.Fatalf("amend: %d %s", r.status, r.body)
		} else {
			r.decode(t, &amended)
		}
		var ap2 appraisal.Appraisals
		f.do("secA", "GET", fmt.Sprintf("/api/v1/activities/%d/reviews", amended.ID), nil).decode(t, &ap2)
		if ap2.Counts["excellent"] != 2 || ap2.Counts["unqualified"] != 1 || ap2.OverrideReason != ap.OverrideReason {
			t.Errorf("appraisal of the correction: %+v", ap2)
		}
		apath := fmt.Sprintf("/api/v1/activities/%d/rectifications", amended.ID)
		if r := f.do("secA", "POST", apath, map[string]any{"problem": "会议记录不完整", "deadline": "2027-01-31"}); r.status != 201 {
			t.Fatalf("rectification on the correction: %d %s", r.status, r.body)
		}
		var orig, corr struct{ Items []appraisal.Rectification }
		f.do("secA", "GET", rpath, nil).decode(t, &orig)
		f.do("secA", "GET", apath, nil).decode(t, &corr)
		if len(orig.Items) != 3 || fmt.Sprint(orig.Items) != fmt.Sprint(corr.Items) || corr.Items[0].DoneAt == nil {
			t.Errorf("problem list: original %+v, correction %+v", orig.Items, corr.Items)
		}
		// 谈心谈话 with two of four members: two are left.
		for _, m := range []string{"a1m1", "a1m2"} {
			if r := f.do("secA", "POST", "/api/v1/talks", map[string]any{"org_id": f.orgs["A1"], "talker": "书记A1", "member_id": f.members[m], "talked_on": "2026-11-25"}); r.status != 201 {
				t.Fatalf("talk: %d %s", r.status, r.body)
			}
		}
		if r := f.do("secA", "POST", "/api/v1/talks", map[string]any{"org_id": f.orgs["A1"], "talker": "书记A1", "member_id": f.members["b1m1"], "talked_on": "2026-11-25"}); r.status != 422 {
			t.Errorf("talk with another branch's member: %d", r.status)
		}
		var tl appraisal.TalkList
		f.do("secA", "GET", fmt.Sprintf("/api/v1/talks?org=%d&year=2026", f.orgs["A1"]), nil).decode(t, &tl)
		if len(tl.Items) != 2 || len(tl.NotTalked) != 2 || tl.MembersTotal != 4 {
			t.Errorf("talks: %+v", tl)
		}
	})
}

// The year's record book: the activities with attendance and appraisals, as a printable page
// and as a workbook, so the paper ledger is no longer copied by hand.
func TestRecordBook(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var a life.Activity
		f.do("secA", "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"theme_day", "party_lecture"},
			"topic": "学习新党章", "starts_at": "2026-11-10T01:00:00Z", "held": true, "speaker": "书记A1", "minutes": "逐章学习，交流体会。"}).decode(t, &a)
		f.do("secA", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", a.ID), map[string]any{"items": []map[string]any{
			{"member_id": f.members["a1m1"], "state": "present"}, {"member_id": f.members["a1m2"], "state": "leave", "reason": "出差"}}})
		f.newActivity("A1", "accepted")
		planned := f.do("secA", "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"theme_day"}, "topic": "尚未开展的活动", "starts_at": "2026-12-10T01:00:00Z"})
		if planned.status != 201 {
			t.Fatal(planned.status)
		}
		r := f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/record-book?year=2026", f.orgs["A1"]), nil)
		page := string(r.body)
		for _, want := range []string{"2026年组织生活记录本", "学习新党章", "党课、主题党日", "测试0（出席）", "测试1（请假：出差）", "逐章学习，交流体会。", "年度完成情况"} {
			if !strings.Contains(page, want) {
				t.Errorf("record book page lacks %q", want)
			}
		}
		if strings.Contains(page, "尚未开展的活动") {
			t.Error("a planned activity is in the record book")
		}
		r = f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/record-book?year=2026&format=xlsx", f.orgs["A1"]), nil)
		x, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatalf("workbook: %v (%d %s)", err, r.status, r.body)
		}
		rows, _ := x.GetRows("活动记录")
		if len(rows) != 4 || rows[2][3] != "学习新党章" || !strings.HasPrefix(rows[3][3], "主题党日") || rows[2][13] != "25%" {
			t.Errorf("活动记录: %v", rows)
		}
		att, _ := x.GetRows("出勤明细")
		if len(att) != 1+2*4 {
			t.Errorf("出勤明细 has %d rows", len(att))
		}
	})
}

// stricterPack is a district's pack: a 党课 every quarter on top of the monthly 主题党日.
const stricterPack = `id: district-2026
name: 某区组织生活规则（从严）
version: "2026.1"
effective_from: "2026-01-01"
rules:
  - id: theme_day.month
    name: 每月开展主题党日
    activity: theme_day
    applies_to: [branch, joint_branch]
    period: month
    min_count: 1
    remind_days: 7
    source: 区委组织部〔2026〕1号
  - id: party_lecture.quarter
    name: 党课每季度1次
    activity: party_lecture
    applies_to: [branch, joint_branch]
    period: quarter
    min_count: 1
    remind_days: 15
    source: 区委组织部〔2026〕1号
kinds:
  - {code: volunteer, name: 志愿服务, name_en: Volunteer service}
`

// A district loads its own stricter pack without a release; a broken one is refused with
// its line and the pack in force stays; the compliance rollup follows the new rules.
func TestLoadRulePack(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.do("secA", "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"theme_day", "party_lecture"},
			"topic": "党课", "starts_at": "2026-08-10T01:00:00Z", "held": true, "speaker": "书记A1"})
		broken := strings.Replace(stricterPack, "period: quarter", "period: fortnight", 1)
		r := f.do("admin", "POST", "/api/v1/rulepacks", rawBody(broken))
		p := decodeProblem(t, r)
		if r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "line 18" || !strings.Contains(p.Errors[0].Message, "第18行") {
			t.Fatalf("broken pack: %d %s", r.status, r.body)
		}
		var inForce struct {
			ID      string `json:"id"`
			History []any  `json:"history"`
		}
		f.do("secA", "GET", "/api/v1/rulepacks", nil).decode(t, &inForce)
		if inForce.ID != "national" || len(inForce.History) != 0 {
			t.Fatalf("after a broken pack: %+v", inForce)
		}
		source := func() string {
			r := f.do("secA", "GET", "/api/v1/rulepacks/source", nil)
			if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "application/yaml") {
				t.Fatalf("source: %d %s", r.status, r.header)
			}
			return string(r.body)
		}
		if src := source(); !strings.Contains(src, "id: national") || !strings.Contains(src, "theme_day.month") {
			t.Errorf("national source: %.200s", src)
		}
		if r := f.do("admin", "POST", "/api/v1/rulepacks", rawBody(stricterPack)); r.status != 201 {
			t.Fatalf("load: %d %s", r.status, r.body)
		}
		f.app.Life.Wait() // the rebuild of the figures runs after the answer
		var rb struct {
			Rebuild rules.Rebuild `json:"rebuild"`
		}
		f.do("secA", "GET", "/api/v1/rulepacks", nil).decode(t, &rb)
		if rb.Rebuild.State != "done" || rb.Rebuild.FinishedAt == nil || !strings.HasPrefix(rb.Rebuild.Result, "rebuilt in ") {
			t.Errorf("rebuild after loading: %+v", rb.Rebuild)
		}
		// Asking again (as every instance does at start) does not rebuild twice: a second run
		// would restart the job's row at the later time.
		f.clock.Advance(time.Minute)
		if err := f.app.Compliance.RebuildForPack(t0(), f.app.Packs); err != nil {
			t.Fatal(err)
		}
		var again struct {
			Rebuild rules.Rebuild `json:"rebuild"`
		}
		f.do("secA", "GET", "/api/v1/rulepacks", nil).decode(t, &again)
		if again.Rebuild.StartedAt == nil || !again.Rebuild.StartedAt.Equal(*rb.Rebuild.StartedAt) {
			t.Errorf("rebuilt again: %+v, first %+v", again.Rebuild, rb.Rebuild)
		}
		f.do("secA", "GET", "/api/v1/rulepacks", nil).decode(t, &inForce)
		if inForce.ID != "district-2026" || len(inForce.History) != 1 {
			t.Fatalf("after loading: %+v", inForce)
		}
		var kinds struct {
			Kinds []rules.Kind `json:"kinds"`
		}
		f.do("secA", "GET", "/api/v1/rulepacks", nil).decode(t, &kinds)
		local := map[string]bool{}
		for _, k := range kinds.Kinds {
			local[k.Code] = k.Local
		}
		if !local["volunteer"] || local["theme_day"] {
			t.Errorf("local kinds: %+v", kinds.Kinds)
		}
		if src := source(); src != stricterPack {
			t.Errorf("source after loading is not the loaded text: %.200s", src)
		}
		if fd := findingOf(t, f, "A1", "2026-Q3", "party_lecture.quarter", "2026-Q3"); fd.Status != rules.Met || fd.Source != "区委组织部〔2026〕1号" {
			t.Errorf("Q3 lecture: %+v", fd)
		}
		if fd := findingOf(t, f, "A1", "2026-Q2", "party_lecture.quarter", "2026-Q2"); fd.Status != rules.Missing {
			t.Errorf("Q2 lecture: %+v", fd)
		}
		var sum compliance.Summary
		f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2026-Q3", f.orgs["A"]), nil).decode(t, &sum)
		found := false
		for _, rs := range sum.Rules {
			if rs.RuleID == "party_lecture.quarter" {
				found = rs.Met == 1 && rs.Required == 2
			}
		}
		if !found {
			t.Errorf("summary under the new pack: %+v", sum)
		}
	})
}

func TestAttachmentsAndCheckin(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.meetingNow()
		path := fmt.Sprintf("/api/v1/activities/%d/attachments", id)
		var att attachments.Attachment
		r := f.do("secA", "POST", path, pngFile("主题党日合影.png", 800, 600))
		if r.status != 201 {
			t.Fatalf("upload: %d %s", r.status, r.body)
		}
		r.decode(t, &att)
		if !att.HasThumb || att.ContentType != "image/png" || att.Name != "主题党日合影.png" {
			t.Fatalf("attachment: %+v", att)
		}
		thumb := f.do("viewerA", "GET", att.ThumbURL, nil)
		img, _, err := image.Decode(bytes.NewReader(thumb.body))
		if err != nil || img.Bounds().Dx() != 320 || img.Bounds().Dy() != 240 || thumb.header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("thumbnail: %v %v %s", err, img, thumb.header.Get("Content-Type"))
		}
		if full := f.do("viewerA", "GET", att.URL, nil); full.status != 200 || len(full.body) != int(att.Size) {
			t.Errorf("download: %d, %d bytes", full.status, len(full.body))
		}
		for _, bad := range []struct {
			name, content, msg string
		}{
			{"tool.exe", "MZ\x90\x00", "文件：不支持的文件类型（可上传图片、PDF、Word、Excel、PPT、文本）"},
			{"fake.png", "just some text", "文件：文件内容与扩展名不符"},
		} {
			r := f.do("secA", "POST", path, upload{name: bad.name, data: []byte(bad.content)})
			if p := decodeProblem(t, r); r.status != 422 || p.Errors[0].Message != bad.msg {
				t.Errorf("%s: %d %s", bad.name, r.status, r.body)
			}
		}
		var l struct{ Items []attachments.Attachment }
		f.do("secA", "GET", path, nil).decode(t, &l)
		if len(l.Items) != 1 {
			t.Errorf("%d attachments listed", len(l.Items))
		}
		// Sign-in: a member with the code marks themselves present; wrong or expired codes fail.
		var code signin.CheckinCode
		f.do("secA", "POST", fmt.Sprintf("/api/v1/activities/%d/checkin-code", id), nil).decode(t, &code)
		if len(code.Code) != 6 {
			t.Fatalf("code %+v", code)
		}
		checkin := func(c string) response {
			return f.do("memA", "POST", fmt.Sprintf("/api/v1/activities/%d/checkin", id), map[string]any{"code": c})
		}
		wrong := "000000"
		if code.Code == wrong {
			wrong = "111111"
		}
		if r := checkin(wrong); r.status != 422 {
			t.Errorf("wrong code: %d", r.status)
		}
		if r := checkin(code.Code); r.status != 200 {
			t.Fatalf("check in: %d %s", r.status, r.body)
		}
		var att2 life.Attendance
		f.do("secA", "GET", fmt.Sprintf("/api/v1/activities/%d/attendance", id), nil).decode(t, &att2)
		signedIn := 0
		for _, it := range att2.Items {
			if it.CheckedIn {
				signedIn++
				if it.MemberID != f.members["a1m1"] || it.State != "present" {
					t.Errorf("signed in: %+v", it)
				}
			}
		}
		if att2.Present != 1 || signedIn != 1 {
			t.Errorf("attendance after sign-in: %+v", att2)
		}
		// The secretary's later record is the secretary's, not a sign-in.
		if r := f.do("secA", "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", id), map[string]any{"items": []map[string]any{{"member_id": f.members["a1m1"], "state": "leave", "reason": "临时出差"}}}); r.status != 200 {
			t.Fatalf("correct a sign-in: %d %s", r.status, r.body)
		}
		f.do("secA", "GET", fmt.Sprintf("/api/v1/activities/%d/attendance", id), nil).decode(t, &att2)
		for _, it := range att2.Items {
			if it.CheckedIn {
				t.Errorf("still marked signed in after the secretary's record: %+v", it)
			}
		}
		f.clock.Advance(16 * time.Minute)
		f.tokens["memA"] = f.login("memA", testPassword)
		if r := checkin(code.Code); r.status != 422 {
			t.Errorf("expired code: %d", r.status)
		}
		// An accepted record is locked: no more files.
		acc := f.newActivity("A1", "accepted")
		f.tokens["secA"] = f.login("secA", testPassword)
		if r := f.do("secA", "POST", fmt.Sprintf("/api/v1/activities/%d/attachments", acc), pngFile("x.png", 10, 10)); r.status != 409 {
			t.Errorf("upload to an accepted record: %d", r.status)
		}
	})
}

// An organization set up during a period owes nothing for the periods that ended before: not
// in its own findings, not in the summary's required counts, not in the drill-down.
func TestNewOrganizationOwesNothingBefore(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d) // 22 November 2026
		o, err := f.app.Orgs.Create(t0(), auth.System(), org.Fields{ParentID: f.orgs["A"], Name: "新建党支部", Kind: org.Branch, Field: "community", SetupDate: "2026-11-10"})
		if err != nil {
			t.Fatal(err)
		}
		var own findingList
		f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=2026-Q4", o.ID), nil).decode(t, &own)
		periods := map[string]bool{}
		for _, fd := range own.Items[0].Findings {
			if fd.RuleID == "theme_day.month" {
				periods[fd.Period] = true
			}
		}
		if periods["2026-10"] || !periods["2026-11"] || !periods["2026-12"] {
			t.Errorf("theme day periods of a branch set up on 10 November: %v", periods)
		}
		required := func(period string) int {
			var s compliance.Summary
			f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2026-Q4", f.orgs["A"]), nil).decode(t, &s)
			for _, rs := range s.Rules {
				if rs.RuleID == "theme_day.month" && rs.Period == period {
					return rs.Required
				}
			}
			t.Fatalf("no theme day summary for %s: %+v", period, s.Rules)
			return 0
		}
		if oct, nov := required("2026-10"), required("2026-11"); nov != oct+1 {
			t.Errorf("required in October %d, November %d: the new branch counts from November only", oct, nov)
		}
		f.clock.Advance(10 * 24 * time.Hour) // 2 December: November has ended
		f.tokens["admin"] = f.login("admin", testPassword)
		listed := func(period string) bool {
			var l findingList
			f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=%s&subtree=true&unmet=true&rule=theme_day.month&page_size=100", f.orgs["A"], period), nil).decode(t, &l)
			for _, it := range l.Items {
				if it.OrgID == o.ID {
					return true
				}
			}
			return false
		}
		if listed("2026-10") || !listed("2026-11") {
			t.Errorf("drill-down: listed in October %v, in November %v", listed("2026-10"), listed("2026-11"))
		}
	})
}

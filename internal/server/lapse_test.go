package server

import (
	"context"
	"dangjian/internal/life/compliance"
	"fmt"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

type atRiskList struct {
	Items []compliance.AtRisk `json:"items"`
	Total int                 `json:"total"`
}

// setDay moves the fake clock to noon (CST) of a day.
func (f *fixture) setDay(day string) {
	f.t.Helper()
	at, err := time.ParseInLocation("2006-01-02 15:04", day+" 12:00", clock.CST)
	if err != nil {
		f.t.Fatal(err)
	}
	f.clock.Advance(at.Sub(f.clock.Now()))
}

// meeting records a held 支部党员大会 of A1 at 10:00 CST on day with the attendance given.
func (f *fixture) meeting(day string, states map[string]string) int64 {
	f.t.Helper()
	f.setDay(day)
	ctx, sys := context.Background(), auth.System()
	at, _ := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", clock.CST)
	a, err := f.app.Life.Create(ctx, sys, life.ActivityFields{OrgID: f.orgs["A1"], Kinds: []string{"branch_general_meeting"}, Topic: "党员大会 " + day, StartsAt: at, Held: true})
	if err != nil {
		f.t.Fatal(err)
	}
	var items []life.AttendanceItem
	for key, st := range states {
		it := life.AttendanceItem{MemberID: f.members[key], State: st}
		if st == "leave" {
			it.Reason = "外地出差"
		}
		items = append(items, it)
	}
	if _, err := f.app.Life.SetAttendance(ctx, sys, a.ID, life.AttendanceUpdate{Items: items}); err != nil {
		f.t.Fatal(err)
	}
	return a.ID
}

func (f *fixture) atRisk(months string) map[int64]compliance.AtRisk {
	f.t.Helper()
	f.tokens["staffA"] = f.login("staffA", testPassword)
	q := ""
	if months != "" {
		q = "&months=" + months
	}
	r := f.do("staffA", "GET", fmt.Sprintf("/api/v1/compliance/members?org=%d%s", f.orgs["A"], q), nil)
	if r.status != 200 {
		f.t.Fatalf("at risk: %d %s", r.status, r.body)
	}
	var l atRiskList
	r.decode(f.t, &l)
	out := map[int64]compliance.AtRisk{}
	for _, it := range l.Items {
		out[it.MemberID] = it
	}
	if len(out) != l.Total {
		f.t.Fatalf("total %d, items %d", l.Total, len(out))
	}
	return out
}

// lapseMonths reads every member's maintained lapse figure.
func (f *fixture) lapseMonths() map[int64]int {
	f.t.Helper()
	rows, err := f.app.DB.Query(context.Background(), `SELECT id, lapse_months FROM members`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			f.t.Fatal(err)
		}
		out[id] = n
	}
	return out
}

// The 6-month rule (党章第九条, REGULATIONS §4) counts calendar months of the branch's
// organizational life missed without a proper reason: a month without any meeting counts
// against the branch, not the member; a leave or an exemption is a proper reason and the
// clock restarts when an exemption ends; a 预备党员 faces 取消预备党员资格; lost and
// suspended members are in their own process. Meetings fall on the 29th–31st, and the list
// agrees with the months it shows on every one of those days.
func TestLapseRule(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		prob, err := f.app.Members.Create(ctx, sys, member.Fields{OrgID: f.orgs["A1"], Name: "预备党员", Ethnicity: "01", IDNumber: validID("1995-03-01", 7, true),
			Category: "probationary", JoinDate: "2026-06-01", Education: "bachelor"})
		if err != nil {
			t.Fatal(err)
		}
		f.members["prob"] = prob.ID
		lost := f.newMember("A1")
		susp := f.newMember("A1")
		f.setDay("2026-12-01")
		for id, st := range map[int64]string{lost: "lost", susp: "suspended"} {
			if _, err := f.app.Members.Update(ctx, sys, id, member.Patch{Status: &st}); err != nil {
				t.Fatal(err)
			}
		}
		// a1m4 is exempted January–March 2027 (长期病休).
		if _, err := f.app.Life.CreateExemption(ctx, sys, life.NewExemption{MemberID: f.members["a1m4"], Reason: "病休", FromDate: "2027-01-01", ToDate: "2027-03-31"}); err != nil {
			t.Fatal(err)
		}
		// Monthly meetings, none in February: a1m1 always there, a1m3 on leave in January.
		absent := func(extra map[string]string) map[string]string {
			m := map[string]string{"a1m1": "present", "a1m2": "absent", "a1m3": "absent", "a1m4": "absent", "prob": "absent"}
			for k, v := range extra {
				m[k] = v
			}
			return m
		}
		f.meeting("2026-12-31", absent(nil))
		f.meeting("2027-01-29", absent(map[string]string{"a1m3": "leave"}))
		f.meeting("2027-03-30", absent(nil))
		f.meeting("2027-04-30", absent(nil))
		l := f.atRisk("")
		// a1m2, prob: Dec, Jan, Mar, Apr = 4 (February had no meeting); a1m3: 3 (January's leave);
		// a1m4: April only (the clock restarted when the exemption ended).
		if len(l) != 2 || l[f.members["a1m2"]].MonthsSince != 4 || l[f.members["a1m2"]].Level != "warning" || l[f.members["prob"]].MonthsSince != 4 {
			t.Fatalf("end of April: %+v", l)
		}
		f.meeting("2027-05-31", absent(nil))
		f.meeting("2027-06-30", absent(nil))
		for _, day := range []string{"2027-06-30", "2027-07-29", "2027-07-30", "2027-07-31", "2027-08-31"} {
			f.setDay(day)
			l, lapsed := f.atRisk(""), f.atRisk("6")
			want := map[string]int{"a1m2": 6, "prob": 6, "a1m3": 5}
			if len(l) != len(want) {
				t.Fatalf("%s: listed %+v", day, l)
			}
			for key, n := range want {
				it := l[f.members[key]]
				if it.MonthsSince != n || (n >= 6) != (it.Level == "lapsed") {
					t.Errorf("%s %s: %+v, want %d months", day, key, it, n)
				}
				if _, in := lapsed[f.members[key]]; in != (n >= 6) {
					t.Errorf("%s %s: in the 6-month cut %v with %d months", day, key, in, n)
				}
			}
			if a := l[f.members["a1m2"]]; a.Consequence != "left" || a.Rule == "" || a.Source == "" || len(a.Basis) != 1 {
				t.Errorf("full member's consequence: %+v", a)
			}
			if p := l[f.members["prob"]]; p.Consequence != "probation" || p.ConsequenceText != "取消预备党员资格" {
				t.Errorf("预备党员's consequence: %+v", p)
			}
		}
		if r := f.do("staffA", "GET", fmt.Sprintf("/api/v1/compliance/members?org=%d&months=7", f.orgs["A"]), nil); r.status != 422 {
			t.Errorf("months beyond the rule: %d", r.status)
		}
		// The lost and suspended members are not in the lapse list but in their own process.
		var ll struct {
			Items []compliance.Lost `json:"items"`
			Total int               `json:"total"`
		}
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/compliance/lost?org=%d", f.orgs["A"]), nil).decode(t, &ll)
		if ll.Total != 2 {
			t.Fatalf("lost list: %+v", ll)
		}
		got := map[int64]compliance.Lost{}
		for _, it := range ll.Items {
			got[it.MemberID] = it
		}
		if g := got[lost]; g.Since != "2026-12-01" || g.NextStep != "suspend" || g.DueOn != "2027-06-01" || !g.Overdue || g.Source == "" {
			t.Errorf("lost: %+v", g)
		}
		if g := got[susp]; g.NextStep != "remove" || g.DueOn != "2028-12-01" || g.Overdue {
			t.Errorf("suspended: %+v", g)
		}
		// Recorded attendance takes a member off at once; the maintained figures equal a recount.
		f.setDay("2027-09-01")
		if _, err := f.app.Life.SetAttendance(ctx, sys, f.meeting("2027-09-01", nil), life.AttendanceUpdate{Items: []life.AttendanceItem{
			{MemberID: f.members["a1m2"], State: "present"}}}); err != nil {
			t.Fatal(err)
		}
		// September's meeting counts for everyone else: a1m3 6, prob 7, a1m4 4 (April–June, September).
		if l := f.atRisk(""); len(l) != 3 || l[f.members["a1m2"]].MemberID != 0 || l[f.members["a1m3"]].MonthsSince != 6 || l[f.members["a1m4"]].MonthsSince != 4 {
			t.Fatalf("after a1m2 attended: %+v", l)
		}
		// The member sees the same figure on their own page, with the pack's reminder threshold.
		if _, err := f.app.Auth.UpdateUser(ctx, sys, f.users["memA"], auth.UserPatch{MemberID: ptr(f.members["a1m3"])}); err != nil {
			t.Fatal(err)
		}
		f.tokens["memA"] = f.login("memA", testPassword)
		var mine life.Mine
		if f.do("memA", "GET", "/api/v1/me/activities", nil).decode(t, &mine); mine.MonthsSince != 6 || mine.WarnMonths != 4 {
			t.Errorf("own page: months %d, warn from %d", mine.MonthsSince, mine.WarnMonths)
		}
		maintained := f.lapseMonths()
		if _, err := f.app.DB.Exec(ctx, `UPDATE members SET lapse_months = 0`); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.Tree.Recount(ctx, f.app.DB); err != nil {
			t.Fatal(err)
		}
		recounted := f.lapseMonths()
		for id, n := range recounted {
			if maintained[id] != n {
				t.Errorf("member %d: maintained %d, recounted %d", id, maintained[id], n)
			}
		}
		if recounted[f.members["a1m3"]] != 6 {
			t.Errorf("recount: %+v", recounted)
		}
	})
}

// A rule whose period has not ended is in progress, not unmet: in the summary (its status),
// the drill-down's unmet filter and the findings; at the last second of the month it still
// runs, a second later it has ended.
func TestInProgressIsNotUnmet(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		summary := func(period string) map[string]compliance.RuleSummary {
			f.tokens["admin"] = f.login("admin", testPassword)
			var s compliance.Summary
			f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=%s", f.orgs["A"], period), nil).decode(t, &s)
			out := map[string]compliance.RuleSummary{}
			for _, r := range s.Rules {
				out[r.RuleID+" "+r.Period] = r
			}
			return out
		}
		unmetListed := func(period string) bool {
			var l findingList
			f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=%s&subtree=true&unmet=true&rule=theme_day.month", f.orgs["A"], period), nil).decode(t, &l)
			for _, it := range l.Items {
				if it.OrgID == f.orgs["A1"] {
					return true
				}
			}
			return false
		}
		s := summary("2026-Q4")
		for key, want := range map[string]string{"theme_day.month 2026-10": "ended", "theme_day.month 2026-11": "in_progress",
			"theme_day.month 2026-12": "upcoming", "branch_general_meeting.quarter 2026-Q4": "in_progress", "heart_talk.year 2026": "in_progress"} {
			if s[key].Status != want || s[key].Required == 0 {
				t.Errorf("%s: %+v, want %s", key, s[key], want)
			}
		}
		if !unmetListed("2026-10") || unmetListed("2026-11") {
			t.Errorf("22 November: unmet in October %v (want true), in November %v (want false)", unmetListed("2026-10"), unmetListed("2026-11"))
		}
		f.clock.Advance(time.Date(2026, 11, 30, 15, 59, 59, 0, time.UTC).Sub(f.clock.Now())) // 23:59:59 CST
		if unmetListed("2026-11") || summary("2026-11")["theme_day.month 2026-11"].Status != "in_progress" {
			t.Error("the month's last second: not in progress")
		}
		f.tokens["secA"] = f.login("secA", testPassword)
		if fd := findingOf(t, f, "A1", "2026-11", "theme_day.month", "2026-11"); fd.Status != rules.DueSoon {
			t.Errorf("finding in the last second: %+v", fd)
		}
		f.clock.Advance(time.Second) // 1 December 00:00 CST
		if !unmetListed("2026-11") || summary("2026-11")["theme_day.month 2026-11"].Status != "ended" {
			t.Error("1 December: November not ended and unmet")
		}
		f.tokens["secA"] = f.login("secA", testPassword)
		if fd := findingOf(t, f, "A1", "2026-11", "theme_day.month", "2026-11"); fd.Status != rules.Missing {
			t.Errorf("finding after the month: %+v", fd)
		}
	})
}

// Submitting a record with no attendance, or a second record of a kind on the same day for
// the same organization, answers 409 confirm_required with the warnings (naming the field,
// in Chinese and English) and changes nothing; the same request with confirm: true submits.
// Another kind the same day, or the same kind another day, submits at once.
func TestSubmitNeedsConfirmation(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		record := func(kind string, at time.Time, attended bool) int64 {
			a, err := f.app.Life.Create(ctx, sys, life.ActivityFields{OrgID: f.orgs["A1"], Kinds: []string{kind}, Topic: "记录", StartsAt: at, Held: true})
			if err != nil {
				t.Fatal(err)
			}
			if attended {
				if _, err := f.app.Life.SetAttendance(ctx, sys, a.ID, life.AttendanceUpdate{Items: []life.AttendanceItem{{MemberID: f.members["a1m1"], State: "present"}}}); err != nil {
					t.Fatal(err)
				}
			}
			return a.ID
		}
		submit := func(id int64, body any, lang string) response {
			return f.do("secA", "POST", fmt.Sprintf("/api/v1/activities/%d/submit", id), body, "Accept-Language", lang)
		}
		state := func(id int64) string {
			a, err := f.app.Life.Get(ctx, sys, id)
			if err != nil {
				t.Fatal(err)
			}
			return a.State
		}
		// 20 November 09:30 CST and 23:30 CST: the same day in China (one is the 20th in UTC, too).
		morning := time.Date(2026, 11, 20, 1, 30, 0, 0, time.UTC)
		night := time.Date(2026, 11, 20, 15, 30, 0, 0, time.UTC)
		empty := record("theme_day", morning, false)
		r := submit(empty, nil, "zh-CN")
		p := decodeProblem(t, r)
		if r.status != 409 || p.Code != "confirm_required" || len(p.Errors) != 1 || p.Errors[0].Field != "attendance" || p.Errors[0].Message != "出勤情况：尚未记录任何出勤情况" {
			t.Fatalf("no attendance: %d %s", r.status, r.body)
		}
		if s := state(empty); s != life.HeldState {
			t.Fatalf("a refused submission changed the state to %s", s)
		}
		if r := submit(empty, map[string]any{"confirm": true}, "zh-CN"); r.status != 200 || state(empty) != life.Submitted {
			t.Fatalf("confirmed: %d %s", r.status, r.body)
		}
		// A second 主题党日 the same (CST) day, with attendance: warned about the first.
		second := record("theme_day", night, true)
		r = submit(second, map[string]any{"comment": ""}, "en")
		p = decodeProblem(t, r)
		if r.status != 409 || len(p.Errors) != 1 || p.Errors[0].Field != "kinds" || p.Errors[0].Message != fmt.Sprintf("Kinds: the organization already has a Theme Party day record on the same day (#%d)", empty) {
			t.Fatalf("duplicate: %d %s", r.status, r.body)
		}
		if r := submit(second, map[string]any{"confirm": true}, "en"); r.status != 200 {
			t.Fatalf("confirmed duplicate: %d %s", r.status, r.body)
		}
		// Another kind the same day, and the same kind the next day (CST), go through at once.
		if r := submit(record("branch_general_meeting", night, true), nil, "zh-CN"); r.status != 200 {
			t.Fatalf("another kind the same day: %d %s", r.status, r.body)
		}
		if r := submit(record("theme_day", night.Add(time.Hour), true), nil, "zh-CN"); r.status != 200 {
			t.Fatalf("the same kind the next day (00:30 CST on the 21st): %d %s", r.status, r.body)
		}
	})
}

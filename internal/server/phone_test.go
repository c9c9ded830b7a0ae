package server

import (
	"context"
	"dangjian/internal/life/compliance"
	"dangjian/internal/life/signin"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// TestTodoAndInbox: a branch's 本月待办 names the rules still due (with the kind and a date to
// prefill), the month just missed, returned records and talks owed; a submitted record lands
// in the level above's inbox, labelled, with a notice — and in no one else's.
func TestTodoAndInbox(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var td compliance.Todo
		f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/todo", f.orgs["A1"]), nil).decode(t, &td)
		states := map[string]compliance.TodoRule{}
		for _, r := range td.Rules {
			states[r.RuleID+"@"+r.Period] = r
		}
		if r := states["theme_day.month@2026-11"]; r.State != "due" || r.SuggestedDate != "2026-11-22" || strings.Join(r.Kinds, ",") != "theme_day" {
			t.Errorf("this month's 主题党日: %+v (all: %+v)", r, td.Rules)
		}
		if r := states["theme_day.month@2026-10"]; r.State != "overdue" {
			t.Errorf("last month's 主题党日: %+v", r)
		}
		if _, old := states["theme_day.month@2026-09"]; old {
			t.Error("an older miss is listed as a to-do")
		}
		if td.TalksOwed != 4 || td.TalksTotal != 4 || td.ReturnedTotal != 0 || td.OrgLabel != "中共城南街道工作委员会 › 中共和平社区第一支部委员会" {
			t.Errorf("todo: talks %d/%d returned %d label %q", td.TalksOwed, td.TalksTotal, td.ReturnedTotal, td.OrgLabel)
		}
		// Held this month: the rule is met and leaves the list.
		id := f.meetingNow()
		f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/todo", f.orgs["A1"]), nil).decode(t, &td)
		for _, r := range td.Rules {
			if r.RuleID == "theme_day.month" && r.Period == "2026-11" {
				t.Errorf("met rule still due: %+v", r)
			}
		}
		// Submit: the street's staff get it in their inbox and a notice; the branch does not.
		if r := f.do("secA", "POST", fmt.Sprintf("/api/v1/activities/%d/submit", id), map[string]any{"confirm": true}); r.status != 200 {
			t.Fatalf("submit: %d %s", r.status, r.body)
		}
		var inbox struct {
			Items []life.Activity
			Total int
		}
		f.do("staffA", "GET", "/api/v1/reviews/inbox", nil).decode(t, &inbox)
		if inbox.Total != 1 || inbox.Items[0].ID != id || !inbox.Items[0].Can.Review || inbox.Items[0].OrgLabel != td.OrgLabel {
			t.Errorf("staffA inbox: %+v", inbox)
		}
		for _, who := range []string{"secA", "staffB", "viewerA"} {
			f.do(who, "GET", "/api/v1/reviews/inbox", nil).decode(t, &inbox)
			if inbox.Total != 0 {
				t.Errorf("%s inbox: %+v", who, inbox)
			}
		}
		if n := f.count(`SELECT COUNT(*) FROM notices WHERE user_id = ? AND kind = 'submitted' AND link = ?`, f.users["staffA"], fmt.Sprintf("/activities/%d", id)); n != 1 {
			t.Errorf("staffA submitted notices: %d", n)
		}
		if n := f.count(`SELECT COUNT(*) FROM notices WHERE kind = 'submitted' AND user_id <> ?`, f.users["staffA"]); n != 0 {
			t.Errorf("%d submitted notices to others", n)
		}
		// Returned: out of the inbox, into the branch's to-dos.
		if r := f.do("staffA", "POST", fmt.Sprintf("/api/v1/activities/%d/return", id), map[string]any{"comment": "请补充会议记录"}); r.status != 200 {
			t.Fatalf("return: %d %s", r.status, r.body)
		}
		f.do("staffA", "GET", "/api/v1/reviews/inbox", nil).decode(t, &inbox)
		f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/todo", f.orgs["A1"]), nil).decode(t, &td)
		if inbox.Total != 0 || td.ReturnedTotal != 1 || td.Returned[0].ID != id || td.Returned[0].ReviewComment != "请补充会议记录" {
			t.Errorf("after return: inbox %d, returned %+v", inbox.Total, td.Returned)
		}
	})
}

// TestLabelsTellApart: two branches both called 第一党支部 under different parents get
// different labels, and the whole path of names.
func TestLabelsTellApart(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var ids []int64
		for _, parent := range []string{"A", "B"} {
			o, err := f.app.Orgs.Create(context.Background(), auth.System(), org.Fields{ParentID: f.orgs[parent], Name: "第一党支部", Kind: org.Branch, Field: "community"})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, o.ID)
		}
		ns, err := org.Namings(context.Background(), d, ids)
		if err != nil {
			t.Fatal(err)
		}
		a, b := ns[ids[0]], ns[ids[1]]
		if a.Label != "中共城南街道工作委员会 › 第一党支部" || b.Label != "中共城北镇委员会 › 第一党支部" ||
			strings.Join(a.PathNames, "/") != "中共测试区委员会/中共城南街道工作委员会/第一党支部" {
			t.Errorf("labels: %+v / %+v", a, b)
		}
		// In the org search (with the path for pickers), the roster, the activities and the lapse list.
		var found struct{ Items []org.Org }
		f.do("admin", "GET", "/api/v1/orgs?q="+url.QueryEscape("第一党支部"), nil).decode(t, &found)
		labels := map[string]bool{}
		for _, o := range found.Items {
			labels[o.OrgLabel] = len(o.OrgPathNames) == 3
		}
		if len(found.Items) != 2 || !labels[a.Label] || !labels[b.Label] {
			t.Errorf("search: %+v", found.Items)
		}
		f.addMember("A1", "张三", validID("1980-01-01", 7, true))
		var roster struct{ Items []map[string]any }
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/members?org=%d", f.orgs["A1"]), nil).decode(t, &roster)
		if len(roster.Items) == 0 || roster.Items[0]["org_label"] != "中共城南街道工作委员会 › 中共和平社区第一支部委员会" {
			t.Errorf("roster: %v", roster.Items)
		}
		f.newActivity("A1", "held")
		var acts struct{ Items []life.Activity }
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/activities?org=%d&subtree=true", f.orgs["A"]), nil).decode(t, &acts)
		if len(acts.Items) != 1 || acts.Items[0].OrgLabel != "中共城南街道工作委员会 › 中共和平社区第一支部委员会" {
			t.Errorf("activities: %+v", acts.Items)
		}
	})
}

// TestCheckinWindowAndPage: the sign-in page tells the meeting; a valid code works only from
// the pack's opens_minutes_before the start to the end, otherwise 409 naming why.
func TestCheckinWindowAndPage(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		at := func(start time.Duration, held bool) int64 {
			end := fixtureNow.Add(start + time.Hour)
			a, err := f.app.Life.Create(ctx, auth.System(), life.ActivityFields{OrgID: f.orgs["A1"], Kinds: []string{"theme_day"},
				Topic: "重温入党誓词", StartsAt: fixtureNow.Add(start), EndsAt: &end, Place: "党群服务中心二楼", Held: held})
			if err != nil {
				t.Fatal(err)
			}
			return a.ID
		}
		// try opens a code as the secretary would (refused outside the window) and signs in with it.
		try := func(id int64) response {
			r := f.do("secA", "POST", fmt.Sprintf("/api/v1/activities/%d/checkin-code", id), nil)
			if r.status != 201 {
				return r
			}
			var c signin.CheckinCode
			r.decode(t, &c)
			return f.do("memA", "POST", fmt.Sprintf("/api/v1/activities/%d/checkin", id), map[string]any{"code": c.Code})
		}
		later := at(2*time.Hour, false)
		var info signin.CheckinInfo
		f.do("memA", "GET", fmt.Sprintf("/api/v1/activities/%d/checkin", later), nil).decode(t, &info)
		if info.Topic != "重温入党誓词" || info.Place != "党群服务中心二楼" || info.Open || !info.OnRoster || info.CheckedIn ||
			!info.OpensAt.Equal(fixtureNow.Add(90*time.Minute)) || strings.Join(info.Kinds, ",") != "theme_day" {
			t.Errorf("page: %+v", info)
		}
		if r := try(later); r.status != 409 || !strings.Contains(decodeProblem(t, r).Detail, "签到尚未开始") {
			t.Errorf("before the window: %d %s", r.status, r.body)
		}
		soon := at(20*time.Minute, false) // within 30 minutes of the start
		if r := try(soon); r.status != 200 {
			t.Errorf("30 minutes before: %d %s", r.status, r.body)
		}
		over := at(-3*time.Hour, true)
		if r := try(over); r.status != 409 || !strings.Contains(decodeProblem(t, r).Detail, "签到已结束") {
			t.Errorf("after the end: %d %s", r.status, r.body)
		}
		f.do("memA", "GET", fmt.Sprintf("/api/v1/activities/%d/checkin", soon), nil).decode(t, &info)
		if !info.Open || !info.CheckedIn {
			t.Errorf("after signing in: %+v", info)
		}
		// Someone else's meeting is not found.
		other := f.newActivity("A2", "held")
		if r := f.do("memA", "GET", fmt.Sprintf("/api/v1/activities/%d/checkin", other), nil); r.status != 404 {
			t.Errorf("another branch's page: %d", r.status)
		}
	})
}

// TestTopicsSuggested: the branch's recent topics of the kind, distinct and newest first.
func TestTopicsSuggested(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for i, topic := range []string{"学习党章", "重温入党誓词", "学习党章"} {
			if _, err := f.app.Life.Create(context.Background(), auth.System(), life.ActivityFields{OrgID: f.orgs["A1"], Kinds: []string{"theme_day"},
				Topic: topic, StartsAt: fixtureNow.Add(-time.Duration(30-i) * 24 * time.Hour), Held: true}); err != nil {
				t.Fatal(err)
			}
		}
		var tp life.Topics
		f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/topics?kind=theme_day", f.orgs["A1"]), nil).decode(t, &tp)
		if strings.Join(tp.Recent, ",") != "学习党章,重温入党誓词" || tp.Theme != "" || tp.Month != 11 {
			t.Errorf("topics: %+v", tp)
		}
		if r := f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/topics?kind=nope", f.orgs["A1"]), nil); r.status != 422 || decodeProblem(t, r).Errors[0].Field != "kind" {
			t.Errorf("unknown kind: %d %s", r.status, r.body)
		}
	})
}

// TestMeNamesLinkedMember: /me gives the linked member record (null without one).
func TestMeNamesLinkedMember(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var me Me
		f.do("memA", "GET", "/api/v1/me", nil).decode(t, &me)
		if me.Member == nil || me.Member.ID != f.members["a1m1"] || me.Member.OrgID != f.orgs["A1"] || me.Member.OrgLabel != "中共城南街道工作委员会 › 中共和平社区第一支部委员会" {
			t.Errorf("memA: %+v", me.Member)
		}
		var staff map[string]any
		f.do("staffA", "GET", "/api/v1/me", nil).decode(t, &staff)
		if v, ok := staff["member"]; !ok || v != nil {
			t.Errorf("staffA member: %v", v)
		}
	})
}

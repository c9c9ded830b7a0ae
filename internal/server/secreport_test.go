package server

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dangjian/internal/classify"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/rectify"
	"dangjian/internal/secreport"
)

// Issue 15 part 2: rectification items, 述职评议, classification and conversion plans, over
// HTTP on both engines.

// newRectify makes an open rectification item of orgKey due on day (state submitted when
// asked), as a source domain would.
func (f *fixture) newRectify(orgKey, due string, submitted bool) int64 {
	f.t.Helper()
	ctx := context.Background()
	o, err := org.Lookup(ctx, f.app.DB, f.orgs[orgKey])
	if err != nil {
		f.t.Fatal(err)
	}
	var id int64
	if err := f.app.DB.InTx(ctx, func(tx *db.Tx) error {
		id, err = f.app.Rectify.Create(ctx, tx, auth.System(), o, "test", 1, rectify.NewItem{Problem: "问题" + due, OwnerName: "书记", DueDate: due})
		return err
	}); err != nil {
		f.t.Fatal(err)
	}
	if submitted {
		if _, err := f.app.Rectify.Act(ctx, auth.System(), id, "submit", rectify.Step{Text: "已整改"}); err != nil {
			f.t.Fatal(err)
		}
	}
	return id
}

// srYear is a year no round has used yet (the scope matrix opens many).
var srYear = 2030

// srRound opens A's round of year as staffA and returns the report of A1.
func (f *fixture) srRound(year int) secreport.Report {
	f.t.Helper()
	res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/secreport/rounds", f.orgs["A"]), map[string]any{"year": year})
	if res.status != 201 {
		f.t.Fatalf("open round %d: %d %s", year, res.status, res.body)
	}
	var rd secreport.Round
	res.decode(f.t, &rd)
	for _, r := range rd.Reports {
		if r.OrgID == f.orgs["A1"] {
			return r
		}
	}
	f.t.Fatalf("no report of A1 in %s", res.body)
	return secreport.Report{}
}

// srReport is A1's report of the 2025 round of A (opened once).
func (f *fixture) srReport() int64 {
	f.t.Helper()
	var id int64
	_ = f.app.DB.QueryRow(context.Background(), `SELECT r.id FROM secreport_reports r JOIN secreport_rounds d ON d.id = r.round_id WHERE d.year = 2025 AND r.org_id = ?`, f.orgs["A1"]).Scan(&id)
	if id == 0 {
		id = f.srRound(2025).ID
	}
	return id
}

// lagging makes a new branch under A classified 后进 for 2025 and returns it.
func (f *fixture) lagging() int64 {
	f.t.Helper()
	b := f.newOrg("A", org.Branch)
	if _, err := f.app.Classify.Decide(context.Background(), auth.System(), f.orgs["A"], classify.Decision{Year: 2025,
		Branches: []classify.Choice{{BranchID: b, Class: "lagging", Reasons: "组织生活不正常"}}}); err != nil {
		f.t.Fatal(err)
	}
	return b
}

func planBody() map[string]any {
	return map[string]any{"leader": "街道副书记", "problems": "组织生活不经常", "due_date": "2026-06-30",
		"measures": []map[string]any{{"problem": "按月开展主题党日", "owner_name": "支部书记", "due_date": "2026-03-31"}}}
}

// newPlan makes an open conversion plan of a new 后进 branch.
func (f *fixture) newPlan() int64 {
	f.t.Helper()
	p, err := f.app.Classify.CreatePlan(context.Background(), auth.System(), f.lagging(), classify.NewPlan{Leader: "副书记", Problems: "软弱", DueDate: "2026-06-30",
		Measures: []rectify.NewItem{{Problem: "配强书记", DueDate: "2026-03-01"}}})
	if err != nil {
		f.t.Fatal(err)
	}
	return p.ID
}

// recountClean: a recount of the parts changes nothing (rollup == recount).
func (f *fixture) recountClean(t *testing.T) {
	t.Helper()
	for _, part := range []string{"rectify", "classify"} {
		dl, err := f.app.Tree.Count(context.Background(), f.app.DB, part)
		if err != nil {
			t.Fatal(err)
		}
		if dl.Changed() != 0 {
			t.Errorf("recount of %s changes %d rows: the maintained rollup drifted", part, dl.Changed())
		}
	}
}

func (f *fixture) stat(orgKey, dim, key string) int {
	var n int
	_ = f.app.DB.QueryRow(context.Background(), `SELECT n FROM org_stats WHERE org_id = ? AND dim = ? AND key = ?`, f.orgs[orgKey], dim, key).Scan(&n)
	return n
}

func TestSecReportWeightsFromData(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		old := f.srRound(2025)
		if old.Skeleton.Year != 2025 || old.State != secreport.Draft || !old.MayEdit {
			t.Fatalf("report of the round: %+v", old)
		}
		votes := map[string]any{"comment": "抓党建责任落实较好", "votes": []map[string]any{
			{"group": "superior", "grade": "good", "n": 3}, {"group": "public_reps", "grade": "average", "n": 10}}}
		res := f.do("staffA", "PUT", fmt.Sprintf("/api/v1/secreport/reports/%d/votes", old.ID), votes)
		var r secreport.Report
		res.decode(t, &r)
		// Example weights: superior 40 (avg 100), public 15 (avg 60): (4000+900)/55 = 89.1 → 较好.
		if res.status != 200 || r.Result.Score != 89.1 || r.Result.Name != "较好" || r.Result.Votes != 13 || len(r.Result.Explain) != 5 {
			t.Fatalf("result under the example: %d %+v", res.status, r.Result)
		}
		// A broken version: refused with its line, nothing stored.
		before := f.count(`SELECT COUNT(*) FROM level_rules`)
		broken := strings.Replace(string(secreport.ExampleText()), "weight: 15", "weight: -5", 1)
		res = f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/secreport/rules", f.orgs["A"]), rawBody(broken))
		if res.status != 422 || !strings.Contains(string(res.body), "第22行（/groups/3/weight）：不能小于 0") {
			t.Fatalf("broken rules: %d %s", res.status, res.body)
		}
		if f.count(`SELECT COUNT(*) FROM level_rules`) != before {
			t.Fatal("a refused rules document was stored")
		}
		// A new version with other weights: the new round weighs by it, the old one keeps its own.
		v2 := strings.NewReplacer("example-2026-1", "2026-2", "weight: 40", "weight: 10", "weight: 15", "weight: 90").Replace(string(secreport.ExampleText()))
		if res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/secreport/rules", f.orgs["A"]), rawBody(v2)); res.status != 201 {
			t.Fatalf("publish v2: %d %s", res.status, res.body)
		}
		now := f.srRound(2026)
		res = f.do("staffA", "PUT", fmt.Sprintf("/api/v1/secreport/reports/%d/votes", now.ID), votes)
		res.decode(t, &r)
		// (10×100 + 90×60) / 100 = 64.0 → 一般.
		if r.Result.Score != 64 || r.Result.Name != "一般" || r.Rules.Version != "2026-2" {
			t.Fatalf("result under v2: %+v (rules %s)", r.Result, r.Rules.Version)
		}
		res = f.do("viewerA", "GET", fmt.Sprintf("/api/v1/secreport/reports/%d", old.ID), nil)
		res.decode(t, &r)
		if r.Result.Score != 89.1 || r.Rules.Version != "example-2026-1" || r.Comment != "抓党建责任落实较好" {
			t.Fatalf("the old round changed with the new version: %+v %s", r.Result, r.Rules.Version)
		}
		// A vote for a group the round's rules do not have names the field.
		res = f.do("staffA", "PUT", fmt.Sprintf("/api/v1/secreport/reports/%d/votes", old.ID), map[string]any{"votes": []map[string]any{{"group": "nobody", "grade": "good", "n": 1}}})
		if res.status != 422 || !strings.Contains(string(res.body), "votes[0].group") || !strings.Contains(string(res.body), "投票人分组") {
			t.Fatalf("unknown group: %d %s", res.status, res.body)
		}
		// The secretary edits and submits; then the report no longer changes.
		p := fmt.Sprintf("/api/v1/secreport/reports/%d", old.ID)
		if res := f.do("secA", "POST", p+"/submit", map[string]any{"body": ""}); res.status != 422 {
			t.Fatalf("empty submit: %d %s", res.status, res.body)
		}
		if res := f.do("secA", "POST", p+"/submit", map[string]any{"body": "一年来，支部……"}); res.status != 200 {
			t.Fatalf("submit: %d %s", res.status, res.body)
		}
		if res := f.do("secA", "PATCH", p, map[string]any{"body": "改"}); res.status != 409 {
			t.Fatalf("edit after submit: %d %s", res.status, res.body)
		}
		// The secretary reads their own report by organization and year.
		res = f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/secreport/report?year=2025", f.orgs["A1"]), nil)
		res.decode(t, &r)
		if res.status != 200 || r.State != secreport.Submitted || r.MayEdit || r.MayJudge {
			t.Fatalf("own report: %d %+v", res.status, r)
		}
	})
}

func TestSecReportCarriesRectifications(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		rep := f.srReport()
		res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/secreport/reports/%d/problems", rep), map[string]any{"problems": []map[string]any{
			{"problem": "三会一课不规范", "owner_name": "支部书记", "due_date": "2026-06-30"},
			{"problem": "发展党员偏少", "owner_name": "组织委员", "due_date": "2026-09-30"}}})
		var r secreport.Report
		res.decode(t, &r)
		if res.status != 200 || len(r.Problems) != 2 {
			t.Fatalf("problems: %d %s", res.status, res.body)
		}
		// A bad problem names its field; nothing is created.
		n := f.count(`SELECT COUNT(*) FROM rectify_items`)
		res = f.do("staffA", "POST", fmt.Sprintf("/api/v1/secreport/reports/%d/problems", rep), map[string]any{"problems": []map[string]any{
			{"problem": "好", "due_date": "2026-06-30"}, {"problem": "", "due_date": "6/30"}}})
		if res.status != 422 || !strings.Contains(string(res.body), "problems[1].problem") || f.count(`SELECT COUNT(*) FROM rectify_items`) != n {
			t.Fatalf("bad problem: %d %s", res.status, res.body)
		}
		first := r.Problems[0].ID
		if res := f.do("secA", "POST", fmt.Sprintf("/api/v1/rectify/%d/submit", first), map[string]any{"text": "已建立台账"}); res.status != 200 {
			t.Fatalf("submit: %d %s", res.status, res.body)
		}
		if res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/rectify/%d/close", first), map[string]any{"text": "核实"}); res.status != 200 {
			t.Fatalf("close: %d %s", res.status, res.body)
		}
		f.meeting("2026-11-23", map[string]string{"a1m1": "present", "a1m2": "present", "a1m3": "present"})
		f.tokens["staffA"] = f.login("staffA", testPassword)
		next := f.srRound(2026)
		sk := next.Skeleton
		if len(sk.LifeMet) == 0 || sk.LifeMet[0].Met < 1 || sk.LifeMet[0].Name == sk.LifeMet[0].Rule {
			t.Errorf("the skeleton misses the meeting held: %+v", sk.LifeMet)
		}
		if len(sk.LastYear) != 2 || sk.LastYearClosed != 1 || sk.LastYearOpen != 1 {
			t.Fatalf("next year's skeleton: %+v", sk)
		}
		if f.stat("R", rectify.DimOpen, "all") != 1 {
			t.Errorf("open items at the root: %d", f.stat("R", rectify.DimOpen, "all"))
		}
		f.recountClean(t)
	})
}

func TestRectifyLifecycle(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.newRectify("A1", "2026-12-31", false)
		p := fmt.Sprintf("/api/v1/rectify/%d", id)
		for _, c := range []struct {
			who, step string
			body      map[string]any
			want      int
		}{
			{"secA", "progress", map[string]any{"text": ""}, 422},       // a note needs its text
			{"secA", "progress", map[string]any{"text": "已召开专题会"}, 200}, // the owner works it
			{"secA", "close", map[string]any{"text": "自己销号"}, 403},      // not by the owner
			{"staffA", "close", map[string]any{"text": "未报"}, 409},      // not submitted
			{"secA", "submit", map[string]any{"text": "整改完成"}, 200},     // asks for closure
			{"secA", "submit", map[string]any{"text": "再报"}, 409},       // already submitted
			{"staffA", "return", map[string]any{"text": ""}, 422},       // a return gives its reason
			{"staffA", "return", map[string]any{"text": "缺少佐证材料"}, 200}, // the level above returns
			{"staffB", "close", map[string]any{"text": "外街道"}, 403},     // outside the scope
			{"secA", "submit", map[string]any{"text": "补充材料"}, 200},
			{"staffA", "close", map[string]any{"text": "核实销号"}, 200},
			{"secA", "progress", map[string]any{"text": "又一条"}, 409}, // closed
		} {
			if res := f.do(c.who, "POST", p+"/"+c.step, c.body); res.status != c.want {
				t.Errorf("%s %s: %d, want %d: %s", c.who, c.step, res.status, c.want, res.body)
			}
		}
		var it rectify.Item
		f.do("secA", "GET", p, nil).decode(t, &it)
		if it.State != rectify.Closed || len(it.Notes) != 5 || it.MayWork || it.MayClose {
			t.Fatalf("closed item: %+v", it)
		}
		// An item of the street A is closed by the district (R): the street's staff may not.
		top := f.newRectify("A", "2026-12-31", true)
		if res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/rectify/%d/close", top), map[string]any{}); res.status != 403 {
			t.Fatalf("street closes its own item: %d %s", res.status, res.body)
		}
		if res := f.do("admin", "POST", fmt.Sprintf("/api/v1/rectify/%d/close", top), map[string]any{}); res.status != 200 {
			t.Fatalf("district closes: %d %s", res.status, res.body)
		}
		f.recountClean(t)
		// A move carries the items (their paths) and their counts with the organization.
		f.newRectify("A1", "2026-12-31", false)
		if res := f.do("admin", "POST", fmt.Sprintf("/api/v1/orgs/%d/move", f.orgs["A1"]), map[string]any{"parent_id": f.orgs["AG"]}); res.status != 200 {
			t.Fatalf("move: %d %s", res.status, res.body)
		}
		var l struct{ Total int }
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d/rectify", f.orgs["AG"]), nil).decode(t, &l)
		if l.Total != 2 || f.stat("AG", rectify.DimOpen, "all") != 1 {
			t.Fatalf("after the move: %d items under AG, %d open", l.Total, f.stat("AG", rectify.DimOpen, "all"))
		}
		f.recountClean(t)
	})
}

func TestRectifyOverdueAtCSTDayBoundary(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		late := f.newRectify("A1", "2026-11-25", false)
		soon := f.newRectify("A1", "2026-12-02", false) // 7 days after 11-25: reminded that day
		at := func(s string) time.Time {
			tm, err := time.ParseInLocation("2006-01-02 15:04:05", s, clock.CST)
			if err != nil {
				t.Fatal(err)
			}
			f.clock.Advance(tm.Sub(f.clock.Now()))
			return tm
		}
		if _, err := f.app.Rectify.Sweep(ctx, at("2026-11-25 23:59:59")); err != nil {
			t.Fatal(err)
		}
		if f.stat("R", rectify.DimOverdue, "all") != 0 {
			t.Fatal("overdue on its due day")
		}
		if f.count(`SELECT COUNT(*) FROM notices WHERE dedupe_key = ?`, fmt.Sprintf("rectify-due:%d:7", soon)) == 0 {
			t.Error("no reminder 7 days before the due date")
		}
		if _, err := f.app.Rectify.Sweep(ctx, at("2026-11-26 00:00:00")); err != nil {
			t.Fatal(err)
		}
		if f.stat("R", rectify.DimOverdue, "all") != 1 || f.stat("A1", rectify.DimOverdue, "all") != 1 || f.stat("B", rectify.DimOverdue, "all") != 0 {
			t.Fatalf("overdue after the day boundary: R %d A1 %d", f.stat("R", rectify.DimOverdue, "all"), f.stat("A1", rectify.DimOverdue, "all"))
		}
		if f.count(`SELECT COUNT(*) FROM notices WHERE dedupe_key = ?`, fmt.Sprintf("rectify-overdue:%d", late)) == 0 {
			t.Error("the level above was not told of the overdue item")
		}
		// Again the same day: nothing more (the flag and the notices' keys).
		if _, err := f.app.Rectify.Sweep(ctx, at("2026-11-26 08:00:00")); err != nil {
			t.Fatal(err)
		}
		if f.stat("R", rectify.DimOverdue, "all") != 1 {
			t.Fatal("a second sweep counted again")
		}
		var s rectify.Summary
		f.tokens["staffA"] = f.login("staffA", testPassword) // days passed: a new session
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d/rectify/summary", f.orgs["A"]), nil).decode(t, &s)
		if s.Open != 2 || s.Overdue != 1 {
			t.Fatalf("summary: %+v", s)
		}
		f.recountClean(t)
		// Closing an overdue item takes it out of both counts.
		_, _ = f.app.Rectify.Act(ctx, auth.System(), late, "submit", rectify.Step{Text: "完成"})
		if _, err := f.app.Rectify.Act(ctx, auth.System(), late, "close", rectify.Step{}); err != nil {
			t.Fatal(err)
		}
		if f.stat("R", rectify.DimOverdue, "all") != 0 || f.stat("R", rectify.DimOpen, "all") != 1 {
			t.Fatal("closing did not take the item out of the rollup")
		}
		f.recountClean(t)
	})
}

func TestClassifyWarningsAndPlans(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := fmt.Sprintf("/api/v1/orgs/%d/classify", f.orgs["A"])
		var ov classify.Overview
		res := f.do("staffA", "POST", p, map[string]any{"year": 2025, "branches": []map[string]any{
			{"branch_id": f.orgs["A1"], "class": "advanced", "reasons": "组织生活规范"}, {"branch_id": f.orgs["A2"], "class": "advanced", "reasons": "服务群众好"}}})
		res.decode(t, &ov)
		// 2 of 2 advanced: above the example's 30% — a warning, and recorded.
		if res.status != 200 || ov.Distribution["advanced"] != 2 || len(ov.Warnings) != 1 || !strings.Contains(ov.Warnings[0], "先进") {
			t.Fatalf("classify: %d %s", res.status, res.body)
		}
		// Bad input names the field and changes nothing.
		n := f.count(`SELECT COUNT(*) FROM classify_decisions`)
		res = f.do("staffA", "POST", p, map[string]any{"year": 2025, "branches": []map[string]any{
			{"branch_id": f.orgs["A1"], "class": "excellent", "reasons": "x"}, {"branch_id": f.orgs["B1"], "class": "ordinary", "reasons": ""}}})
		if res.status != 422 || !strings.Contains(string(res.body), "branches[0].class") || !strings.Contains(string(res.body), "branches[1].branch_id") ||
			f.count(`SELECT COUNT(*) FROM classify_decisions`) != n {
			t.Fatalf("bad classification: %d %s", res.status, res.body)
		}
		res = f.do("staffA", "POST", p, map[string]any{"year": 2025, "branches": []map[string]any{{"branch_id": f.orgs["A1"], "class": "lagging", "reasons": "书记长期不在岗"}}})
		res.decode(t, &ov)
		if ov.Distribution["advanced"] != 1 || ov.Distribution["lagging"] != 1 || f.stat("R", "class:2025", "advanced") != 1 {
			t.Fatalf("reclassified: %+v", ov.Distribution)
		}
		// A plan: only for a class that needs one, by the level above, one open at a time.
		if res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/conversion-plans", f.orgs["A2"]), planBody()); res.status != 409 {
			t.Fatalf("plan for an advanced branch: %d %s", res.status, res.body)
		}
		if res := f.do("secA", "POST", fmt.Sprintf("/api/v1/orgs/%d/conversion-plans", f.orgs["A1"]), planBody()); res.status != 403 {
			t.Fatalf("plan by the branch itself: %d %s", res.status, res.body)
		}
		res = f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/conversion-plans", f.orgs["A1"]), planBody())
		var plan classify.Plan
		res.decode(t, &plan)
		if res.status != 201 || len(plan.Measures) != 1 || plan.Measures[0].SourceKind != classify.Source || !plan.MayAccept {
			t.Fatalf("plan: %d %s", res.status, res.body)
		}
		if res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/conversion-plans", f.orgs["A1"]), planBody()); res.status != 409 {
			t.Fatalf("second open plan: %d %s", res.status, res.body)
		}
		// The plan's due date reminds (7 days before, then the level above once it passed).
		for _, day := range []string{"2026-06-23", "2026-07-01", "2026-07-02"} {
			tm, _ := time.ParseInLocation("2006-01-02 15:04", day+" 09:00", clock.CST)
			if _, err := f.app.Classify.Sweep(context.Background(), tm); err != nil {
				t.Fatal(err)
			}
		}
		if f.count(`SELECT COUNT(*) FROM notices WHERE dedupe_key = ?`, fmt.Sprintf("plan-due:%d:2026-06-30:7", plan.ID)) == 0 ||
			f.count(`SELECT COUNT(*) FROM notices WHERE dedupe_key = ?`, fmt.Sprintf("plan-overdue:%d:2026-06-30", plan.ID)) != 1 {
			t.Error("the plan's due date did not remind, or the overdue notice came twice")
		}
		// The branch works the measure as a rectification item.
		if res := f.do("secA", "POST", fmt.Sprintf("/api/v1/rectify/%d/progress", plan.Measures[0].ID), map[string]any{"text": "已开展两次"}); res.status != 200 {
			t.Fatalf("measure progress: %d %s", res.status, res.body)
		}
		acc := fmt.Sprintf("/api/v1/conversion-plans/%d/accept", plan.ID)
		for _, c := range []struct {
			who  string
			body map[string]any
			want int
		}{
			{"secA", map[string]any{"result": "converted", "note": "自己验收"}, 403},
			{"staffA", map[string]any{"result": "extended", "note": "未完成"}, 422}, // no new due date
			{"staffA", map[string]any{"result": "extended", "note": "需延期", "due_date": "2026-09-30"}, 200},
			{"staffA", map[string]any{"result": "converted", "note": "验收合格"}, 200},
			{"staffA", map[string]any{"result": "converted", "note": "再验"}, 409},
		} {
			if res := f.do(c.who, "POST", acc, c.body); res.status != c.want {
				t.Errorf("accept %v as %s: %d, want %d: %s", c.body, c.who, res.status, c.want, res.body)
			}
		}
		var st classify.Standing
		f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/standing", f.orgs["A1"]), nil).decode(t, &st)
		if st.Current == nil || st.Current.Class != "lagging" || st.ClassName != "后进" || len(st.History) != 2 || len(st.Plans) != 1 ||
			st.Plans[0].State != classify.PlanConverted || st.Plans[0].Extensions != 1 || st.Plans[0].DueDate != "2026-09-30" {
			t.Fatalf("standing: %+v", st)
		}
		if f.stat("R", classify.DimPlansOpen, "all") != 0 {
			t.Fatal("a converted plan still counts as open")
		}
		f.recountClean(t)
	})
}

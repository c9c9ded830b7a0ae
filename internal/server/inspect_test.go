package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/inspect"
	"dangjian/internal/life/rules"
	"dangjian/internal/org"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/quarterly"
	"dangjian/internal/rectify"
)

// Issue 16, 专项督查: inspections, findings → rectification items verified by the inspecting
// level, and the quarterly pack's section, over HTTP on both engines.

func inspBody(f *fixture, orgKeys ...string) map[string]any {
	ids := []int64{}
	for _, k := range orgKeys {
		ids = append(ids, f.orgs[k])
	}
	return map[string]any{"topic": "“三会一课”落实情况专项督查", "checklist": []string{"支部党员大会按期召开", "党课有记录"},
		"org_ids": ids, "inspectors": []string{"张三", "李四"}, "start_date": "2026-11-01", "end_date": "2026-11-30"}
}

// newInspection plans an inspection of levelKey visiting orgKeys as user, started when asked.
func (f *fixture) newInspection(user, levelKey string, started bool, orgKeys ...string) int64 {
	f.t.Helper()
	res := f.do(user, "POST", fmt.Sprintf("/api/v1/orgs/%d/inspections", f.orgs[levelKey]), inspBody(f, orgKeys...))
	if res.status != 201 {
		f.t.Fatalf("plan inspection: %d %s", res.status, res.body)
	}
	var in inspect.Inspection
	res.decode(f.t, &in)
	if started {
		if res := f.do(user, "POST", fmt.Sprintf("/api/v1/inspections/%d/start", in.ID), nil); res.status != 200 {
			f.t.Fatalf("start: %d %s", res.status, res.body)
		}
	}
	return in.ID
}

func findingBody(f *fixture, orgKey string) map[string]any {
	return map[string]any{"org_id": f.orgs[orgKey], "check_item": 1, "problem": "党课无记录", "evidence": "查阅2026年记录本",
		"link": "https://example.org/photo", "severity": "major", "owner_name": "支部书记", "due_date": "2026-12-31"}
}

func TestInspectLifecycleAndFindings(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// Bad input names its fields and stores nothing.
		bad := inspBody(f, "B1")
		bad["topic"], bad["checklist"], bad["end_date"] = "", []string{"有", " "}, "2026-10-01"
		res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/inspections", f.orgs["A"]), bad)
		for _, want := range []string{"topic", "督查主题", "checklist[1]", "督查清单", "org_ids[0]", "不是本级的下级组织", "end_date", "不能早于开始日期"} {
			if res.status != 422 || !strings.Contains(string(res.body), want) {
				t.Fatalf("bad inspection (want %q): %d %s", want, res.status, res.body)
			}
		}
		if f.count(`SELECT COUNT(*) FROM inspections`) != 0 {
			t.Fatal("a refused inspection was stored")
		}
		id := f.newInspection("staffA", "A", false, "A1", "A2")
		p := fmt.Sprintf("/api/v1/inspections/%d", id)
		// No finding while planned.
		if res := f.do("staffA", "POST", p+"/findings", findingBody(f, "A1")); res.status != 409 {
			t.Fatalf("finding while planned: %d %s", res.status, res.body)
		}
		if res := f.do("staffA", "POST", p+"/start", nil); res.status != 200 {
			t.Fatalf("start: %d %s", res.status, res.body)
		}
		if res := f.do("staffA", "POST", p+"/start", nil); res.status != 409 {
			t.Fatalf("start twice: %d %s", res.status, res.body)
		}
		// A finding of an organization not visited, an item beyond the checklist, no due date.
		fb := findingBody(f, "AG")
		fb["check_item"], fb["due_date"], fb["severity"] = 2, "", "huge"
		res = f.do("staffA", "POST", p+"/findings", fb)
		for _, want := range []string{"org_id", "不在本次督查对象中", "check_item", "due_date", "整改时限", "severity"} {
			if res.status != 422 || !strings.Contains(string(res.body), want) {
				t.Fatalf("bad finding (want %q): %d %s", want, res.status, res.body)
			}
		}
		if f.count(`SELECT COUNT(*) FROM inspection_findings`) != 0 || f.count(`SELECT COUNT(*) FROM rectify_items`) != 0 {
			t.Fatal("a refused finding was stored")
		}
		openBefore := f.stat("A", rectify.DimOpen, "all")
		res = f.do("staffA", "POST", p+"/findings", findingBody(f, "A1"))
		var in inspect.Inspection
		res.decode(t, &in)
		if res.status != 201 || len(in.Findings) != 1 || in.Findings[0].Item == nil {
			t.Fatalf("finding: %d %s", res.status, res.body)
		}
		it := in.Findings[0].Item
		if it.SourceKind != "inspection" || it.SourceID != in.Findings[0].ID || it.OrgID != f.orgs["A1"] || it.State != rectify.Open || it.DueDate != "2026-12-31" {
			t.Fatalf("the finding's item: %+v", it)
		}
		if in.Counts != (inspect.InspectCount{Findings: 1, Open: 1}) || len(in.Visited) != 2 || in.State != inspect.InProgress {
			t.Fatalf("inspection after the finding: %+v", in)
		}
		if got := f.stat("A", rectify.DimOpen, "all"); got != openBefore+1 {
			t.Fatalf("A's open items: %d, want %d", got, openBefore+1)
		}
		// The secretary of A1 sees the item in rectify's list (the one home) and works on it.
		res = f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/rectify", f.orgs["A1"]), nil)
		if res.status != 200 || !strings.Contains(string(res.body), "党课无记录") {
			t.Fatalf("A1's items: %d %s", res.status, res.body)
		}
		if res := f.do("secA", "GET", p, nil); res.status != 404 {
			t.Fatalf("the inspection is the inspecting level's: %d", res.status)
		}
		if res := f.do("secA", "POST", fmt.Sprintf("/api/v1/rectify/%d/submit", it.ID), map[string]any{"text": "已补记录"}); res.status != 200 {
			t.Fatalf("submit: %d %s", res.status, res.body)
		}
		if res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/rectify/%d/close", it.ID), map[string]any{"text": "核实"}); res.status != 200 {
			t.Fatalf("close by the inspecting level: %d %s", res.status, res.body)
		}
		// The list: counts per inspection, set-based.
		f.newInspection("staffA", "A", false, "A2")
		res = f.do("viewerA", "GET", fmt.Sprintf("/api/v1/orgs/%d/inspections", f.orgs["A"]), nil)
		var l struct {
			Items []inspect.Inspection `json:"items"`
			Total int                  `json:"total"`
		}
		res.decode(t, &l)
		if res.status != 200 || l.Total != 2 || l.Items[1].ID != id || l.Items[1].Counts != (inspect.InspectCount{Findings: 1, Closed: 1}) || l.Items[0].Counts.Findings != 0 || l.Items[0].MayManage {
			t.Fatalf("list: %d %+v", res.status, l)
		}
		if res := f.do("staffA", "POST", p+"/finish", nil); res.status != 200 || !strings.Contains(string(res.body), `"finished"`) {
			t.Fatalf("finish: %d %s", res.status, res.body)
		}
		if res := f.do("staffA", "POST", p+"/findings", findingBody(f, "A1")); res.status != 409 {
			t.Fatalf("finding after finish: %d %s", res.status, res.body)
		}
		f.recountClean(t)
	})
}

// The inspecting level verifies closure, even when it is above the organization's parent.
func TestInspectClosureByInspectingLevel(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.newInspection("admin", "R", true, "A1")
		res := f.do("admin", "POST", fmt.Sprintf("/api/v1/inspections/%d/findings", id), findingBody(f, "A1"))
		var in inspect.Inspection
		res.decode(t, &in)
		item := in.Findings[0].Item.ID
		ip := fmt.Sprintf("/api/v1/rectify/%d", item)
		if res := f.do("secA", "POST", ip+"/submit", map[string]any{"text": "已整改"}); res.status != 200 {
			t.Fatalf("submit: %d %s", res.status, res.body)
		}
		var got rectify.Item
		f.do("staffA", "GET", ip, nil).decode(t, &got)
		if got.MayClose {
			t.Fatal("the parent level may not close an item the district inspected")
		}
		for _, u := range []string{"staffA", "secA"} {
			if res := f.do(u, "POST", ip+"/close", map[string]any{"text": "销号"}); res.status != 403 {
				t.Fatalf("%s closes the district's item: %d %s", u, res.status, res.body)
			}
		}
		if res := f.do("admin", "POST", ip+"/return", map[string]any{"text": "记录不全"}); res.status != 200 {
			t.Fatalf("return by the inspecting level: %d %s", res.status, res.body)
		}
		f.do("secA", "POST", ip+"/submit", map[string]any{"text": "已补"})
		if res := f.do("admin", "POST", ip+"/close", map[string]any{"text": "销号"}); res.status != 200 || !strings.Contains(string(res.body), `"closed"`) {
			t.Fatalf("close by the inspecting level: %d %s", res.status, res.body)
		}
		// An item without a verifier keeps the rule: the level above closes.
		plain := f.newRectify("A1", "2026-12-31", true)
		if res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/rectify/%d/close", plain), map[string]any{"text": "销号"}); res.status != 200 {
			t.Fatalf("the parent closes a plain item: %d %s", res.status, res.body)
		}
		f.recountClean(t)
	})
}

// The quarterly section: open/overdue equal rectify's summary, findings counted in the quarter.
func TestInspectQuarterSection(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.newInspection("admin", "R", true, "A1", "B1")
		for _, k := range []string{"A1", "A1", "B1"} {
			if res := f.do("admin", "POST", fmt.Sprintf("/api/v1/inspections/%d/findings", id), findingBody(f, k)); res.status != 201 {
				t.Fatalf("finding: %d %s", res.status, res.body)
			}
		}
		f.newRectify("A2", "2026-01-31", false) // overdue from its creation
		sec := inspect.QuarterSection{DB: f.app.DB}
		ctx := context.Background()
		units := []quarterly.Unit{}
		for _, k := range []string{"A", "B"} {
			o, _ := org.Lookup(ctx, f.app.DB, f.orgs[k])
			units = append(units, quarterly.Unit{ID: f.orgs[k], Path: o.Path})
		}
		q4 := rules.Period{Unit: rules.Quarter, Year: 2026, Index: 4}
		figs, err := sec.Figures(ctx, nil, q4, units, i18n.ZH)
		if err != nil {
			t.Fatal(err)
		}
		a, b := f.orgs["A"], f.orgs["B"]
		if figs["rectify_open"][a].Num != 3 || figs["rectify_overdue"][a].Num != 1 || figs["findings"][a].Num != 2 || figs["findings"][b].Num != 1 {
			t.Fatalf("section figures: %+v", figs)
		}
		if r := figs["rectify_overdue"][a].Reasons; len(r) != 1 || !strings.Contains(r[0], "2026-01-31") {
			t.Fatalf("overdue reasons: %v", r)
		}
		if r := figs["findings"][a].Reasons; len(r) != 2 || !strings.Contains(r[0], "党课无记录") {
			t.Fatalf("finding reasons: %v", r)
		}
		var sum rectify.Summary
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d/rectify/summary", a), nil).decode(t, &sum)
		if sum.Open != figs["rectify_open"][a].Num || sum.Overdue != figs["rectify_overdue"][a].Num {
			t.Fatalf("the pack's figures differ from the dashboard's: %+v vs %+v", figs, sum)
		}
		q3 := rules.Period{Unit: rules.Quarter, Year: 2026, Index: 3}
		if figs, _ := sec.Figures(ctx, nil, q3, units, i18n.ZH); figs["findings"][a].Num != 0 {
			t.Fatalf("findings of Q4 counted in Q3: %+v", figs["findings"][a])
		}
	})
}

func inspectMatrix() map[string]matrixCase {
	const (
		ok = 200
		cr = 201
		nf = 404
		fb = 403
	)
	started := func(f *fixture) int64 { return f.newInspection("admin", "A", true, "A1") }
	return map[string]matrixCase{
		"POST /api/v1/orgs/{id}/inspections": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/inspections", f.orgs["A"]), inspBody(f, "A1")
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/inspections": {req: func(f *fixture, _ string) (string, string, any) {
			f.newInspection("admin", "A", false, "A1")
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/inspections", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}, check: noForeign},
		"GET /api/v1/inspections/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/inspections/%d", f.newInspection("admin", "A", false, "A1")), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"POST /api/v1/inspections/{id}/start": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/inspections/%d/start", f.newInspection("admin", "A", false, "A1")), nil
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/inspections/{id}/finish": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/inspections/%d/finish", started(f)), nil
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/inspections/{id}/findings": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/inspections/%d/findings", started(f)), findingBody(f, "A1")
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
	}
}

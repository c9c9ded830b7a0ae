package server

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/assess"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/publicity"
)

// assessSet publishes the community example at the root once and returns the version in
// force at A (A may have extended it since).
func (f *fixture) assessSet() int64 {
	f.t.Helper()
	ctx := context.Background()
	if f.count(`SELECT COUNT(*) FROM assess_sets`) == 0 {
		if _, err := f.app.Assess.PublishSet(ctx, auth.System(), f.orgs["R"], assess.Examples()["community"]); err != nil {
			f.t.Fatal(err)
		}
	}
	sets, err := f.app.Assess.SetsAt(ctx, auth.System(), f.orgs["A"], 2026)
	if err != nil || len(sets.InForce) != 1 {
		f.t.Fatalf("sets in force at A: %v %+v", err, sets)
	}
	return sets.InForce[0].RowID
}

// newRound opens a fresh round at A over its community branches (A1, A2, AG).
func (f *fixture) newRound() int64 {
	f.t.Helper()
	r, err := f.app.Assess.Open(context.Background(), auth.System(), f.orgs["A"], assess.NewRound{SetID: f.assessSet(), Name: "2026年度星级评定",
		SelfTo: "2026-12-31", ReviewTo: "2026-12-31", AwardOn: "2027-01-10"})
	if err != nil {
		f.t.Fatal(err)
	}
	return r.ID
}

// submittedRound is a fresh round where A1 scored itself high and submitted.
func (f *fixture) submittedRound() int64 {
	f.t.Helper()
	ctx, sys := context.Background(), auth.System()
	id := f.newRound()
	if _, err := f.app.Assess.SaveSelf(ctx, sys, id, f.orgs["A1"], assess.Values{Items: []assess.ValueIn{
		{Code: "life_met", Value: 1, Note: "补录"}, {Code: "attendance", Value: 1, Note: "补录"}, {Code: "points", Value: 20, Note: "补录"},
		{Code: "big_committee", Value: 1, Evidence: "章程"}, {Code: "concerns", Value: 25, Evidence: "台账"}, {Code: "grid", Value: 20, Evidence: "名册"}}}); err != nil {
		f.t.Fatal(err)
	}
	if _, err := f.app.Assess.Submit(ctx, sys, id, f.orgs["A1"]); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// reviewedRound is a round with every organization submitted and approved.
func (f *fixture) reviewedRound() int64 {
	f.t.Helper()
	ctx, sys := context.Background(), auth.System()
	id := f.submittedRound()
	// Every organization of the round (other cases add branches under A as they run).
	orgs, err := db.All(ctx, f.app.DB, `SELECT org_id FROM assess_orgs WHERE round_id = ?`, []any{id}, func(r db.Scanner) (int64, error) {
		var o int64
		err := r.Scan(&o)
		return o, err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, o := range orgs {
		if o != f.orgs["A1"] {
			if _, err := f.app.Assess.Submit(ctx, sys, id, o); err != nil {
				f.t.Fatal(err)
			}
		}
		if _, err := f.app.Assess.Approve(ctx, sys, id, o); err != nil {
			f.t.Fatal(err)
		}
	}
	return id
}

// publicRound is a reviewed round in its 公示 (opened today).
func (f *fixture) publicRound() int64 {
	f.t.Helper()
	id := f.reviewedRound()
	if _, err := f.app.Assess.Publish(context.Background(), auth.System(), id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// endedRound is a reviewed round whose 公示 ran from 2026-11-02 and has ended: the notice
// is opened through publicity with that first day (the route opens it today).
func (f *fixture) endedRound() int64 {
	f.t.Helper()
	ctx := context.Background()
	id := f.reviewedRound()
	err := f.app.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := f.app.Publicity.Open(ctx, tx, publicity.OpenIn{OrgID: f.orgs["A"], Subject: assess.SubjectRound, SubjectID: id, Title: "公示", WorkingDays: 5, From: "2026-11-02"}); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE assess_rounds SET state = 'publicity' WHERE id = ?`, id)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// objection raises an objection to A1 in a fresh 公示 and returns the round and its id.
func (f *fixture) objection() (int64, int64) {
	f.t.Helper()
	id := f.publicRound()
	o, err := f.app.Assess.Object(context.Background(), auth.System(), id, assess.NewObjection{OrgID: f.orgs["A1"], Text: "数据有误"})
	if err != nil {
		f.t.Fatal(err)
	}
	return id, o.ID
}

// starred awards A1 its star in a fresh round (and withdraws it when withdrawn).
func (f *fixture) starred(withdrawn bool) {
	f.t.Helper()
	ctx, sys := context.Background(), auth.System()
	id := f.endedRound()
	if _, err := f.app.Assess.Award(ctx, sys, id); err != nil {
		f.t.Fatal(err)
	}
	if withdrawn {
		if _, err := f.app.Assess.Withdraw(ctx, sys, f.orgs["A1"], assess.StarChange{Reason: "测试"}); err != nil {
			f.t.Fatal(err)
		}
	}
}

func assessMatrix() map[string]matrixCase {
	const (
		ok = 200
		cr = 201
		nf = 404
		fb = 403
	)
	round := func(method, suffix string, prep func(f *fixture) int64, body any) func(*fixture, string) (string, string, any) {
		return func(f *fixture, _ string) (string, string, any) {
			return method, fmt.Sprintf("/api/v1/assess/rounds/%d%s", prep(f), suffix), body
		}
	}
	sheet := func(method, suffix string, prep func(f *fixture) int64, body any) func(*fixture, string) (string, string, any) {
		return func(f *fixture, _ string) (string, string, any) {
			return method, fmt.Sprintf("/api/v1/assess/rounds/%d/orgs/%d%s", prep(f), f.orgs["A1"], suffix), body
		}
	}
	onOrg := func(method, key, suffix string, prep func(f *fixture), body any) func(*fixture, string) (string, string, any) {
		return func(f *fixture, _ string) (string, string, any) {
			if prep != nil {
				prep(f)
			}
			return method, fmt.Sprintf("/api/v1/orgs/%d%s", f.orgs[key], suffix), body
		}
	}
	selfBody := assess.Values{Items: []assess.ValueIn{{Code: "grid", Value: 18, Evidence: "名册"}}}
	reviewBody := assess.Values{Items: []assess.ValueIn{{Code: "grid", Value: 15, Note: "覆盖不全"}}}
	return map[string]matrixCase{
		"GET /api/v1/assess/examples": {req: get("/api/v1/assess/examples"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/assess/schema":   {req: get("/api/v1/assess/schema"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/assess/bindings": {req: get("/api/v1/assess/bindings"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/orgs/{id}/assess/sets": {req: onOrg("POST", "A", "/assess/sets", func(f *fixture) { f.assessSet() }, rawBody(assess.Examples()["community"])),
			want: [6]int{cr, cr, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/assess/sets": {req: onOrg("GET", "A", "/assess/sets?year=2026", nil, nil), want: [6]int{ok, ok, ok, nf, nf, nf}},
		"POST /api/v1/orgs/{id}/assess/rounds": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/assess/rounds", f.orgs["A"]), map[string]any{"set_id": f.assessSet(), "name": "轮次",
				"self_to": "2026-12-31", "review_to": "2026-12-31", "award_on": "2027-01-10"}
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/assess/rounds":                {req: onOrg("GET", "A1", "/assess/rounds", func(f *fixture) { f.newRound() }, nil), want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/assess/rounds/{id}":                     {req: round("GET", "", (*fixture).newRound, nil), want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/assess/rounds/{id}/ranking":             {req: round("GET", "/ranking", (*fixture).newRound, nil), want: [6]int{ok, ok, ok, nf, nf, nf}, check: noForeign},
		"GET /api/v1/assess/rounds/{id}/distribution":        {req: round("GET", "/distribution", (*fixture).newRound, nil), want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/assess/rounds/{id}/export":              {req: round("GET", "/export", (*fixture).newRound, nil), want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/assess/rounds/{id}/orgs/{org}":          {req: sheet("GET", "", (*fixture).newRound, nil), want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/assess/rounds/{id}/orgs/{org}/report":   {req: sheet("GET", "/report", (*fixture).newRound, nil), want: [6]int{ok, ok, ok, ok, nf, nf}},
		"PUT /api/v1/assess/rounds/{id}/orgs/{org}/self":     {req: sheet("PUT", "/self", (*fixture).newRound, selfBody), want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/assess/rounds/{id}/orgs/{org}/submit":  {req: sheet("POST", "/submit", (*fixture).newRound, nil), want: [6]int{ok, ok, fb, ok, fb, fb}},
		"PUT /api/v1/assess/rounds/{id}/orgs/{org}/review":   {req: sheet("PUT", "/review", (*fixture).submittedRound, reviewBody), want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/assess/rounds/{id}/orgs/{org}/return":  {req: sheet("POST", "/return", (*fixture).submittedRound, map[string]any{"reason": "请补充材料"}), want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/assess/rounds/{id}/orgs/{org}/approve": {req: sheet("POST", "/approve", (*fixture).submittedRound, nil), want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/assess/rounds/{id}/publicity":          {req: round("POST", "/publicity", (*fixture).reviewedRound, nil), want: [6]int{cr, cr, fb, fb, fb, fb}},
		"GET /api/v1/assess/rounds/{id}/publicity":           {req: round("GET", "/publicity", (*fixture).publicRound, nil), want: [6]int{ok, ok, ok, nf, nf, nf}},
		"POST /api/v1/assess/rounds/{id}/objections": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/assess/rounds/%d/objections", f.publicRound()), map[string]any{"org_id": f.orgs["A1"], "text": "数据有误"}
		}, want: [6]int{cr, cr, cr, cr, fb, fb}},
		"POST /api/v1/assess/rounds/{id}/objections/{oid}/answer": {req: func(f *fixture, _ string) (string, string, any) {
			id, oid := f.objection()
			return "POST", fmt.Sprintf("/api/v1/assess/rounds/%d/objections/%d/answer", id, oid), map[string]any{"upheld": false, "answer": "经核实无误"}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/assess/rounds/{id}/award": {req: round("POST", "/award", (*fixture).endedRound, nil), want: [6]int{ok, ok, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/stars":           {req: onOrg("GET", "A1", "/stars", nil, nil), want: [6]int{ok, ok, ok, ok, nf, nf}},
		"POST /api/v1/orgs/{id}/stars/withdraw": {req: onOrg("POST", "A1", "/stars/withdraw", func(f *fixture) { f.starred(false) }, map[string]any{"reason": "摘星理由"}),
			want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/orgs/{id}/stars/restore": {req: onOrg("POST", "A1", "/stars/restore", func(f *fixture) { f.starred(true) }, map[string]any{"reason": "恢复理由"}),
			want: [6]int{ok, ok, fb, fb, fb, fb}},
	}
}

// TestAssessOverHTTP: a round's sheet explains every bound number with its records' link, the
// export is a workbook, the report prints, and a broken set answers with its lines.
func TestAssessOverHTTP(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		bad := strings.Replace(string(assess.Examples()["community"]), "method: yesno", "method: maybe", 1)
		res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/assess/sets", f.orgs["A"]), rawBody(bad))
		if res.status != 422 || !strings.Contains(string(res.body), "maybe") || !strings.Contains(string(res.body), `"row":`) {
			t.Fatalf("bad set: %d %s", res.status, res.body)
		}
		id := f.submittedRound()
		res = f.do("secA", "GET", fmt.Sprintf("/api/v1/assess/rounds/%d/orgs/%d", id, f.orgs["A1"]), nil)
		if res.status != 200 || !strings.Contains(string(res.body), fmt.Sprintf(`"link":"/orgs/%d/life?period=2026"`, f.orgs["A1"])) {
			t.Fatalf("sheet: %d %s", res.status, res.body)
		}
		res = f.do("staffA", "GET", fmt.Sprintf("/api/v1/assess/rounds/%d/export", id), nil)
		if res.status != 200 || !strings.HasPrefix(string(res.body), "PK") {
			t.Fatalf("export: %d", res.status)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(res.body))
		if err != nil {
			t.Fatal(err)
		}
		rank, _ := wb.GetRows("排名")
		detail, _ := wb.GetRows("指标明细")
		if len(rank) < 5 || rank[1][0] != "名次" || rank[2][1] != "中共和平社区第一支部委员会" || rank[2][2] != "已自评" {
			t.Fatalf("排名: %v", rank)
		}
		var selfGrid bool
		for _, r := range detail {
			selfGrid = selfGrid || len(r) > 6 && r[0] == "中共和平社区第一支部委员会" && r[1] == "grid" && r[3] == "自评" && r[4] == "20" && r[6] == "名册"
		}
		if !selfGrid {
			t.Fatalf("指标明细 lacks A1's self-assessed grid: %v", detail)
		}
		res = f.do("secA", "GET", fmt.Sprintf("/api/v1/assess/rounds/%d/orgs/%d/report", id, f.orgs["A1"]), nil)
		if res.status != 200 || !strings.Contains(string(res.body), "自评总分") {
			t.Fatalf("report: %d %s", res.status, res.body)
		}
	})
}

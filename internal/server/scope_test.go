package server

import (
	"context"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/life/compliance"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/life"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/points"

	"dangjian/internal/classify"
	"dangjian/internal/secreport"
)

var matrixRoles = []string{"admin", "staffA", "viewerA", "secA", "memA", "staffB"}

// matrixCase is one endpoint of the scope matrix: the request each role sends (targets
// are in A's subtree, so staffB is always out of scope) and the status each must get.
type matrixCase struct {
	req  func(f *fixture, role string) (method, path string, body any)
	want [6]int
	// check looks further at a successful answer (e.g. that a list leaks nothing).
	check func(t *testing.T, f *fixture, role string, body []byte)
}

func get(path string) func(*fixture, string) (string, string, any) {
	return func(*fixture, string) (string, string, any) { return "GET", path, nil }
}

// noForeign fails when a list answer mentions an organization the role must not see.
func noForeign(t *testing.T, f *fixture, role string, body []byte) {
	t.Helper()
	var l struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal(body, &l); err != nil {
		t.Fatalf("%s: %v", role, err)
	}
	foreign := map[string][]string{"staffA": {"B", "B1"}, "viewerA": {"B", "B1"}, "secA": {"A2", "B1"}, "memA": {"A2", "B1"}, "staffB": {"A", "A1", "A2"}}[role]
	for _, it := range l.Items {
		for _, k := range foreign {
			id := float64(f.orgs[k])
			if it["id"] == id && it["path"] != nil || it["org_id"] == id {
				t.Errorf("%s sees %s in %v", role, k, it)
			}
		}
	}
}

func matrix() map[string]matrixCase {
	m := baseMatrix()
	for k, c := range assessMatrix() {
		m[k] = c
	}
	for k, c := range projectsMatrix() {
		m[k] = c
	}
	for k, c := range inspectMatrix() {
		m[k] = c
	}
	return m
}

func baseMatrix() map[string]matrixCase {
	const (
		ok = 200
		cr = 201
		nc = 204
		nf = 404
		fb = 403
	)
	return map[string]matrixCase{
		"POST /api/v1/auth/logout": {req: func(*fixture, string) (string, string, any) { return "POST", "/api/v1/auth/logout", nil }, want: [6]int{nc, nc, nc, nc, nc, nc}},
		"POST /api/v1/me/password": {req: func(*fixture, string) (string, string, any) {
			return "POST", "/api/v1/me/password", map[string]string{"old_password": testPassword, "new_password": "another-pass-1"}
		}, want: [6]int{nc, nc, nc, nc, nc, nc}},
		"GET /api/v1/me":    {req: get("/api/v1/me"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/users": {req: get("/api/v1/users"), want: [6]int{ok, ok, ok, ok, ok, ok}, check: noForeign},
		"POST /api/v1/users": {req: func(f *fixture, role string) (string, string, any) {
			f.seq++
			return "POST", "/api/v1/users", map[string]any{"username": fmt.Sprintf("new%d", f.seq), "password": testPassword, "org_id": f.orgs["A1"]}
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"GET /api/v1/users/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/users/%d", f.users["secA"]), nil
		}, want: [6]int{ok, ok, nf, ok, nf, nf}},
		"PATCH /api/v1/users/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "PATCH", fmt.Sprintf("/api/v1/users/%d", f.newUser("A1")), map[string]any{"display_name": "改名"}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/users/{id}/grants": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/users/%d/grants", f.newUser("A1")), map[string]any{"role": "viewer", "org_id": f.orgs["A1"]}
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"DELETE /api/v1/users/{id}/grants/{grant_id}": {req: func(f *fixture, _ string) (string, string, any) {
			uid := f.newUser("A1")
			res := f.do("admin", "POST", fmt.Sprintf("/api/v1/users/%d/grants", uid), map[string]any{"role": "viewer", "org_id": f.orgs["A1"]})
			var g struct{ ID int64 }
			res.decode(f.t, &g)
			return "DELETE", fmt.Sprintf("/api/v1/users/%d/grants/%d", uid, g.ID), nil
		}, want: [6]int{nc, nc, fb, fb, fb, fb}},
		"GET /api/v1/tokens": {req: get("/api/v1/tokens"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/tokens": {req: func(*fixture, string) (string, string, any) {
			return "POST", "/api/v1/tokens", map[string]any{"name": "脚本", "expires_in_days": 30}
		}, want: [6]int{cr, cr, cr, fb, fb, cr}},
		"DELETE /api/v1/tokens/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			// Someone else's token: never reachable.
			res := f.do("admin", "POST", "/api/v1/tokens", map[string]any{"name": "admin's"})
			var tk struct{ ID int64 }
			res.decode(f.t, &tk)
			return "DELETE", fmt.Sprintf("/api/v1/tokens/%d", tk.ID), nil
		}, want: [6]int{nc, nf, nf, nf, nf, nf}},
		"GET /api/v1/meta/enums": {req: get("/api/v1/meta/enums"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/audit": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/audit?org=%d", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, fb, fb, fb, nf}},
		"GET /api/v1/orgs": {req: get("/api/v1/orgs?page_size=500"), want: [6]int{ok, ok, ok, ok, ok, ok}, check: noForeign},
		"POST /api/v1/orgs": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", "/api/v1/orgs", map[string]any{"parent_id": f.orgs["A"], "name": "新支部", "kind": "branch", "field": "community"}
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"PATCH /api/v1/orgs/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "PATCH", fmt.Sprintf("/api/v1/orgs/%d", f.orgs["A1"]), map[string]any{"contact": "联系人"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"DELETE /api/v1/orgs/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "DELETE", fmt.Sprintf("/api/v1/orgs/%d", f.newOrg("A1", org.Group)), nil
		}, want: [6]int{nc, nc, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/children": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/children", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"POST /api/v1/orgs/{id}/move": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/move", f.newOrg("A", org.Branch)), map[string]any{"parent_id": f.orgs["AG"]}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/stats": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/stats", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/orgs/{id}/checks": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/checks?check=too_small", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/orgs/{id}/committee": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/committee", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"POST /api/v1/orgs/{id}/committee": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/committee", f.orgs["A1"]), map[string]any{"member_id": f.newMember("A1"), "role": "member", "from_date": "2026-01-01"}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"POST /api/v1/orgs/{id}/committee/{cid}/end": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/committee/%d/end", f.orgs["A1"], f.newPost("A1", "member")), map[string]any{"to_date": "2026-11-01"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/orgs/{id}/history": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/history", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/members": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/members?org=%d", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}, check: func(t *testing.T, f *fixture, role string, body []byte) {
			var l struct{ Total int }
			_ = json.Unmarshal(body, &l)
			if want := map[string]int{"memA": 1}[role]; want != 0 && l.Total != want {
				t.Errorf("%s sees %d members, want %d", role, l.Total, want)
			}
		}},
		"POST /api/v1/members": {req: func(f *fixture, _ string) (string, string, any) {
			f.seq++
			return "POST", "/api/v1/members", map[string]any{"org_id": f.orgs["A1"], "name": "新人", "ethnicity": "01",
				"id_number": validID("1995-03-03", 300+f.seq, false), "category": "probationary", "join_date": "2026-07-01"}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"GET /api/v1/members/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/members/%d?reveal=true", f.members["a1m1"]), nil
		}, want: [6]int{ok, ok, fb, ok, ok, nf}},
		"PATCH /api/v1/members/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "PATCH", fmt.Sprintf("/api/v1/members/%d", f.members["a1m2"]), map[string]any{"position": "社区工作者"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/members/import/template": {req: get("/api/v1/members/import/template"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/members/import": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=false", f.orgs["A1"]), f.rosterCSV(false)
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/members/import/{id}/errors.xlsx": {req: func(f *fixture, _ string) (string, string, any) {
			// An import run by staffA: only staffA and admins may fetch its error workbook.
			res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=true", f.orgs["A1"]), f.rosterCSV(true))
			var rep struct {
				ErrorWorkbookURL string `json:"error_workbook_url"`
			}
			res.decode(f.t, &rep)
			return "GET", rep.ErrorWorkbookURL, nil
		}, want: [6]int{ok, ok, nf, nf, nf, nf}},
		"GET /api/v1/members/export": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/members/export?org=%d", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"GET /api/v1/activities": {req: func(f *fixture, _ string) (string, string, any) {
			f.newActivity("A1", "held")
			return "GET", fmt.Sprintf("/api/v1/activities?org=%d", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}, check: noForeign},
		"POST /api/v1/activities": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", "/api/v1/activities", map[string]any{"org_id": f.orgs["A1"], "kinds": []string{"theme_day", "party_lecture"},
				"topic": "学习党章", "starts_at": "2026-11-20T01:00:00Z", "held": true, "speaker": "书记"}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"GET /api/v1/activities/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/activities/%d", f.newActivity("A1", "held")), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"PATCH /api/v1/activities/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "PATCH", fmt.Sprintf("/api/v1/activities/%d", f.newActivity("A1", "held")), map[string]any{"place": "党员活动室"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/activities/{id}/attendance": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/activities/%d/attendance", f.newActivity("A1", "held")), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"PUT /api/v1/activities/{id}/attendance": {req: func(f *fixture, _ string) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/activities/%d/attendance", f.newActivity("A1", "held")),
				map[string]any{"items": []map[string]any{{"member_id": f.members["a1m1"], "state": "present"}}}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/activities/{id}/submit": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/activities/%d/submit", f.newActivity("A1", "held")), map[string]any{"confirm": true}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/activities/{id}/accept": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/activities/%d/accept", f.newActivity("A1", "submitted")), nil
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/activities/{id}/return": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/activities/%d/return", f.newActivity("A1", "submitted")), map[string]any{"comment": "请补充会议记录"}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/activities/{id}/amend": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/activities/%d/amend", f.newActivity("A1", "accepted")), nil
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"GET /api/v1/exemptions": {req: func(f *fixture, _ string) (string, string, any) {
			f.newExemption()
			return "GET", fmt.Sprintf("/api/v1/exemptions?org=%d", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"POST /api/v1/exemptions": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", "/api/v1/exemptions", map[string]any{"member_id": f.members["a1m3"], "reason": "外出务工", "from_date": "2026-10-01"}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"DELETE /api/v1/exemptions/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "DELETE", fmt.Sprintf("/api/v1/exemptions/%d", f.newExemption()), nil
		}, want: [6]int{nc, nc, fb, nc, fb, fb}},
		"GET /api/v1/compliance": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=2026-Q4&subtree=true", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}, check: noForeign},
		"GET /api/v1/compliance/summary": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2026-Q4", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/notices": {req: get("/api/v1/notices"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/notices/{id}/read": {req: func(*fixture, string) (string, string, any) {
			return "POST", "/api/v1/notices/0/read", nil
		}, want: [6]int{nc, nc, nc, nc, nc, nc}},
		"POST /api/v1/orgs/{id}/calendar-token": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs["A1"]), nil
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"GET /api/v1/orgs/{id}/calendar-token": {req: func(f *fixture, _ string) (string, string, any) {
			f.do("secA", "POST", fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs["A1"]), nil)
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"DELETE /api/v1/orgs/{id}/calendar-token/{token_id}": {req: func(f *fixture, _ string) (string, string, any) {
			var tok compliance.CalendarToken
			f.do("secA", "POST", fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs["A1"]), nil).decode(f.t, &tok)
			return "DELETE", fmt.Sprintf("/api/v1/orgs/%d/calendar-token/%d", f.orgs["A1"], tok.ID), nil
		}, want: [6]int{nc, nc, fb, nc, fb, fb}},
		"DELETE /api/v1/orgs/{id}/calendar-token": {req: func(f *fixture, _ string) (string, string, any) {
			return "DELETE", fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs["A1"]), nil
		}, want: [6]int{nc, nc, fb, nc, fb, fb}},
		"GET /api/v1/compliance/members": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/compliance/members?org=%d", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/compliance/lost": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/compliance/lost?org=%d", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/me/activities": {req: get("/api/v1/me/activities"), want: [6]int{nf, nf, nf, nf, ok, nf}},
		"GET /api/v1/members/{id}/activities": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/members/%d/activities", f.members["a1m1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"POST /api/v1/affiliations": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", "/api/v1/affiliations", map[string]any{"member_id": f.members["a1m3"], "org_id": f.newOrg("A", org.TempBranch), "kind": "temporary", "from_date": "2026-11-01"}
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"POST /api/v1/affiliations/{id}/end": {req: func(f *fixture, _ string) (string, string, any) {
			a, err := f.app.Life.AddAffiliation(t0(), auth.System(), life.Affiliation{MemberID: f.members["a1m3"], OrgID: f.newOrg("A", org.TempBranch), Kind: "temporary", FromDate: "2026-11-01"})
			if err != nil {
				f.t.Fatal(err)
			}
			return "POST", fmt.Sprintf("/api/v1/affiliations/%d/end", a.ID), map[string]any{"to_date": "2026-11-15"}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/affiliations": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/affiliations", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/members/{id}/affiliations": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/members/%d/affiliations", f.members["a1m1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"GET /api/v1/activities/{id}/reviews": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/activities/%d/reviews", f.newActivityOf("A1", "held", "member_review")), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"PUT /api/v1/activities/{id}/reviews": {req: func(f *fixture, _ string) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/activities/%d/reviews", f.newActivityOf("A1", "held", "member_review")),
				map[string]any{"items": []map[string]any{{"member_id": f.members["a1m1"], "grade": "qualified"}}}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/activities/{id}/outcomes": {req: func(f *fixture, _ string) (string, string, any) {
			id := f.newActivityOf("A1", "held", "member_review")
			if _, err := f.app.Appraisal.SetReviews(context.Background(), auth.System(), id, appraisal.AppraisalUpdate{Items: []appraisal.Appraisal{{MemberID: f.members["a1m2"], Grade: "unqualified"}}}, i18n.ZH); err != nil {
				f.t.Fatal(err)
			}
			return "POST", fmt.Sprintf("/api/v1/activities/%d/outcomes", id),
				map[string]any{"member_id": f.members["a1m2"], "outcome": "corrected", "decided_on": "2026-11-21", "decided_by": "支部党员大会"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/activities/{id}/rectifications": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/activities/%d/rectifications", f.newActivityOf("A1", "held", "life_meeting")), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"POST /api/v1/activities/{id}/rectifications": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/activities/%d/rectifications", f.newActivityOf("A1", "accepted", "life_meeting")),
				map[string]any{"problem": "学习不够深入", "measure": "每月集中学习", "owner": "书记", "deadline": "2027-03-31"}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"POST /api/v1/rectifications/{id}/done": {req: func(f *fixture, _ string) (string, string, any) {
			aid := f.newActivityOf("A1", "held", "life_meeting")
			rc, err := f.app.Appraisal.AddRectification(t0(), auth.System(), aid, appraisal.NewRectification{Problem: "问题", Deadline: "2027-01-31"})
			if err != nil {
				f.t.Fatal(err)
			}
			return "POST", fmt.Sprintf("/api/v1/rectifications/%d/done", rc.ID), map[string]any{"note": "已完成"}
		}, want: [6]int{nc, nc, fb, nc, fb, fb}},
		"PATCH /api/v1/rectifications/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			aid := f.newActivityOf("A1", "held", "life_meeting")
			rc, err := f.app.Appraisal.AddRectification(t0(), auth.System(), aid, appraisal.NewRectification{Problem: "问题", Deadline: "2027-01-31"})
			if err != nil {
				f.t.Fatal(err)
			}
			return "PATCH", fmt.Sprintf("/api/v1/rectifications/%d", rc.ID), map[string]any{"problem": "问题（修改）", "deadline": "2027-02-28"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/talks": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/talks?org=%d", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"POST /api/v1/talks": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", "/api/v1/talks", map[string]any{"org_id": f.orgs["A1"], "talker": "书记A1", "member_id": f.members["a1m2"], "talked_on": "2026-11-01", "summary": "交流思想"}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"GET /api/v1/orgs/{id}/record-book": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/record-book?year=2026&format=xlsx", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"POST /api/v1/rulepacks": {req: func(*fixture, string) (string, string, any) {
			return "POST", "/api/v1/rulepacks", rawBody(stricterPack)
		}, want: [6]int{cr, fb, fb, fb, fb, fb}},
		"GET /api/v1/rulepacks/rules/{rule_id}": {req: get("/api/v1/rulepacks/rules/theme_day.month"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/rulepacks/source":          {req: get("/api/v1/rulepacks/source"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/rulepacks/schema":          {req: get("/api/v1/rulepacks/schema"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/activities/{id}/attachments": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/activities/%d/attachments", f.newActivity("A1", "held")), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"POST /api/v1/activities/{id}/attachments": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/activities/%d/attachments", f.newActivity("A1", "held")), pngFile("会议照片.png", 64, 48)
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"GET /api/v1/attachments/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/attachments/%d", f.newAttachment()), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"DELETE /api/v1/attachments/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "DELETE", fmt.Sprintf("/api/v1/attachments/%d", f.newAttachment()), nil
		}, want: [6]int{nc, nc, fb, nc, fb, fb}},
		"POST /api/v1/activities/{id}/checkin-code": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/activities/%d/checkin-code", f.meetingNow()), nil
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"POST /api/v1/activities/{id}/checkin": {req: func(f *fixture, _ string) (string, string, any) {
			id, code := f.newCheckin()
			return "POST", fmt.Sprintf("/api/v1/activities/%d/checkin", id), map[string]any{"code": code}
		}, want: [6]int{fb, fb, fb, fb, ok, fb}},
		"GET /api/v1/rulepacks": {req: get("/api/v1/rulepacks"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/orgs/{id}/todo": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/todo", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/orgs/{id}/topics": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/topics?kind=theme_day", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/reviews/inbox": {req: func(f *fixture, _ string) (string, string, any) {
			f.newActivity("A1", "submitted")
			return "GET", "/api/v1/reviews/inbox", nil
		}, want: [6]int{ok, ok, fb, ok, fb, ok}, check: noForeign}, // the router: EditOrg somewhere
		"GET /api/v1/activities/{id}/checkin": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/activities/%d/checkin", f.meetingNow()), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"GET /api/v1/members/{id}/history": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/members/%d/history", f.members["a1m1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"GET /api/v1/points/schemes/example": {req: get("/api/v1/points/schemes/example"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/points/schemes/schema":  {req: get("/api/v1/points/schemes/schema"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/orgs/{id}/points/schemes": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/points/schemes", f.orgs["A"]), rawBody(points.ExampleText())
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/points/schemes": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/points/schemes", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/orgs/{id}/points/summary": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/points/summary?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/orgs/{id}/points/claims": {req: func(f *fixture, _ string) (string, string, any) {
			f.newClaim("a1m2")
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/points/claims", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}, check: noForeign},
		"POST /api/v1/points/claims": {req: func(f *fixture, _ string) (string, string, any) {
			f.pointsScheme()
			return "POST", "/api/v1/points/claims", map[string]any{"member_id": f.members["a1m1"], "item": "volunteer", "event_date": "2026-11-01"}
		}, want: [6]int{cr, cr, fb, cr, cr, fb}},
		"POST /api/v1/points/claims/decide": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", "/api/v1/points/claims/decide", map[string]any{"ids": []int64{f.newClaim("a1m2")}, "action": "approve"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/points/entries": {req: func(f *fixture, _ string) (string, string, any) {
			f.pointsScheme()
			return "POST", "/api/v1/points/entries", map[string]any{"member_id": f.members["a1m2"], "item": "absence", "event_date": "2026-11-01"}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"POST /api/v1/points/entries/{id}/reverse": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/points/entries/%d/reverse", f.newEntry("a1m2")), map[string]any{"reason": "录入有误"}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"GET /api/v1/members/{id}/points": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/members/%d/points?year=2026", f.members["a1m1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"POST /api/v1/points/claims/{id}/resubmit": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/points/claims/%d/resubmit", f.returnedClaim("a1m1")), map[string]any{"event_date": "2026-11-02", "note": "已补充"}
		}, want: [6]int{ok, ok, fb, ok, ok, fb}},
		"GET /api/v1/orgs/{id}/quarterly": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/quarterly?quarter=2026-Q3", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/orgs/{id}/quarterly/workbook": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/quarterly/workbook?quarter=2026-Q3", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"PUT /api/v1/orgs/{id}/quarterly/comments": {req: func(f *fixture, _ string) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/orgs/%d/quarterly/comments", f.orgs["A"]), map[string]any{"quarter": "2026-Q3", "org_id": f.orgs["A1"], "text": "主题党日按月落实"}
		}, want: [6]int{nc, nc, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/points/yearend": {req: func(f *fixture, _ string) (string, string, any) {
			f.publicYearEnd()
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/points/yearend?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"POST /api/v1/orgs/{id}/points/yearend": {req: func(f *fixture, _ string) (string, string, any) {
			f.pointsSchemeOf(2025)
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/points/yearend", f.orgs["A1"]), map[string]any{"year": 2025}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/points/yearend/{id}/reviews": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/points/yearend/%d/reviews", f.yearEnd(2025)), map[string]any{"accept_proposed": true}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/points/yearend/{id}/publicity": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/points/yearend/%d/publicity", f.groupYearEnd()), map[string]any{}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/points/yearend/{id}/objections": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/points/yearend/%d/objections", f.publicYearEnd()), map[string]any{"member_id": f.members["a1m2"], "text": "有异议"}
		}, want: [6]int{fb, fb, fb, fb, cr, fb}},
		"POST /api/v1/points/yearend/{id}/objections/{oid}/answer": {req: func(f *fixture, _ string) (string, string, any) {
			id, oid := f.newObjection()
			return "POST", fmt.Sprintf("/api/v1/points/yearend/%d/objections/%d/answer", id, oid), map[string]any{"upheld": false, "answer": "评分无误"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/points/yearend/{id}/confirm": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/points/yearend/%d/confirm", f.endedYearEnd()), nil
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/points/ratings/{id}/withdraw": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/points/ratings/%d/withdraw", f.confirmedRating(false)), map[string]any{"reason": "受到处分"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/points/ratings/{id}/restore": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/points/ratings/%d/restore", f.confirmedRating(true)), map[string]any{"reason": "复查后恢复"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/orgs/{id}/points/yearend/summary": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/points/yearend/summary?year=2026", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/members/{id}/points/rating": {req: func(f *fixture, _ string) (string, string, any) {
			f.publicYearEnd()
			return "GET", fmt.Sprintf("/api/v1/members/%d/points/rating?year=2026", f.members["a1m1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"POST /api/v1/points/appeals": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", "/api/v1/points/appeals", map[string]any{"entry_id": f.newEntry("a1m1"), "text": "申诉理由"}
		}, want: [6]int{fb, fb, fb, fb, cr, fb}},
		"GET /api/v1/orgs/{id}/points/appeals": {req: func(f *fixture, _ string) (string, string, any) {
			f.newAppeal()
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/points/appeals", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}, check: noForeign},
		"POST /api/v1/points/appeals/{id}/decide": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/points/appeals/%d/decide", f.newAppeal()), map[string]any{"action": "uphold", "answer": "维持原扣分"}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"GET /api/v1/calendar/{year}": {req: get("/api/v1/calendar/2026"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"GET /api/v1/calendar/window": {req: get("/api/v1/calendar/window?from=2026-09-28&days=5"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"PUT /api/v1/calendar/{year}": {req: func(*fixture, string) (string, string, any) {
			return "PUT", "/api/v1/calendar/2027", rawBody([]byte("year: 2027\nsource: 测试\nholidays:\n  - {name: 元旦, from: 2027-01-01, to: 2027-01-01}\n"))
		}, want: [6]int{ok, fb, fb, fb, fb, fb}},
		// Commitments (公开承诺): the member or the branch drafts; the branch confirms and records.
		"GET /api/v1/commitments/catalogue": {req: get("/api/v1/commitments/catalogue"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/commitments": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", "/api/v1/commitments", map[string]any{"member_id": f.members["a1m1"], "category": "work", "content": "带头完成岗位任务", "due_date": "2027-03-01"}
		}, want: [6]int{cr, cr, fb, cr, cr, fb}},
		"POST /api/v1/commitments/{id}/confirm": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/commitments/%d/confirm", f.newCommitment("", "draft")), nil
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/commitments/{id}/withdraw": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/commitments/%d/withdraw", f.newCommitment("a1m1", "draft")), nil
		}, want: [6]int{ok, ok, fb, ok, ok, fb}},
		"POST /api/v1/commitments/{id}/outcome": {req: func(f *fixture, _ string) (string, string, any) {
			f.pointsScheme()
			return "POST", fmt.Sprintf("/api/v1/commitments/%d/outcome", f.newCommitment("", "confirmed")), map[string]any{"result": "kept", "note": "已完成"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/commitments/{id}/reopen": {req: func(f *fixture, _ string) (string, string, any) {
			f.pointsScheme()
			return "POST", fmt.Sprintf("/api/v1/commitments/%d/reopen", f.newCommitment("", "kept")), map[string]any{"reason": "误记"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/members/{id}/commitments": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/members/%d/commitments?year=2026", f.members["a1m1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"GET /api/v1/orgs/{id}/commitments": {req: func(f *fixture, _ string) (string, string, any) {
			f.newCommitment("", "confirmed")
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/commitments?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}, check: noForeign},
		"GET /api/v1/orgs/{id}/commitments/summary": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/commitments/summary?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		// 到社区报到 and volunteer records: the community (A2 here) sees who registered with it.
		"GET /api/v1/volunteer/communities": {req: get("/api/v1/volunteer/communities?q=社区"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/volunteer/registrations": {req: func(f *fixture, _ string) (string, string, any) {
			f.endRegistrations("a1m1")
			return "POST", "/api/v1/volunteer/registrations", map[string]any{"member_id": f.members["a1m1"], "community_id": f.orgs["A2"]}
		}, want: [6]int{cr, cr, fb, cr, cr, fb}},
		"POST /api/v1/volunteer/registrations/{id}/end": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/volunteer/registrations/%d/end", f.newRegistration()), nil
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/orgs/{id}/volunteer/registrations": {req: func(f *fixture, _ string) (string, string, any) {
			f.newRegistration()
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/volunteer/registrations?all=true", f.orgs["A2"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/orgs/{id}/volunteer/summary": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/volunteer/summary?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/members/{id}/volunteer": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/members/%d/volunteer?year=2026", f.members["a1m1"]), nil
		}, want: [6]int{ok, ok, ok, ok, ok, nf}},
		"POST /api/v1/volunteer/records": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", "/api/v1/volunteer/records", map[string]any{"member_id": f.members["a1m1"], "organizer_id": f.orgs["A1"], "day": "2026-11-01", "hours": 2, "what": "清理楼道"}
		}, want: [6]int{cr, cr, fb, cr, cr, fb}},
		"POST /api/v1/volunteer/records/{id}/decide": {req: func(f *fixture, _ string) (string, string, any) {
			f.pointsScheme()
			return "POST", fmt.Sprintf("/api/v1/volunteer/records/%d/decide", f.newVolunteerRecord("")), map[string]any{"action": "confirm"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/volunteer/records/{id}/withdraw": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/volunteer/records/%d/withdraw", f.newVolunteerRecord("a1m1")), nil
		}, want: [6]int{ok, ok, fb, ok, ok, fb}},
		"GET /api/v1/orgs/{id}/volunteer/records": {req: func(f *fixture, _ string) (string, string, any) {
			f.newVolunteerRecord("")
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/volunteer/records", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/orgs/{id}/points/children": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/points/children?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/orgs/{id}/points/members": {req: func(f *fixture, _ string) (string, string, any) {
			f.newEntry("a1m2")
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/points/members?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/orgs/{id}/points/export": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/points/export?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/points/import/template": {req: get("/api/v1/points/import/template"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/orgs/{id}/points/import": {req: func(f *fixture, _ string) (string, string, any) {
			f.pointsScheme()
			csv := fmt.Sprintf("党员,年度,项目代码,分值\n%d,2026,volunteer,1\n", f.members["a1m1"])
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/points/import?dry_run=false", f.orgs["A1"]), upload{name: "points.csv", data: []byte(csv)}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/orgs/{id}/tasks": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/tasks", f.orgs["A1"]), map[string]any{"title": "小组学习", "due_date": "2026-12-31", "to": map[string]any{"children": true}}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"POST /api/v1/tasks/{id}/cascade": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/tasks/%d/cascade", f.newTask()), map[string]any{"org_id": f.orgs["A1"], "additions": "各小组落实", "due_date": "2026-12-20"}
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"GET /api/v1/orgs/{id}/tasks": {req: func(f *fixture, _ string) (string, string, any) {
			f.newTask()
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/tasks?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/tasks/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/tasks/%d?org=%d", f.newTask(), f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/tasks/{id}/children": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/tasks/%d/children?org=%d", f.newTask(), f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}, check: noForeign},
		"GET /api/v1/tasks/{id}/export": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/tasks/%d/export?org=%d", f.newTask(), f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/orgs/{id}/tasks/completion": {req: func(f *fixture, _ string) (string, string, any) {
			f.newTask()
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/tasks/completion?year=2026", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/tasks/{id}/assignments": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/tasks/%d/assignments?org=%d", f.newTask(), f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}, check: noForeign},
		"POST /api/v1/tasks/assignments/{id}/transition": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/tasks/assignments/%d/transition", f.newAssignment("A1")), map[string]any{"action": "accept"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/me/tasks": {req: get("/api/v1/me/tasks"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		// Issue 15 part 2: rectification items (of A1; the level above is A), 述职评议 (A's
		// round; A1's report), classification (by A) and conversion plans.
		"GET /api/v1/orgs/{id}/rectify": {req: func(f *fixture, _ string) (string, string, any) {
			f.newRectify("A1", "2026-12-31", false)
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/rectify", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}, check: noForeign},
		"GET /api/v1/orgs/{id}/rectify/summary": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/rectify/summary", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/rectify/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/rectify/%d", f.newRectify("A1", "2026-12-31", false)), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"POST /api/v1/rectify/{id}/progress": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/rectify/%d/progress", f.newRectify("A1", "2026-12-31", false)), map[string]any{"text": "进展"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/rectify/{id}/submit": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/rectify/%d/submit", f.newRectify("A1", "2026-12-31", false)), map[string]any{"text": "完成"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/rectify/{id}/close": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/rectify/%d/close", f.newRectify("A1", "2026-12-31", true)), map[string]any{"text": "销号"}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/rectify/{id}/return": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/rectify/%d/return", f.newRectify("A1", "2026-12-31", true)), map[string]any{"text": "材料不全"}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"GET /api/v1/secreport/rules/example": {req: get("/api/v1/secreport/rules/example"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/orgs/{id}/secreport/rules": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/secreport/rules", f.orgs["A"]), rawBody(secreport.ExampleText())
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"POST /api/v1/orgs/{id}/secreport/rounds": {req: func(f *fixture, _ string) (string, string, any) {
			srYear++
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/secreport/rounds", f.orgs["A"]), map[string]any{"year": srYear}
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/secreport/round": {req: func(f *fixture, _ string) (string, string, any) {
			f.srReport()
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/secreport/round?year=2025", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"GET /api/v1/orgs/{id}/secreport/report": {req: func(f *fixture, _ string) (string, string, any) {
			f.srReport()
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/secreport/report?year=2025", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/secreport/reports/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/secreport/reports/%d", f.srReport()), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"PATCH /api/v1/secreport/reports/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "PATCH", fmt.Sprintf("/api/v1/secreport/reports/%d", f.srReport()), map[string]any{"body": "草稿"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/secreport/reports/{id}/submit": {req: func(f *fixture, _ string) (string, string, any) {
			srYear++
			return "POST", fmt.Sprintf("/api/v1/secreport/reports/%d/submit", f.srRound(srYear).ID), map[string]any{"body": "述职"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"PUT /api/v1/secreport/reports/{id}/votes": {req: func(f *fixture, _ string) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/secreport/reports/%d/votes", f.srReport()), map[string]any{"votes": []map[string]any{{"group": "superior", "grade": "good", "n": 1}}}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/secreport/reports/{id}/problems": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/secreport/reports/%d/problems", f.srReport()), map[string]any{"problems": []map[string]any{{"problem": "问题", "due_date": "2026-12-31"}}}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"GET /api/v1/classify/rules/example": {req: get("/api/v1/classify/rules/example"), want: [6]int{ok, ok, ok, ok, ok, ok}},
		"POST /api/v1/orgs/{id}/classify/rules": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/classify/rules", f.orgs["A"]), rawBody(classify.ExampleText())
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/classify": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/classify?year=2025", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}},
		"POST /api/v1/orgs/{id}/classify": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/classify", f.orgs["A"]), map[string]any{"year": 2025, "branches": []map[string]any{{"branch_id": f.orgs["A2"], "class": "ordinary", "reasons": "一般"}}}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"GET /api/v1/orgs/{id}/standing": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/standing", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"POST /api/v1/orgs/{id}/conversion-plans": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/conversion-plans", f.lagging()), planBody()
		}, want: [6]int{cr, cr, fb, fb, fb, fb}},
		"POST /api/v1/conversion-plans/{id}/accept": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/conversion-plans/%d/accept", f.newPlan()), map[string]any{"result": "converted", "note": "验收合格"}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
	}
}

// TestScopeMatrix sends every endpoint's request as every role and checks the status:
// reads outside the scope answer 404, writes 403. A route missing from the matrix fails.
func TestScopeMatrix(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		cases := matrix()
		for _, rt := range f.app.Routes() {
			key := rt.Method + " " + rt.Path
			if rt.Perm == httpx.Public && rt.Path != "/api/v1/meta/enums" {
				continue
			}
			c, ok := cases[key]
			if !ok {
				t.Errorf("route %s has no scope-matrix case", key)
				continue
			}
			for i, role := range matrixRoles {
				if strings.HasSuffix(key, "/logout") || strings.HasSuffix(key, "/password") {
					f.tokens[role] = f.login(role, currentPassword(f, role))
				}
				method, path, body := c.req(f, role)
				before := ""
				if c.want[i] >= 400 && method != "GET" {
					before = f.stateDigest()
				}
				res := f.do(role, method, path, body)
				if res.status != c.want[i] {
					t.Errorf("%s as %s: %d, want %d: %s", key, role, res.status, c.want[i], res.body)
					continue
				}
				if before != "" && f.stateDigest() != before {
					t.Errorf("%s as %s was refused but changed data", key, role)
				}
				if c.check != nil && res.status < 300 {
					c.check(t, f, role, res.body)
				}
				if strings.HasSuffix(key, "/logout") {
					if again := f.do(role, "GET", "/api/v1/me", nil); again.status != 401 {
						t.Errorf("token of %s still works after logout: %d", role, again.status)
					}
					f.tokens[role] = f.login(role, currentPassword(f, role))
				}
			}
		}
	})
}

// currentPassword: the password test changes each role's password once.
func currentPassword(f *fixture, role string) string {
	var n int
	_ = f.app.DB.QueryRow(t0(), `SELECT COUNT(*) FROM audit WHERE action = 'password' AND username = ?`, role).Scan(&n)
	if n > 0 {
		return "another-pass-1"
	}
	return testPassword
}

// TestNoAccountGainsRights: a caller changes an account (password, disabled, sessions,
// grants) only when every grant the account holds lies within the caller's own; and grants
// only what it holds itself, on its own subtree. Refusals are 403 and change nothing.
func TestNoAccountGainsRights(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.addUser("staffA1", auth.RoleStaff, "A1") // community-level staff
		f.tokens["staffA1"] = f.login("staffA1", testPassword)
		// Managed in A1 (staffA1's subtree) but holding a street-level grant on A.
		target := f.newUser("A1")
		if _, err := f.app.Auth.GrantRole(t0(), auth.System(), target, auth.RoleViewer, f.orgs["A"]); err != nil {
			t.Fatal(err)
		}
		local, err := f.app.Auth.GrantRole(t0(), auth.System(), target, auth.RoleSecretary, f.orgs["A1"])
		if err != nil {
			t.Fatal(err)
		}
		var name string
		_ = d.QueryRow(t0(), `SELECT username FROM users WHERE id = ?`, target).Scan(&name)
		tok := loginToken(t, f.loginAt("10.7.0.1", name, testPassword))
		digest := func() string {
			var h string
			var disabled bool
			_ = d.QueryRow(t0(), `SELECT password_hash, disabled FROM users WHERE id = ?`, target).Scan(&h, &disabled)
			return fmt.Sprint(h, disabled, f.count(`SELECT COUNT(*) FROM grants WHERE user_id = ?`, target),
				f.count(`SELECT COUNT(*) FROM sessions WHERE user_id = ? AND revoked_at IS NULL`, target))
		}
		user := fmt.Sprintf("/api/v1/users/%d", target)
		cases := []struct {
			name, method, path string
			body               any
		}{
			{"reset password", "PATCH", user, map[string]any{"password": "taken-over-123"}},
			{"disable", "PATCH", user, map[string]any{"disabled": true}},
			{"revoke sessions and tokens", "PATCH", user, map[string]any{"revoke_sessions": true}},
			{"grant", "POST", user + "/grants", map[string]any{"role": "viewer", "org_id": f.orgs["A1g"]}},
			{"revoke a grant in scope", "DELETE", fmt.Sprintf("%s/grants/%d", user, local.ID), nil},
		}
		for _, c := range cases {
			before := digest()
			if r := f.do("staffA1", c.method, c.path, c.body); r.status != 403 {
				t.Errorf("community staff may %s a street-level account: %d %s", c.name, r.status, r.body)
			}
			if digest() != before {
				t.Errorf("refused %s changed the account", c.name)
			}
		}
		if !f.tokenWorks(tok) {
			t.Error("the account's session ended")
		}
		// The street's staff hold A: they may.
		if r := f.do("staffA", "PATCH", user, map[string]any{"disabled": true}); r.status != 200 {
			t.Errorf("street staff: %d %s", r.status, r.body)
		}
		// Granting is capped at the grantor's scope and role.
		plain := f.newUser("A1")
		for _, c := range []struct {
			who, role, org string
			want           int
		}{
			{"staffA1", "viewer", "A", 403},      // above its subtree
			{"staffA1", "org_staff", "A", 403},   // above its subtree
			{"staffA1", "admin", "", 403},        // a role it does not hold
			{"staffA", "admin", "", 403},         // only admins grant admin
			{"staffA1", "viewer", "B1", 403},     // another street
			{"staffA1", "org_staff", "A1", 201},  // its own role, on its own subtree
			{"staffA1", "secretary", "A1g", 201}, // less, lower
			{"secA", "viewer", "A1", 403},        // a secretary manages no accounts
		} {
			before := f.count(`SELECT COUNT(*) FROM grants WHERE user_id = ?`, plain)
			r := f.do(c.who, "POST", fmt.Sprintf("/api/v1/users/%d/grants", plain), map[string]any{"role": c.role, "org_id": f.orgs[c.org]})
			if r.status != c.want {
				t.Errorf("%s grants %s on %q: %d, want %d: %s", c.who, c.role, c.org, r.status, c.want, r.body)
			}
			if after := f.count(`SELECT COUNT(*) FROM grants WHERE user_id = ?`, plain); (after != before) != (c.want == 201) {
				t.Errorf("%s grants %s on %q: grants %d → %d", c.who, c.role, c.org, before, after)
			}
		}
	})
}

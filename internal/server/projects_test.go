package server

import (
	"fmt"

	"dangjian/internal/platform/auth"
	"dangjian/internal/projects"
)

// newProject is a project of A1 proposed as the system, approved by A when approve is set.
func (f *fixture) newProject(approve bool) *projects.Project {
	f.t.Helper()
	p, err := f.app.Projects.Propose(t0(), auth.System(), f.orgs["A1"], projects.NewProject{Year: 2026, Title: "阵地提升", Problem: "阵地薄弱",
		Goal: "年底建成", Measures: "共建", Responsible: "书记", Milestones: []projects.NewProjectMilestone{{Title: "选址", DueDate: "2026-12-20"}}})
	if err == nil && approve {
		p, err = f.app.Projects.Decide(t0(), auth.System(), p.ID, projects.ProjectDecision{Action: "approve"})
	}
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// projectsMatrix is the scope matrix of the projects routes (targets in A's subtree: A1's
// project, decided by A).
func projectsMatrix() map[string]matrixCase {
	const (
		ok = 200
		cr = 201
		nf = 404
		fb = 403
	)
	body := map[string]any{"year": 2026, "title": "红色物业", "problem": "物业矛盾多", "goal": "矛盾化解", "measures": "党建引领",
		"responsible": "书记", "milestones": []map[string]any{{"title": "成立联席会", "due_date": "2026-12-15"}}}
	return map[string]matrixCase{
		"POST /api/v1/orgs/{id}/projects": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/orgs/%d/projects", f.orgs["A1"]), body
		}, want: [6]int{cr, cr, fb, cr, fb, fb}},
		"GET /api/v1/projects/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "GET", fmt.Sprintf("/api/v1/projects/%d", f.newProject(false).ID), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"PUT /api/v1/projects/{id}": {req: func(f *fixture, _ string) (string, string, any) {
			return "PUT", fmt.Sprintf("/api/v1/projects/%d", f.newProject(false).ID), body
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"POST /api/v1/projects/{id}/decide": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/projects/%d/decide", f.newProject(false).ID), map[string]any{"action": "approve"}
		}, want: [6]int{ok, ok, fb, fb, fb, fb}},
		"POST /api/v1/projects/milestones/{id}/progress": {req: func(f *fixture, _ string) (string, string, any) {
			return "POST", fmt.Sprintf("/api/v1/projects/milestones/%d/progress", f.newProject(true).Milestones[0].ID), map[string]any{"done": true, "note": "已选址"}
		}, want: [6]int{ok, ok, fb, ok, fb, fb}},
		"GET /api/v1/orgs/{id}/projects": {req: func(f *fixture, _ string) (string, string, any) {
			f.newProject(false)
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/projects?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/orgs/{id}/projects/children": {req: func(f *fixture, _ string) (string, string, any) {
			f.newProject(false)
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/projects/children?year=2026", f.orgs["A"]), nil
		}, want: [6]int{ok, ok, ok, nf, nf, nf}, check: noForeign},
		"GET /api/v1/orgs/{id}/projects/milestones": {req: func(f *fixture, _ string) (string, string, any) {
			f.newProject(true)
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/projects/milestones", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}, check: noForeign},
		"GET /api/v1/orgs/{id}/projects/export": {req: func(f *fixture, _ string) (string, string, any) {
			f.newProject(false)
			return "GET", fmt.Sprintf("/api/v1/orgs/%d/projects/export?year=2026", f.orgs["A1"]), nil
		}, want: [6]int{ok, ok, ok, ok, nf, nf}},
		"GET /api/v1/projects/grades": {req: get("/api/v1/projects/grades"), want: [6]int{ok, ok, ok, ok, ok, ok}},
	}
}

package server

import (
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/tasks"
)

// newTask issues a task of street A to its children (A1, A2, AG) as the system.
func (f *fixture) newTask() int64 {
	f.t.Helper()
	res, err := f.app.Tasks.Issue(t0(), auth.System(), f.orgs["A"], tasks.NewTask{Title: "党建引领", DueDate: "2026-12-31", To: tasks.TaskSelector{Children: true}})
	if err != nil {
		f.t.Fatal(err)
	}
	return res.Task.ID
}

// newAssignment is the assignment of orgKey (a child of A) of a new task of A.
func (f *fixture) newAssignment(orgKey string) int64 {
	f.t.Helper()
	task := f.newTask()
	var id int64
	if err := f.app.DB.QueryRow(t0(), `SELECT id FROM task_assignments WHERE task_id = ? AND org_id = ?`, task, f.orgs[orgKey]).Scan(&id); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// TestBadTaskInput: over HTTP, a bad task is a 422 whose message names the field in Chinese
// (English on request), a move the state does not allow is a 409 in words, and nothing changes.
func TestBadTaskInput(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		path := fmt.Sprintf("/api/v1/orgs/%d/tasks", f.orgs["A"])
		before := f.stateDigest()
		for _, c := range []struct {
			body  map[string]any
			field string
			zh    string
		}{
			{map[string]any{"due_date": "2026-12-31", "to": map[string]any{"children": true}}, "title", "任务名称：不能为空"},
			{map[string]any{"title": "任务", "due_date": "2026-11-01", "to": map[string]any{"children": true}}, "due_date", "完成时限：不能早于今天"},
			{map[string]any{"title": "任务", "due_date": "2026-12-31", "cycle": "monthly", "year": 2026, "to": map[string]any{"children": true}}, "due_date", "完成时限：请填写完成时限或选择周期（二者选一）"},
			{map[string]any{"title": "任务", "due_date": "2026-12-31", "to": map[string]any{}}, "to", "下达对象：请选择下级组织、组织类别、领域或指定组织"},
			{map[string]any{"title": "任务", "due_date": "2026-12-31", "to": map[string]any{"org_ids": []int64{f.orgs["B1"]}}}, "to.org_ids", "指定组织：组织"},
			{map[string]any{"title": "任务", "due_date": "2026-12-31", "to": map[string]any{"children": true}, "colour": "red"}, "colour", ""},
		} {
			r := f.do("staffA", "POST", path, c.body)
			p := decodeProblem(t, r)
			if r.status != 422 || len(p.Errors) == 0 || p.Errors[0].Field != c.field || !strings.Contains(p.Errors[0].Message, c.zh) {
				t.Errorf("%s: %d %s", c.field, r.status, r.body)
			}
		}
		r := f.do("staffA", "POST", path, map[string]any{"due_date": "2026-12-31", "to": map[string]any{"children": true}}, "Accept-Language", "en")
		if p := decodeProblem(t, r); len(p.Errors) == 0 || p.Errors[0].Message != "Title: required" {
			t.Errorf("en: %s", r.body)
		}
		if f.stateDigest() != before {
			t.Error("refused tasks changed data")
		}
		a := f.newAssignment("A1")
		r = f.do("staffA", "POST", fmt.Sprintf("/api/v1/tasks/assignments/%d/transition", a), map[string]any{"action": "verify"})
		if p := decodeProblem(t, r); r.status != 409 || p.Code != "task_state" || p.Detail != "任务当前状态为“已下达”，不能执行“验收”" {
			t.Errorf("verify an issued assignment: %d %s", r.status, r.body)
		}
		r = f.do("secA", "POST", fmt.Sprintf("/api/v1/tasks/assignments/%d/transition", a), map[string]any{"action": "return"})
		if r.status != 403 {
			t.Errorf("the branch returns its own assignment: %d %s", r.status, r.body)
		}
	})
}

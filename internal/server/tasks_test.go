package server

import (
	"dangjian/internal/platform/auth"
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

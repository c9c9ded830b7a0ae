package tasks

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/tree"
)

// env is a district on a real database:
//
//	R 区委 ├── A 街道 ── A1 支部 (A1g 党小组) · A2 支部
//	       └── B 镇   ── B1 支部
type env struct {
	t     testing.TB
	ctx   context.Context
	db    *db.DB
	clock *clock.Fake
	s     *Store
	orgs  *org.Store
	ids   map[string]int64
	reg   *tree.Registry
}

// envNow is 2026-11-20 10:00 CST.
var envNow = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	c := clock.NewFake(envNow)
	os := &org.Store{DB: d, Clock: c}
	reg := tree.New(os.Part(), member.Part(), Part())
	os.Tree = reg
	e := &env{t: t, ctx: context.Background(), db: d, clock: c, s: &Store{DB: d, Clock: c}, orgs: os, ids: map[string]int64{}, reg: reg}
	for _, o := range []struct {
		key, parent string
		kind        org.Kind
		field       string
	}{{"R", "", org.Committee, "government"}, {"A", "R", org.Committee, "community"}, {"A1", "A", org.Branch, "community"},
		{"A1g", "A1", org.Group, "community"}, {"A2", "A", org.Branch, "rural"}, {"B", "R", org.Committee, "rural"}, {"B1", "B", org.Branch, "rural"}} {
		made, err := os.Create(e.ctx, auth.System(), org.Fields{ParentID: e.ids[o.parent], Name: "组织" + o.key, Kind: o.kind, Field: o.field, Secretary: "书记"})
		if err != nil {
			t.Fatal(err)
		}
		e.ids[o.key] = made.ID
	}
	return e
}

// as is a scope with one grant of role on the organization.
func (e *env) as(role auth.Role, key string) *auth.Scope {
	var path string
	if err := e.db.QueryRow(e.ctx, `SELECT path FROM orgs WHERE id = ?`, e.ids[key]).Scan(&path); err != nil {
		e.t.Fatal(err)
	}
	return &auth.Scope{UserID: 900, Username: string(role) + key, Grants: []auth.Grant{{Role: role, OrgID: e.ids[key], OrgPath: path}}}
}

// issue issues t from key as the system.
func (e *env) issue(key string, t NewTask) *IssueResult {
	e.t.Helper()
	out, err := e.s.Issue(e.ctx, auth.System(), e.ids[key], t)
	if err != nil {
		e.t.Fatalf("issue: %v", err)
	}
	return out
}

// assignmentOf is the id of the (first) assignment of task for organization key.
func (e *env) assignmentOf(task int64, key string) int64 {
	e.t.Helper()
	var id int64
	if err := e.db.QueryRow(e.ctx, `SELECT MIN(id) FROM task_assignments WHERE task_id = ? AND org_id = ?`, task, e.ids[key]).Scan(&id); err != nil {
		e.t.Fatal(err)
	}
	return id
}

// move makes a move, failing the test unless it succeeds.
func (e *env) move(sc *auth.Scope, id int64, action string, text ...string) *TaskAssignment {
	e.t.Helper()
	tr := TaskTransition{Action: action}
	if len(text) > 0 {
		tr.Note, tr.Reason = text[0], text[0]
	}
	a, err := e.s.Move(e.ctx, sc, id, tr)
	if err != nil {
		e.t.Fatalf("%s: %v", action, err)
	}
	return a
}

// figures of a task at organization key.
func (e *env) figures(task int64, key string) TaskFigures {
	e.t.Helper()
	f, err := read(e.ctx, e.db, e.ids[key], taskKeys(task, clock.Today(e.clock.Now())))
	if err != nil {
		e.t.Fatal(err)
	}
	return *f
}

// status is the HTTP status of err (0 for nil).
func status(err error) int {
	var he *httpx.Error
	if errors.As(err, &he) {
		return he.Status
	}
	if err != nil {
		return -1
	}
	return 0
}

// fieldOf is the first field an error names.
func fieldOf(err error) string {
	var he *httpx.Error
	if errors.As(err, &he) && len(he.Issues) > 0 {
		return he.Issues[0].Field
	}
	return ""
}

// snapshot is every row of a 4-column query, sorted.
func (e *env) snapshot(q string) string {
	e.t.Helper()
	var out []string
	err := db.Each(e.ctx, e.db, q, nil, func(r db.Scanner) error {
		var a, b, c, d any
		if err := r.Scan(&a, &b, &c, &d); err != nil {
			return err
		}
		out = append(out, fmt.Sprint(a, " ", b, " ", c, " ", d))
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// assertRecount fails unless the maintained task rollups equal a recount from the assignments.
func (e *env) assertRecount() {
	e.t.Helper()
	const stats = `SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0 AND dim LIKE 'tk%'`
	ms := e.snapshot(stats)
	if _, err := e.reg.RecountPart(e.ctx, e.db, "tasks"); err != nil {
		e.t.Fatal(err)
	}
	if rs := e.snapshot(stats); ms != rs {
		e.t.Fatalf("maintained ≠ recount\n%s\nvs\n%s", ms, rs)
	}
	if ms == "" {
		e.t.Fatal("no task rollups at all")
	}
}

var branches = []string{string(org.Branch), string(org.JointBranch), string(org.TempBranch)}

package projects

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
//	R 区委 ├── A 街道 ── A1 支部 · A2 支部
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

// envNow is 2026-03-02 10:00 CST.
var envNow = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	c := clock.NewFake(envNow)
	os := &org.Store{DB: d, Clock: c}
	reg := tree.New(os.Part(), member.Part(), Part())
	os.Tree = reg
	e := &env{t: t, ctx: context.Background(), db: d, clock: c, s: &Store{DB: d, Clock: c, Grades: ShippedGrades()}, orgs: os, ids: map[string]int64{}, reg: reg}
	for _, o := range []struct {
		key, parent string
		kind        org.Kind
	}{{"R", "", org.Committee}, {"A", "R", org.Committee}, {"A1", "A", org.Branch}, {"A2", "A", org.Branch},
		{"B", "R", org.Committee}, {"B1", "B", org.Branch}} {
		made, err := os.Create(e.ctx, auth.System(), org.Fields{ParentID: e.ids[o.parent], Name: "组织" + o.key, Kind: o.kind, Field: "community", Secretary: "书记"})
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

// proposal is a valid proposal with milestones due on the given days of 2026.
func proposal(title string, due ...string) NewProject {
	p := NewProject{Year: 2026, Title: title, Problem: "软弱涣散", Goal: "一年转化", Measures: "结对共建", Responsible: "张书记"}
	for i, d := range due {
		p.Milestones = append(p.Milestones, NewProjectMilestone{Title: fmt.Sprintf("节点%d", i+1), DueDate: d})
	}
	return p
}

// propose proposes for key as its secretary, failing the test unless it succeeds.
func (e *env) propose(key string, p NewProject) *Project {
	e.t.Helper()
	out, err := e.s.Propose(e.ctx, e.as(auth.RoleSecretary, key), e.ids[key], p)
	if err != nil {
		e.t.Fatalf("propose: %v", err)
	}
	return out
}

// decide decides as sc, failing the test unless it succeeds.
func (e *env) decide(sc *auth.Scope, id int64, d ProjectDecision) *Project {
	e.t.Helper()
	out, err := e.s.Decide(e.ctx, sc, id, d)
	if err != nil {
		e.t.Fatalf("%s: %v", d.Action, err)
	}
	return out
}

// counts at key for year.
func (e *env) counts(key string, year int) ProjectCounts {
	e.t.Helper()
	c, err := countsOf(e.ctx, e.db, e.ids[key], year)
	if err != nil {
		e.t.Fatal(err)
	}
	return *c
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

// snapshot is every project rollup row, sorted.
func (e *env) snapshot() string {
	e.t.Helper()
	var out []string
	err := db.Each(e.ctx, e.db, `SELECT org_id, key, n FROM org_stats WHERE n <> 0 AND dim = ?`, []any{DimState}, func(r db.Scanner) error {
		var id int64
		var key string
		var n int
		if err := r.Scan(&id, &key, &n); err != nil {
			return err
		}
		out = append(out, fmt.Sprint(id, " ", key, " ", n))
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// assertRecount fails unless the maintained rollups equal a recount from the projects.
func (e *env) assertRecount() {
	e.t.Helper()
	ms := e.snapshot()
	if _, err := e.reg.RecountPart(e.ctx, e.db, "projects"); err != nil {
		e.t.Fatal(err)
	}
	if rs := e.snapshot(); ms != rs {
		e.t.Fatalf("maintained ≠ recount\n%s\nvs\n%s", ms, rs)
	}
	if ms == "" {
		e.t.Fatal("no project rollups at all")
	}
}

package tasks

import (
	"context"
	"fmt"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// OrgFigures is one organization's line of a drill-down.
type TaskOrgFigures struct {
	OrgID   int64       `json:"org_id"`
	OrgName string      `json:"org_name"`
	Kind    string      `json:"kind"`
	Figures TaskFigures `json:"figures"`
}

// Completion is a level's figures and the first page of its children's (the drill-down).
type TaskCompletion struct {
	OrgID    int64                      `json:"org_id"`
	OrgName  string                     `json:"org_name"`
	Figures  TaskFigures                `json:"figures"`
	Children httpx.List[TaskOrgFigures] `json:"children"` // children with assignments below them
}

func (s *Store) today() string { return clock.Today(s.Clock.Now()) }

// List is the tasks that reach organization orgID's subtree in a year (issued by it, above
// it or below it), newest first, each with its figures in that subtree.
func (s *Store) List(ctx context.Context, sc *auth.Scope, orgID int64, year int, p httpx.Page) (*httpx.List[Task], error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	out := &httpx.List[Task]{Items: []Task{}}
	const from = ` FROM org_stats s JOIN tasks t ON t.id = CAST(s.key AS INTEGER) JOIN orgs o ON o.id = t.org_id
		WHERE s.org_id = ? AND s.dim = ? AND s.n > 0 AND t.year = ?`
	args := []any{o.ID, DimTotal, year}
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	ts, err := db.All(ctx, s.DB, `SELECT t.id, t.org_id, o.name, t.parent_id, t.title, t.description, t.additions, t.target, t.target_unit,
		t.due_date, t.cycle, t.lead_days, t.year, t.weight, t.evidence, t.evidence_required, t.created_at`+from+
		` ORDER BY t.id DESC LIMIT ? OFFSET ?`, append(args, p.Size, p.Offset()), scanTask)
	if err != nil {
		return nil, err
	}
	for i := range ts {
		if err := s.fill(ctx, &ts[i], o.ID); err != nil {
			return nil, err
		}
	}
	out.Items = append(out.Items, ts...)
	return out, nil
}

// fill adds the task's figures at org and whether org received it itself.
func (s *Store) fill(ctx context.Context, t *Task, orgID int64) error {
	f, err := read(ctx, s.DB, orgID, taskKeys(t.ID, s.today()))
	if err != nil {
		return err
	}
	t.Figures = f
	var n int
	err = s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM task_assignments WHERE task_id = ? AND org_id = ?`, t.ID, orgID).Scan(&n)
	t.Received = n > 0
	return err
}

// visible resolves the organization a task is read at (the issuer when orgID is 0) and the
// task, which must reach its subtree: else 404, whether it exists or not.
func (s *Store) visible(ctx context.Context, sc *auth.Scope, taskID, orgID int64) (*Task, *org.Ref, error) {
	t, err := s.task(ctx, s.DB, taskID)
	if err != nil {
		return nil, nil, err
	}
	if t == nil {
		return nil, nil, httpx.NotFound("f.task")
	}
	if orgID == 0 {
		orgID = t.OrgID
	}
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, nil, err
	}
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COALESCE(MAX(n), 0) FROM org_stats WHERE org_id = ? AND dim = ? AND key = ?`,
		o.ID, DimTotal, fmt.Sprint(taskID)).Scan(&n); err != nil {
		return nil, nil, err
	}
	if n == 0 {
		return nil, nil, httpx.NotFound("f.task")
	}
	return t, o, nil
}

// Read is a task with its figures at organization orgID (default: the issuer) and the chain
// of tasks it cascades.
func (s *Store) Read(ctx context.Context, sc *auth.Scope, taskID, orgID int64) (*Task, error) {
	t, o, err := s.visible(ctx, sc, taskID, orgID)
	if err != nil {
		return nil, err
	}
	if err := s.fill(ctx, t, o.ID); err != nil {
		return nil, err
	}
	t.Chain = []TaskLink{}
	for p := t.ParentID; p != nil; {
		up, err := s.task(ctx, s.DB, *p)
		if err != nil || up == nil {
			return t, err
		}
		t.Chain = append(t.Chain, TaskLink{ID: up.ID, OrgName: up.OrgName, Title: up.Title, Additions: up.Additions, DueDate: up.DueDate})
		p = up.ParentID
	}
	return t, nil
}

// Children is the drill-down of a task at organization orgID: its children with assignments
// below them, a page at a time, each with its figures.
func (s *Store) Children(ctx context.Context, sc *auth.Scope, taskID, orgID int64, p httpx.Page) (*httpx.List[TaskOrgFigures], error) {
	_, o, err := s.visible(ctx, sc, taskID, orgID)
	if err != nil {
		return nil, err
	}
	return s.children(ctx, o.ID, taskKeys(taskID, s.today()), p)
}

func (s *Store) children(ctx context.Context, orgID int64, k keys, p httpx.Page) (*httpx.List[TaskOrgFigures], error) {
	q, args := childFiguresSQL(k)
	out := &httpx.List[TaskOrgFigures]{}
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM orgs o JOIN org_stats t ON t.org_id = o.id AND t.dim = ? AND t.key = ? AND t.n > 0
		WHERE o.parent_id = ?`, k.total, k.key, orgID).Scan(&out.Total); err != nil {
		return nil, err
	}
	items, err := db.All(ctx, s.DB, q+` ORDER BY o.sort_order, o.id LIMIT ? OFFSET ?`, append(args, orgID, p.Size, p.Offset()),
		func(r db.Scanner) (TaskOrgFigures, error) {
			var c TaskOrgFigures
			err := r.Scan(&c.OrgID, &c.OrgName, &c.Kind, &c.Figures.Total, &c.Figures.Done, &c.Figures.Open, &c.Figures.Overdue)
			c.Figures.finish()
			return c, err
		})
	out.Items = append([]TaskOrgFigures{}, items...)
	return out, err
}

// AssignmentFilter narrows a task's assignments.
type TaskAssignmentFilter struct {
	State   string // one state, or ''
	Overdue bool   // only outstanding ones past their due date
}

// Assignments lists a task's assignments in organization orgID's subtree, in tree order.
func (s *Store) Assignments(ctx context.Context, sc *auth.Scope, taskID, orgID int64, f TaskAssignmentFilter, p httpx.Page) (*httpx.List[TaskAssignment], error) {
	_, o, err := s.visible(ctx, sc, taskID, orgID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	lo, hi := db.SubtreeRange(o.Path)
	cond, args := ` WHERE a.task_id = ? AND a.org_path >= ? AND a.org_path < ?`, []any{taskID, lo, hi}
	if f.State != "" {
		cond, args = cond+` AND a.state = ?`, append(args, f.State)
	}
	if f.Overdue {
		cond, args = cond+` AND a.state IN `+outstandingSQL+` AND a.due_date < ?`, append(args, today)
	}
	out := &httpx.List[TaskAssignment]{}
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM task_assignments a`+cond, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	items, err := db.All(ctx, s.DB, assignmentSelect+cond+` ORDER BY a.org_path, a.period LIMIT ? OFFSET ?`,
		append(args, p.Size, p.Offset()), scanAssignment(sc, today))
	out.Items = append([]TaskAssignment{}, items...)
	return out, err
}

// YearCompletion is organization orgID's figures of a year over every task, and the first
// page of its children's.
func (s *Store) YearCompletion(ctx context.Context, sc *auth.Scope, orgID int64, year int, p httpx.Page) (*TaskCompletion, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	k := yearKeys(year, s.today())
	f, err := read(ctx, s.DB, o.ID, k)
	if err != nil {
		return nil, err
	}
	ch, err := s.children(ctx, o.ID, k, p)
	if err != nil {
		return nil, err
	}
	return &TaskCompletion{OrgID: o.ID, OrgName: o.Name, Figures: *f, Children: *ch}, nil
}

// MyTasks is what waits for the caller (the landing card): the outstanding assignments of the
// organizations they hold a grant on with edit rights, and the submitted assignments of tasks
// those organizations issued, waiting for verification. Each list is the first 50, soonest due.
type MyTasks struct {
	Todo   httpx.List[TaskAssignment] `json:"todo"`
	Verify httpx.List[TaskAssignment] `json:"verify"`
}

// Mine reads the caller's card.
func (s *Store) Mine(ctx context.Context, sc *auth.Scope) (*MyTasks, error) {
	out := &MyTasks{Todo: httpx.List[TaskAssignment]{Items: []TaskAssignment{}}, Verify: httpx.List[TaskAssignment]{Items: []TaskAssignment{}}}
	var paths []any
	for _, g := range sc.Grants {
		if g.Role != auth.RoleAdmin && g.Role.Has(auth.EditOrg) && g.OrgPath != "" {
			paths = append(paths, g.OrgPath)
		}
	}
	if len(paths) == 0 {
		return out, nil
	}
	today := s.today()
	in := "(" + db.Placeholders(len(paths)) + ")"
	for _, l := range []struct {
		list *httpx.List[TaskAssignment]
		cond string
	}{{&out.Todo, `a.org_path IN ` + in + ` AND a.state IN ` + outstandingSQL},
		{&out.Verify, `t.org_path IN ` + in + ` AND a.state = 'submitted'`}} {
		if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM task_assignments a JOIN tasks t ON t.id = a.task_id WHERE `+l.cond, paths...).Scan(&l.list.Total); err != nil {
			return nil, err
		}
		items, err := db.All(ctx, s.DB, assignmentSelect+` WHERE `+l.cond+` ORDER BY a.due_date, a.id LIMIT 50`, paths, scanAssignment(sc, today))
		if err != nil {
			return nil, err
		}
		l.list.Items = append(l.list.Items, items...)
	}
	return out, nil
}

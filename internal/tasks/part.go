package tasks

import (
	"context"
	"strconv"

	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// The subtree rollups of tasks (org_stats). Per task (key: the task id) and per year (key:
// the year) the assignments in the subtree, and those done (verified or closed). Assignments
// still outstanding (issued, accepted, in progress, returned) are counted by their due date
// (key "<task>:<due>", or "<due>" per year), so "overdue" — outstanding with a due date before
// today (CST) — is a read of a key range of the same rows: it changes at each CST day boundary
// without any job writing. A submitted assignment waits for the issuing level and is neither.
const (
	DimTotal     = "tk:total"
	DimDone      = "tk:done"
	DimOpen      = "tk:open"
	DimYearTotal = "tky:total"
	DimYearDone  = "tky:done"
	DimYearOpen  = "tky:open"
)

// The states of an assignment.
const (
	Issued     = "issued"
	Accepted   = "accepted"
	InProgress = "in_progress"
	Submitted  = "submitted"
	Verified   = "verified"
	Returned   = "returned"
	Closed     = "closed"
)

// States lists every state in workflow order.
var States = []string{Issued, Accepted, InProgress, Submitted, Verified, Returned, Closed}

// class is what a state counts as in the rollups: outstanding, waiting (submitted) or done.
type class int

const (
	outstanding class = iota
	waiting
	done
)

func classOf(state string) class {
	switch state {
	case Submitted:
		return waiting
	case Verified, Closed:
		return done
	}
	return outstanding
}

// outstandingStates, as SQL, for the views' overdue filters.
const outstandingSQL = `('issued', 'accepted', 'in_progress', 'returned')`

// Part is the tasks domain's share of the subtree rollups and its path columns.
func Part() tree.Part {
	return tree.Part{Name: "tasks", Dims: []string{DimTotal, DimDone, DimOpen, DimYearTotal, DimYearDone, DimYearOpen}, Recount: recount,
		Paths: []tree.PathColumn{{Table: "tasks", Column: "org_path"}, {Table: "task_assignments", Column: "org_path"}}}
}

// count adds n assignments of task in class c, due on due, at path and its ancestors.
func count(r tree.Rollup, path string, task int64, year int, due string, c class, n int) {
	t, y := strconv.FormatInt(task, 10), strconv.Itoa(year)
	r.Add(path, DimTotal, t, n)
	r.Add(path, DimYearTotal, y, n)
	move(r, path, task, year, due, c, n)
}

// move adds n assignments to class c without changing the totals (a state change is a
// move(old, -1) and a move(new, +1)).
func move(r tree.Rollup, path string, task int64, year int, due string, c class, n int) {
	t, y := strconv.FormatInt(task, 10), strconv.Itoa(year)
	switch c {
	case done:
		r.Add(path, DimDone, t, n)
		r.Add(path, DimYearDone, y, n)
	case outstanding:
		r.Add(path, DimOpen, t+":"+due, n)
		r.Add(path, DimYearOpen, due, n)
	}
}

// recount counts every assignment into r, grouped so that a district's assignments are read
// once: by path, task, due date and state.
func recount(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	return db.Each(ctx, tx, `SELECT org_path, task_id, year, due_date, state, COUNT(*) FROM task_assignments
		GROUP BY org_path, task_id, year, due_date, state`, nil, func(row db.Scanner) error {
		var path, due, state string
		var task int64
		var year, n int
		if err := row.Scan(&path, &task, &year, &due, &state, &n); err != nil {
			return err
		}
		count(r, path, task, year, due, classOf(state), n)
		return nil
	})
}

// Figures are the completion figures of assignments in a subtree.
type TaskFigures struct {
	Total     int     `json:"total"`
	Done      int     `json:"done"`      // verified or closed
	Submitted int     `json:"submitted"` // waiting for the issuing level
	Open      int     `json:"open"`      // not yet submitted (overdue included)
	Overdue   int     `json:"overdue"`   // open with a due date before today (CST)
	Rate      float64 `json:"rate"`      // done / total, 0 when there are none
}

func (f *TaskFigures) finish() *TaskFigures {
	f.Submitted = f.Total - f.Done - f.Open
	if f.Total > 0 {
		f.Rate = float64(f.Done) / float64(f.Total)
	}
	return f
}

// figuresSQL reads one organization's figures for a key: total and done are one row each;
// open and overdue sum the outstanding rows by due date (a handful per task or year).
const figuresSQL = `SELECT
	COALESCE((SELECT n FROM org_stats WHERE org_id = ? AND dim = ? AND key = ?), 0),
	COALESCE((SELECT n FROM org_stats WHERE org_id = ? AND dim = ? AND key = ?), 0),
	COALESCE((SELECT SUM(n) FROM org_stats WHERE org_id = ? AND dim = ? AND key >= ? AND key < ?), 0),
	COALESCE((SELECT SUM(n) FROM org_stats WHERE org_id = ? AND dim = ? AND key >= ? AND key < ?), 0)`

// keys are the dimension keys of one figure set: the task's, or the year's.
type keys struct {
	total, done, open       string // dims
	key, openLo, openHi, od string // od: the upper bound of overdue keys (today)
}

func taskKeys(task int64, today string) keys {
	t := strconv.FormatInt(task, 10)
	return keys{DimTotal, DimDone, DimOpen, t, t + ":", t + ";", t + ":" + today}
}

func yearKeys(year int, today string) keys {
	y := strconv.Itoa(year)
	od := today
	if next := strconv.Itoa(year+1) + "-"; od > next {
		od = next // a past year: everything still outstanding is overdue
	}
	return keys{DimYearTotal, DimYearDone, DimYearOpen, y, y + "-", strconv.Itoa(year+1) + "-", od}
}

func (k keys) args(org int64) []any {
	return []any{org, k.total, k.key, org, k.done, k.key, org, k.open, k.openLo, k.openHi, org, k.open, k.openLo, k.od}
}

// read reads the figures of org under k.
func read(ctx context.Context, q db.Querier, org int64, k keys) (*TaskFigures, error) {
	f := &TaskFigures{}
	if err := q.QueryRow(ctx, figuresSQL, k.args(org)...).Scan(&f.Total, &f.Done, &f.Open, &f.Overdue); err != nil {
		return nil, err
	}
	return f.finish(), nil
}

// CompletionOf is the tasks' completion of each organization's subtree in a year (every task
// whose assignments fall due in it), from the maintained rollups: one read per organization,
// whatever the subtree's size. today (YYYY-MM-DD, CST) decides what is overdue. It is what an
// assessment binding reads; q may be a transaction.
func CompletionOf(ctx context.Context, q db.Querier, orgIDs []int64, year int, today string) (map[int64]TaskFigures, error) {
	out := make(map[int64]TaskFigures, len(orgIDs))
	for _, id := range orgIDs {
		f, err := read(ctx, q, id, yearKeys(year, today))
		if err != nil {
			return nil, err
		}
		out[id] = *f
	}
	return out, nil
}

// childFiguresSQL is figuresSQL for every child of an organization with assignments below
// it (the drill-down); its arguments come before the parent's id and the page.
func childFiguresSQL(k keys) (string, []any) {
	return `SELECT o.id, o.name, o.kind, t.n,
		COALESCE((SELECT n FROM org_stats WHERE org_id = o.id AND dim = ? AND key = ?), 0),
		COALESCE((SELECT SUM(n) FROM org_stats WHERE org_id = o.id AND dim = ? AND key >= ? AND key < ?), 0),
		COALESCE((SELECT SUM(n) FROM org_stats WHERE org_id = o.id AND dim = ? AND key >= ? AND key < ?), 0)
		FROM orgs o JOIN org_stats t ON t.org_id = o.id AND t.dim = ? AND t.key = ? AND t.n > 0
		WHERE o.parent_id = ?`, []any{k.done, k.key, k.open, k.openLo, k.openHi, k.open, k.openLo, k.od, k.total, k.key}
}

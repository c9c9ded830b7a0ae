package tasks

import (
	"context"
	"strconv"
	"time"

	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// BulkTask is a one-off task loaded in bulk (the demo district).
type BulkTask struct {
	Title, Description string
	DueDate            string
	Weight             int
}

// Assignee is an organization receiving tasks in bulk.
type Assignee struct {
	ID   int64
	Path string
}

// Bulk writes tasks issued by issuer, each to every assignee, with Tx.Copy (a district's
// assignments in one stream); pick gives each assignment's state (task index, assignee index,
// due date). Their figures are counted into r, which the caller flushes. It returns how many
// assignments it wrote.
func Bulk(ctx context.Context, tx *db.Tx, issuer Assignee, ts []BulkTask, to []Assignee, pick func(t, i int, due string) string,
	now time.Time, r tree.Rollup) (int, error) {
	ids := make([]int64, len(ts))
	for k, t := range ts {
		year, _ := strconv.Atoi(t.DueDate[:4])
		if err := tx.QueryRow(ctx, `INSERT INTO tasks (org_id, org_path, title, description, due_date, year, weight, selector, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, issuer.ID, issuer.Path, t.Title, t.Description, t.DueDate, year, t.Weight,
			`{"kinds":["branch","joint_branch","temp_branch"]}`, now).Scan(&ids[k]); err != nil {
			return 0, err
		}
	}
	k, i, n := 0, 0, 0
	_, err := tx.Copy(ctx, "task_assignments", []string{"task_id", "org_id", "org_path", "period", "due_date", "year", "state", "note", "updated_at"},
		func() ([]any, error) {
			if i == len(to) {
				k, i = k+1, 0
			}
			if k == len(ts) || len(to) == 0 {
				return nil, nil
			}
			t, o := ts[k], to[i]
			year, _ := strconv.Atoi(t.DueDate[:4])
			state := pick(k, i, t.DueDate)
			note := ""
			if classOf(state) != outstanding {
				note = "已按要求完成"
			}
			count(r, o.Path, ids[k], year, t.DueDate, classOf(state), 1)
			i, n = i+1, n+1
			return []any{ids[k], o.ID, o.Path, "", t.DueDate, int64(year), state, note, now}, nil
		})
	return n, err
}

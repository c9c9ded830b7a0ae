package tasks

import (
	"context"
	"database/sql"
	"encoding/json"

	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/tree"
)

// maxLead keeps a cycle's due date inside its period (the shortest period is a month).
const maxLead = 27

// Issue makes a task of organization orgID (edit rights on it) and its assignments.
func (s *Store) Issue(ctx context.Context, sc *auth.Scope, orgID int64, t NewTask) (*IssueResult, error) {
	issuer, err := org.Resolve(ctx, s.DB, sc, orgID, auth.EditOrg)
	if err != nil {
		return nil, err
	}
	if err := s.check(t); err != nil {
		return nil, err
	}
	return s.issue(ctx, sc, issuer, t, nil, "")
}

// Cascade passes task parentID down from a receiving organization to its own subtree: a new
// task linked by parent_id, with the receiver's additions and a due date not later than the
// parent's. The parent task is only read.
func (s *Store) Cascade(ctx context.Context, sc *auth.Scope, parentID int64, c CascadeTask) (*IssueResult, error) {
	parent, err := s.task(ctx, s.DB, parentID)
	if err != nil {
		return nil, err
	}
	if parent == nil {
		return nil, httpx.NotFound("f.task")
	}
	recv, err := org.ResolveField(ctx, s.DB, sc, c.OrgID, auth.EditOrg, "org_id", "f.task.org_id")
	if err != nil {
		return nil, err
	}
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM task_assignments WHERE task_id = ? AND org_id = ?`, parentID, recv.ID).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, httpx.Invalid(httpx.FieldIssue("org_id", "f.task.org_id", "task.not_received"))
	}
	t := NewTask{Title: parent.Title, Description: parent.Description, Target: parent.Target, TargetUnit: parent.TargetUnit,
		DueDate: parent.DueDate, Cycle: parent.Cycle, Year: parent.Year, LeadDays: parent.LeadDays, Weight: parent.Weight,
		Evidence: parent.Evidence, EvidenceRequired: parent.EvidenceRequired, To: c.To}
	if c.Title != "" {
		t.Title = c.Title
	}
	if c.Target != nil {
		t.Target = c.Target
	}
	if c.DueDate != "" {
		t.DueDate = c.DueDate
	}
	if c.LeadDays != 0 {
		t.LeadDays = c.LeadDays
	}
	if isEmpty(t.To) {
		t.To.Children = true
	}
	var is httpx.Issues
	if parent.Cycle == "" && c.DueDate != "" && c.DueDate > parent.DueDate && validDate(c.DueDate) {
		is.Add("due_date", "f.task.due_date", "task.later_than_parent", parent.DueDate)
	}
	if parent.Cycle != "" && t.LeadDays < parent.LeadDays {
		is.Add("lead_days", "f.task.lead_days", "task.lead_less", parent.LeadDays)
	}
	if utf8.RuneCountInString(c.Additions) > 4000 {
		is.Add("additions", "f.task.additions", "v.too_long", 4000)
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	if err := s.check(t); err != nil {
		return nil, err
	}
	return s.issue(ctx, sc, recv, t, &parentID, c.Additions)
}

func isEmpty(sel TaskSelector) bool {
	return !sel.Children && len(sel.Kinds) == 0 && sel.Field == "" && len(sel.OrgIDs) == 0
}

func validDate(d string) bool {
	_, err := time.Parse(time.DateOnly, d)
	return err == nil && len(d) == 10
}

// check validates a task's own fields (the receivers are checked against the tree when the
// assignments are made).
func (s *Store) check(t NewTask) error {
	var is httpx.Issues
	today := clock.Today(s.Clock.Now())
	switch n := utf8.RuneCountInString(strings.TrimSpace(t.Title)); {
	case n == 0:
		is.Add("title", "f.task.title", "v.required")
	case n > 100:
		is.Add("title", "f.task.title", "v.too_long", 100)
	}
	for _, f := range []struct {
		field, label, v string
		max             int
	}{{"description", "f.task.description", t.Description, 4000}, {"evidence", "f.task.evidence", t.Evidence, 500},
		{"target_unit", "f.task.target_unit", t.TargetUnit, 20}} {
		if utf8.RuneCountInString(f.v) > f.max {
			is.Add(f.field, f.label, "v.too_long", f.max)
		}
	}
	if t.Target != nil && *t.Target < 0 {
		is.Add("target", "f.task.target", "v.invalid", "≥ 0")
	}
	if t.Weight < 0 {
		is.Add("weight", "f.task.weight", "v.invalid", "≥ 0")
	}
	switch {
	case (t.DueDate == "") == (t.Cycle == ""):
		is.Add("due_date", "f.task.due_date", "task.one_of_due")
	case t.Cycle == "" && !validDate(t.DueDate):
		is.Add("due_date", "f.task.due_date", "v.date")
	case t.Cycle == "" && t.DueDate < today:
		is.Add("due_date", "f.task.due_date", "task.due_past")
	case t.Cycle != "" && t.Cycle != Monthly && t.Cycle != Quarterly:
		is.Add("cycle", "f.task.cycle", "v.choice", t.Cycle)
	case t.Cycle != "" && (t.Year < 2000 || t.Year > 2100):
		is.Add("year", "f.task.year", "v.invalid", "2000–2100")
	case t.Cycle != "" && (t.LeadDays < 0 || t.LeadDays > maxLead):
		is.Add("lead_days", "f.task.lead_days", "task.lead_range")
	case t.Cycle != "" && len(periods(t.Cycle, t.Year, t.LeadDays, today)) == 0:
		is.Add("year", "f.task.year", "task.no_periods", t.Year)
	}
	if isEmpty(t.To) {
		is.Add("to", "f.task.to", "task.choose_receivers")
	}
	for _, k := range t.To.Kinds {
		if !slices.Contains(org.Kinds, k) {
			is.Add("to.kinds", "f.task.to.kinds", "v.choice", k)
		}
	}
	if t.To.Field != "" && !slices.Contains(org.FieldCodes, t.To.Field) {
		is.Add("to.field", "f.task.to.field", "v.choice", t.To.Field)
	}
	if len(t.To.OrgIDs) > 5000 {
		is.Add("to.org_ids", "f.task.to.org_ids", "v.invalid", "≤ 5000")
	}
	return is.Err()
}

// period is one instance of a task: its name (” for a one-off task) and due date.
type period struct{ name, due string }

// periods are a cycle's periods of year still due on or after today, each due lead days
// before its last day.
func periods(cycle string, year, lead int, today string) []period {
	step, name := 1, func(m int) string { return fmt.Sprintf("%d-%02d", year, m) }
	if cycle == Quarterly {
		step, name = 3, func(m int) string { return fmt.Sprintf("%d-Q%d", year, (m+2)/3) }
	}
	var out []period
	for m := 1; m <= 12; m += step {
		end := time.Date(year, time.Month(m+step), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1-lead)
		if due := end.Format(time.DateOnly); due >= today {
			out = append(out, period{name(m), due})
		}
	}
	return out
}

// instances are the task's periods: the due date of a one-off task, or the cycle's.
func instances(t NewTask, today string) []period {
	if t.Cycle == "" {
		return []period{{"", t.DueDate}}
	}
	return periods(t.Cycle, t.Year, t.LeadDays, today)
}

// issue writes the task, its assignments (set-based: one INSERT … SELECT per period, however
// many organizations receive it), their rollups and the audit line, in one transaction.
func (s *Store) issue(ctx context.Context, sc *auth.Scope, issuer *org.Ref, t NewTask, parentID *int64, additions string) (*IssueResult, error) {
	now := s.Clock.Now()
	today := clock.Today(now)
	year := t.Year
	if t.Cycle == "" {
		year, _ = strconv.Atoi(t.DueDate[:4])
	}
	sel, _ := json.Marshal(t.To)
	out := &IssueResult{}
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO tasks (org_id, org_path, parent_id, title, description, additions, target, target_unit,
			due_date, cycle, lead_days, year, weight, evidence, evidence_required, selector, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			issuer.ID, issuer.Path, parentID, strings.TrimSpace(t.Title), t.Description, additions, t.Target, t.TargetUnit,
			t.DueDate, t.Cycle, t.LeadDays, year, t.Weight, t.Evidence, t.EvidenceRequired, string(sel), nullID(sc.UserID), now).Scan(&id); err != nil {
			return err
		}
		if err := s.checkChosen(ctx, tx, issuer, t.To.OrgIDs); err != nil {
			return err
		}
		cond, args := receivers(issuer, t.To)
		for _, p := range instances(t, today) {
			if _, err := tx.Exec(ctx, `INSERT INTO task_assignments (task_id, org_id, org_path, period, due_date, year, state, updated_at)
				SELECT ?, o.id, o.path, ?, ?, ?, ?, ? FROM orgs o WHERE `+cond, append([]any{id, p.name, p.due, year, Issued, now}, args...)...); err != nil {
				return err
			}
		}
		n, err := addAssignments(ctx, tx, id, year)
		if err != nil {
			return err
		}
		if n == 0 {
			return httpx.Invalid(httpx.FieldIssue("to", "f.task.to", "task.no_receiver"))
		}
		task, err := s.task(ctx, tx, id)
		if err != nil {
			return err
		}
		out.Task, out.Assignments = *task, n
		action := "create"
		if parentID != nil {
			action = "cascade"
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: action, Entity: "task", EntityID: id, OrgID: issuer.ID,
			Summary: fmt.Sprintf("%s → %d", task.Title, n), Changes: audit.Snapshot(task)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// receivers is the SQL condition on orgs o of a selector below issuer.
func receivers(issuer *org.Ref, sel TaskSelector) (string, []any) {
	lo, hi := db.SubtreeRange(issuer.Path)
	conds, args := []string{"o.path > ? AND o.path < ? AND o.dissolved_at IS NULL"}, []any{lo, hi}
	if len(sel.OrgIDs) > 0 {
		conds = append(conds, "o.id IN ("+db.Placeholders(len(sel.OrgIDs))+")")
		for _, id := range sel.OrgIDs {
			args = append(args, id)
		}
		return strings.Join(conds, " AND "), args
	}
	if sel.Children {
		conds, args = append(conds, "o.parent_id = ?"), append(args, issuer.ID)
	}
	if len(sel.Kinds) > 0 {
		conds = append(conds, "o.kind IN ("+db.Placeholders(len(sel.Kinds))+")")
		for _, k := range sel.Kinds {
			args = append(args, k)
		}
	}
	if sel.Field != "" {
		conds, args = append(conds, "o.field = ?"), append(args, sel.Field)
	}
	return strings.Join(conds, " AND "), args
}

// checkChosen refuses a chosen organization that is not a live organization below issuer,
// naming it.
func (s *Store) checkChosen(ctx context.Context, tx *db.Tx, issuer *org.Ref, ids []int64) error {
	var is httpx.Issues
	for _, id := range ids {
		o, err := org.Lookup(ctx, tx, id)
		if err != nil {
			return err
		}
		if o == nil || !o.Live || o.ID == issuer.ID || !strings.HasPrefix(o.Path, issuer.Path) {
			is.Add("to.org_ids", "f.task.to.org_ids", "task.not_below", id)
		}
	}
	return is.Err()
}

// addAssignments counts a new task's assignments into the rollups, grouped by path and due
// date, and returns how many there are.
func addAssignments(ctx context.Context, tx *db.Tx, task int64, year int) (int, error) {
	r, total := tree.Rollup{}, 0
	err := db.Each(ctx, tx, `SELECT org_path, due_date, COUNT(*) FROM task_assignments WHERE task_id = ? GROUP BY org_path, due_date`,
		[]any{task}, func(row db.Scanner) error {
			var path, due string
			var n int
			if err := row.Scan(&path, &due, &n); err != nil {
				return err
			}
			count(r, path, task, year, due, outstanding, n)
			total += n
			return nil
		})
	if err != nil {
		return 0, err
	}
	return total, r.Flush(ctx, tx)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// task reads a task (nil when there is none).
func (s *Store) task(ctx context.Context, q db.Querier, id int64) (*Task, error) {
	ts, err := db.All(ctx, q, taskSelect+` WHERE t.id = ?`, []any{id}, scanTask)
	if err != nil || len(ts) == 0 {
		return nil, err
	}
	return &ts[0], nil
}

const taskSelect = `SELECT t.id, t.org_id, o.name, t.parent_id, t.title, t.description, t.additions, t.target, t.target_unit,
	t.due_date, t.cycle, t.lead_days, t.year, t.weight, t.evidence, t.evidence_required, t.created_at
	FROM tasks t JOIN orgs o ON o.id = t.org_id`

func scanTask(r db.Scanner) (Task, error) {
	var t Task
	var parent, target sql.NullInt64
	err := r.Scan(&t.ID, &t.OrgID, &t.OrgName, &parent, &t.Title, &t.Description, &t.Additions, &target, &t.TargetUnit,
		&t.DueDate, &t.Cycle, &t.LeadDays, &t.Year, &t.Weight, &t.Evidence, &t.EvidenceRequired, &t.CreatedAt)
	if parent.Valid {
		t.ParentID = &parent.Int64
	}
	if target.Valid {
		n := int(target.Int64)
		t.Target = &n
	}
	return t, err
}

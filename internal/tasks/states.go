package tasks

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// Transition is one move of an assignment.
type TaskTransition struct {
	Action string `json:"action" jsonschema:"enum=accept,enum=start,enum=submit,enum=verify,enum=return,enum=close"`
	Note   string `json:"note,omitempty"`   // submit: how it was done, the evidence (required when the task asks for evidence)
	Reason string `json:"reason,omitempty"` // return: required
}

// moveRule is who may make a move and from which states: the receiving organization works
// on its assignment; only the issuing level verifies, returns and closes it.
type moveRule struct {
	from   []string
	to     string
	issuer bool
}

var moves = map[string]moveRule{
	"accept": {[]string{Issued}, Accepted, false},
	"start":  {[]string{Accepted, Returned}, InProgress, false},
	"submit": {[]string{Issued, Accepted, InProgress, Returned}, Submitted, false},
	"verify": {[]string{Submitted}, Verified, true},
	"return": {[]string{Submitted}, Returned, true},
	"close":  {[]string{Verified}, Closed, true},
}

// Actions lists the moves in the order the web offers them.
var Actions = []string{"accept", "start", "submit", "verify", "return", "close"}

// Assignment is one organization's share of a task, for a period.
type TaskAssignment struct {
	ID         int64     `json:"id"`
	TaskID     int64     `json:"task_id"`
	TaskTitle  string    `json:"task_title"`
	IssuerID   int64     `json:"issuer_id"`
	IssuerName string    `json:"issuer_name"`
	OrgID      int64     `json:"org_id"`
	OrgName    string    `json:"org_name"`
	OrgParent  string    `json:"org_parent"` // the organization above it, to tell same-named branches apart
	Period     string    `json:"period"`
	DueDate    string    `json:"due_date"`
	State      string    `json:"state" jsonschema:"enum=issued,enum=accepted,enum=in_progress,enum=submitted,enum=verified,enum=returned,enum=closed"`
	Overdue    bool      `json:"overdue"`
	Note       string    `json:"note"`
	Reason     string    `json:"reason"`
	UpdatedAt  time.Time `json:"updated_at"`
	Evidence   bool      `json:"evidence_required"`
	Actions    []string  `json:"actions"` // the moves the caller may make now
	path       string
	issuerPath string
	year       int
}

const assignmentSelect = `SELECT a.id, a.task_id, t.title, t.org_id, io.name, a.org_id, o.name, COALESCE(po.name, ''), a.period, a.due_date, a.state,
	a.note, a.reason, a.updated_at, t.evidence_required, a.org_path, t.org_path, a.year
	FROM task_assignments a JOIN tasks t ON t.id = a.task_id JOIN orgs o ON o.id = a.org_id JOIN orgs io ON io.id = t.org_id
	LEFT JOIN orgs po ON po.id = o.parent_id`

// scanAssignment reads a row of assignmentSelect and fills what the caller may do.
func scanAssignment(sc *auth.Scope, today string) func(db.Scanner) (TaskAssignment, error) {
	return func(r db.Scanner) (TaskAssignment, error) {
		var a TaskAssignment
		err := r.Scan(&a.ID, &a.TaskID, &a.TaskTitle, &a.IssuerID, &a.IssuerName, &a.OrgID, &a.OrgName, &a.OrgParent, &a.Period, &a.DueDate, &a.State,
			&a.Note, &a.Reason, &a.UpdatedAt, &a.Evidence, &a.path, &a.issuerPath, &a.year)
		a.Overdue = classOf(a.State) == outstanding && a.DueDate < today
		a.Actions = []string{}
		for _, act := range Actions {
			if m := moves[act]; slices.Contains(m.from, a.State) && a.may(sc, m) {
				a.Actions = append(a.Actions, act)
			}
		}
		return a, err
	}
}

// may tells whether the caller may make move m: edit rights on the issuing level for its
// moves, on the receiving organization for the others.
func (a *TaskAssignment) may(sc *auth.Scope, m moveRule) bool {
	if m.issuer {
		return sc.Can(auth.EditOrg, a.issuerPath)
	}
	return sc.Can(auth.EditOrg, a.path)
}

// Move makes one move of assignment id. Refusals change nothing: an assignment the caller
// cannot see → 403 (404 for an admin); a move the caller may not make → 403; a move the
// state does not allow → 409 task_state.
func (s *Store) Move(ctx context.Context, sc *auth.Scope, id int64, tr TaskTransition) (*TaskAssignment, error) {
	m, ok := moves[tr.Action]
	if !ok {
		return nil, httpx.Invalid(httpx.FieldIssue("action", "f.task.action", "v.choice", tr.Action))
	}
	now := s.Clock.Now()
	today := clock.Today(now)
	var out *TaskAssignment
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		a, err := s.assignment(ctx, tx, sc, id, today)
		if err != nil {
			return err
		}
		if !sc.Can(auth.Read, a.path) && !sc.Can(auth.Read, a.issuerPath) {
			return sc.Refuse(httpx.NotFound("f.task_assignment"))
		}
		if !a.may(sc, m) {
			return httpx.Forbidden()
		}
		if !slices.Contains(m.from, a.State) {
			return httpx.Conflict("task_state", i18n.M("task.bad_state", i18n.M("task.state."+a.State), i18n.M("task.action."+tr.Action)))
		}
		if err := checkMove(tr, a); err != nil {
			return err
		}
		note, reason := a.Note, a.Reason
		switch tr.Action {
		case "submit":
			note = strings.TrimSpace(tr.Note)
		case "return":
			reason = strings.TrimSpace(tr.Reason)
		}
		res, err := tx.Exec(ctx, `UPDATE task_assignments SET state = ?, note = ?, reason = ?, updated_by = ?, updated_at = ?
			WHERE id = ? AND state = ?`, m.to, note, reason, nullID(sc.UserID), now, id, a.State)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 { // moved meanwhile
			return httpx.Conflict("task_state", i18n.M("task.bad_state", i18n.M("task.state."+a.State), i18n.M("task.action."+tr.Action)))
		}
		r := tree.Rollup{}
		move(r, a.path, a.TaskID, a.year, a.DueDate, classOf(a.State), -1)
		move(r, a.path, a.TaskID, a.year, a.DueDate, classOf(m.to), 1)
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: tr.Action, Entity: "task_assignment", EntityID: id, OrgID: a.OrgID,
			Summary: a.TaskTitle + " " + a.Period, Changes: map[string]audit.Change{"state": {Before: a.State, After: m.to}}}); err != nil {
			return err
		}
		out, err = s.assignment(ctx, tx, sc, id, today)
		return err
	})
	return out, err
}

// checkMove checks a move's note or reason.
func checkMove(tr TaskTransition, a *TaskAssignment) error {
	var is httpx.Issues
	note, reason := strings.TrimSpace(tr.Note), strings.TrimSpace(tr.Reason)
	switch tr.Action {
	case "submit":
		if a.Evidence && note == "" {
			is.Add("note", "f.task.note", "task.note_required")
		}
	case "return":
		if reason == "" {
			is.Add("reason", "f.task.reason", "v.required")
		}
	}
	if utf8.RuneCountInString(note) > 2000 {
		is.Add("note", "f.task.note", "v.too_long", 2000)
	}
	if utf8.RuneCountInString(reason) > 500 {
		is.Add("reason", "f.task.reason", "v.too_long", 500)
	}
	return is.Err()
}

// assignment reads one assignment regardless of scope (404 when there is none); callers check.
func (s *Store) assignment(ctx context.Context, q db.Querier, sc *auth.Scope, id int64, today string) (*TaskAssignment, error) {
	a, err := scanAssignment(sc, today)(q.QueryRow(ctx, assignmentSelect+` WHERE a.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, sc.Refuse(httpx.NotFound("f.task_assignment"))
	}
	if err != nil {
		return nil, err
	}
	return &a, nil
}

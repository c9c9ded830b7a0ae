package projects

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// rule is who may take an action and in which states: the organization's writers propose,
// edit and report progress; only the level above (its parent's writers) decides.
type rule struct {
	from  []string
	above bool
}

var rules = map[string]rule{
	"edit":     {[]string{Proposed, Returned}, false},
	"progress": {[]string{Approved}, false},
	"approve":  {[]string{Proposed}, true},
	"return":   {[]string{Proposed}, true},
	"reject":   {[]string{Proposed}, true},
	"comment":  {[]string{Approved}, true},
	"evaluate": {[]string{Approved}, true},
}

// Actions lists the actions in the order the web offers them.
var Actions = []string{"edit", "progress", "approve", "return", "reject", "comment", "evaluate"}

// after is the state an action leaves (evaluate: closed, or carried with carry).
var after = map[string]string{"edit": Proposed, "approve": Approved, "return": Returned, "reject": Rejected, "evaluate": Closed}

// may tells whether the caller may take action a on p now.
func (p *Project) may(sc *auth.Scope, a string) bool {
	r := rules[a]
	if !slices.Contains(r.from, p.State) {
		return false
	}
	if r.above {
		return p.parentPath != "" && sc.Can(auth.EditOrg, p.parentPath)
	}
	return sc.Can(auth.EditOrg, p.path)
}

// allow refuses action a on p: 403 for someone who may not take it, 409 for a state that
// does not allow it.
func allow(sc *auth.Scope, p *Project, a string) error {
	r := rules[a]
	if r.above && (p.parentPath == "" || !sc.Can(auth.EditOrg, p.parentPath)) || !r.above && !sc.Can(auth.EditOrg, p.path) {
		return httpx.Forbidden()
	}
	if !slices.Contains(r.from, p.State) {
		return httpx.Conflict("project_state", i18n.M("pj.bad_state", i18n.M("pj.state."+p.State), i18n.M("pj.action."+a)))
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// Propose records a proposal of organization orgID for the level above to decide.
func (s *Store) Propose(ctx context.Context, sc *auth.Scope, orgID int64, np NewProject) (*Project, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.EditOrg)
	if err != nil {
		return nil, err
	}
	if o.ParentID == 0 {
		return nil, httpx.Conflict("project_state", i18n.M("pj.no_parent"))
	}
	now := s.Clock.Now()
	this, _ := strconv.Atoi(s.today()[:4])
	if np.Year == 0 {
		np.Year = this
	}
	np.clean()
	if err := np.check(this); err != nil {
		return nil, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := tx.QueryRow(ctx, `INSERT INTO projects (org_id, org_path, year, title, problem, goal, measures, responsible, state,
			created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			o.ID, o.Path, np.Year, np.Title, np.Problem, np.Goal, np.Measures, np.Responsible, Proposed, nullID(sc.UserID), now, now).Scan(&id)
		if err != nil {
			return err
		}
		if err := insertMilestones(ctx, tx, id, np.Milestones, now); err != nil {
			return err
		}
		r := tree.Rollup{}
		count(r, o.Path, np.Year, Proposed, 1)
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "propose", Entity: "project", EntityID: id, OrgID: o.ID, Summary: np.Title})
	})
	if err != nil {
		return nil, err
	}
	return s.Read(ctx, sc, id)
}

func insertMilestones(ctx context.Context, tx *db.Tx, project int64, ms []NewProjectMilestone, now time.Time) error {
	for i, m := range ms {
		if _, err := tx.Exec(ctx, `INSERT INTO project_milestones (project_id, seq, title, due_date, updated_at) VALUES (?, ?, ?, ?, ?)`,
			project, i+1, m.Title, m.DueDate, now); err != nil {
			return err
		}
	}
	return nil
}

// Edit rewrites a proposed or returned project (its milestones replaced) and resubmits it.
func (s *Store) Edit(ctx context.Context, sc *auth.Scope, id int64, np NewProject) (*Project, error) {
	this, _ := strconv.Atoi(s.today()[:4])
	now := s.Clock.Now()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.load(ctx, tx, sc, id, true)
		if err != nil {
			return err
		}
		if err := allow(sc, p, "edit"); err != nil {
			return err
		}
		if np.Year == 0 {
			np.Year = p.Year
		}
		np.clean()
		if err := np.check(this); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE projects SET year = ?, title = ?, problem = ?, goal = ?, measures = ?, responsible = ?,
			state = ?, updated_at = ? WHERE id = ?`, np.Year, np.Title, np.Problem, np.Goal, np.Measures, np.Responsible, Proposed, now, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM project_milestones WHERE project_id = ?`, id); err != nil {
			return err
		}
		if err := insertMilestones(ctx, tx, id, np.Milestones, now); err != nil {
			return err
		}
		r := tree.Rollup{}
		count(r, p.path, p.Year, p.State, -1)
		count(r, p.path, np.Year, Proposed, 1)
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "edit", Entity: "project", EntityID: id, OrgID: p.OrgID, Summary: np.Title,
			Changes: map[string]audit.Change{"state": {Before: p.State, After: Proposed}}})
	})
	if err != nil {
		return nil, err
	}
	return s.Read(ctx, sc, id)
}

// Decide is the level above's word: approve, return or reject a proposal; comment mid-year
// (年中查账); evaluate at year end with a grade — closed, or carried over to a new proposed
// project of the next year holding the milestones not done (due dates a year on).
func (s *Store) Decide(ctx context.Context, sc *auth.Scope, id int64, d ProjectDecision) (*Project, error) {
	if err := d.check(s.Grades); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		p, err := s.load(ctx, tx, sc, id, true)
		if err != nil {
			return err
		}
		if err := allow(sc, p, d.Action); err != nil {
			return err
		}
		to, ok := after[d.Action]
		if !ok {
			to = p.State
		}
		if d.Action == "evaluate" && d.Carry {
			to = Carried
		}
		set := `state = ?, updated_at = ?`
		args := []any{to, now}
		switch d.Action {
		case "return", "reject":
			set, args = set+`, reason = ?`, append(args, d.Reason)
		case "comment":
			set, args = set+`, mid_comment = ?`, append(args, d.Comment)
		case "evaluate":
			set, args = set+`, grade = ?, grades_version = ?, eval_comment = ?`, append(args, d.Grade, s.Grades.Version, d.Comment)
		}
		res, err := tx.Exec(ctx, `UPDATE projects SET `+set+` WHERE id = ? AND state = ?`, append(args, id, p.State)...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 { // moved meanwhile
			return httpx.Conflict("project_state", i18n.M("pj.bad_state", i18n.M("pj.state."+p.State), i18n.M("pj.action."+d.Action)))
		}
		r := tree.Rollup{}
		count(r, p.path, p.Year, p.State, -1)
		count(r, p.path, p.Year, to, 1)
		if to == Carried {
			if err := s.carry(ctx, tx, sc, p, r, now); err != nil {
				return err
			}
		}
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: d.Action, Entity: "project", EntityID: id, OrgID: p.OrgID, Summary: p.Title,
			Changes: map[string]audit.Change{"state": {Before: p.State, After: to}}})
	})
	if err != nil {
		return nil, err
	}
	return s.Read(ctx, sc, id)
}

// carry makes next year's project from p: the same problem, goal, measures and people, and
// p's milestones not done, a year on; proposed, for the level above to approve again.
func (s *Store) carry(ctx context.Context, tx *db.Tx, sc *auth.Scope, p *Project, r tree.Rollup, now time.Time) error {
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO projects (org_id, org_path, year, title, problem, goal, measures, responsible, state, carried_from,
		created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.OrgID, p.path, p.Year+1, p.Title, p.Problem, p.Goal, p.Measures, p.Responsible, Proposed, p.ID, nullID(sc.UserID), now, now).Scan(&id)
	if err != nil {
		return err
	}
	var ms []NewProjectMilestone
	err = db.Each(ctx, tx, `SELECT title, due_date FROM project_milestones WHERE project_id = ? AND done_date = '' ORDER BY seq`, []any{p.ID},
		func(row db.Scanner) error {
			var m NewProjectMilestone
			if err := row.Scan(&m.Title, &m.DueDate); err != nil {
				return err
			}
			m.DueDate = nextYear(m.DueDate)
			ms = append(ms, m)
			return nil
		})
	if err != nil {
		return err
	}
	if err := insertMilestones(ctx, tx, id, ms, now); err != nil {
		return err
	}
	count(r, p.path, p.Year+1, Proposed, 1)
	return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "carry", Entity: "project", EntityID: id, OrgID: p.OrgID, Summary: p.Title})
}

// nextYear is the same day a year on (29 February → 28 February).
func nextYear(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	n := time.Date(t.Year()+1, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if n.Month() != t.Month() {
		n = n.AddDate(0, 0, -n.Day())
	}
	return n.Format(time.DateOnly)
}

// Progress reports at milestone mid of an approved project: done on a day or not yet, with
// the evidence. The organization's writers report.
func (s *Store) Progress(ctx context.Context, sc *auth.Scope, mid int64, pr ProjectProgress) (*Project, error) {
	if err := pr.check(s.today()); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	var pid int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var title string
		if err := tx.QueryRow(ctx, `SELECT project_id, title FROM project_milestones WHERE id = ?`, mid).Scan(&pid, &title); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return sc.Refuse(httpx.NotFound("f.project_milestone"))
			}
			return err
		}
		p, err := s.load(ctx, tx, sc, pid, true)
		if err != nil {
			return err
		}
		if err := allow(sc, p, "progress"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE project_milestones SET done_date = ?, note = ?, link = ?, updated_at = ? WHERE id = ?`,
			pr.DoneDate, pr.Note, pr.Link, now, mid); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE projects SET updated_at = ? WHERE id = ?`, now, pid); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "progress", Entity: "project_milestone", EntityID: mid, OrgID: p.OrgID,
			Summary: p.Title + " · " + title, Changes: map[string]audit.Change{"done_date": {After: pr.DoneDate}}})
	})
	if err != nil {
		return nil, err
	}
	return s.Read(ctx, sc, pid)
}

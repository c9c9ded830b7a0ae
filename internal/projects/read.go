package projects

import (
	"context"
	"database/sql"
	"errors"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

func (s *Store) today() string { return clock.Today(s.Clock.Now()) }

// projectSelect reads a project with its organization and the level above's path.
const projectSelect = `SELECT p.id, p.org_id, o.name, p.year, p.title, p.problem, p.goal, p.measures, p.responsible, p.state,
	p.reason, p.mid_comment, p.grade, p.grades_version, p.eval_comment, p.carried_from, p.created_at, p.updated_at,
	p.org_path, COALESCE(po.path, ''),
	(SELECT MIN(c.id) FROM projects c WHERE c.carried_from = p.id)
	FROM projects p JOIN orgs o ON o.id = p.org_id LEFT JOIN orgs po ON po.id = o.parent_id`

func scanProject(r db.Scanner) (Project, error) {
	var p Project
	var from, to sql.NullInt64
	err := r.Scan(&p.ID, &p.OrgID, &p.OrgName, &p.Year, &p.Title, &p.Problem, &p.Goal, &p.Measures, &p.Responsible, &p.State,
		&p.Reason, &p.MidComment, &p.Grade, &p.GradesVersion, &p.EvalComment, &from, &p.CreatedAt, &p.UpdatedAt,
		&p.path, &p.parentPath, &to)
	if from.Valid {
		p.CarriedFrom = &from.Int64
	}
	if to.Valid {
		p.CarriedTo = &to.Int64
	}
	return p, err
}

// load reads project id regardless of scope; a missing one is 404 (403 for a write by a
// non-admin, who cannot tell missing from invisible), as is one outside the caller's reach.
func (s *Store) load(ctx context.Context, q db.Querier, sc *auth.Scope, id int64, write bool) (*Project, error) {
	p, err := scanProject(q.QueryRow(ctx, projectSelect+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) || err == nil && !sc.Can(auth.Read, p.path) {
		if write {
			return nil, sc.Refuse(httpx.NotFound("f.project"))
		}
		return nil, httpx.NotFound("f.project")
	}
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// fill adds the milestones, the overdue count (today decides) and the caller's actions.
func (s *Store) fill(ctx context.Context, q db.Querier, sc *auth.Scope, p *Project) error {
	today := s.today()
	ms, err := db.All(ctx, q, `SELECT id, seq, title, due_date, done_date, note, link FROM project_milestones
		WHERE project_id = ? ORDER BY seq`, []any{p.ID}, func(r db.Scanner) (ProjectMilestone, error) {
		var m ProjectMilestone
		err := r.Scan(&m.ID, &m.Seq, &m.Title, &m.DueDate, &m.DoneDate, &m.Note, &m.Link)
		m.Late = m.DoneDate != "" && m.DoneDate > m.DueDate
		m.Overdue = m.DoneDate == "" && m.DueDate < today && p.State == Approved
		return m, err
	})
	if err != nil {
		return err
	}
	p.Milestones = append([]ProjectMilestone{}, ms...)
	p.Overdue = 0
	for _, m := range ms {
		if m.Overdue {
			p.Overdue++
		}
	}
	if g := s.Grades.find(p.Grade); g != nil {
		p.GradeName = g.Name
	}
	p.Actions = []string{}
	for _, a := range Actions {
		if p.may(sc, a) {
			p.Actions = append(p.Actions, a)
		}
	}
	return nil
}

// Read is one project with its milestones; 404 outside the caller's read scope.
func (s *Store) Read(ctx context.Context, sc *auth.Scope, id int64) (*Project, error) {
	p, err := s.load(ctx, s.DB, sc, id, false)
	if err != nil {
		return nil, err
	}
	return p, s.fill(ctx, s.DB, sc, p)
}

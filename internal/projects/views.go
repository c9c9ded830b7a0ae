package projects

import (
	"context"
	"strconv"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// ProjectOverview is a level's projects at a glance: the subtree's counts by state (the
// maintained rollup, one read) and a page of the subtree's projects, in tree order.
type ProjectOverview struct {
	OrgID    int64               `json:"org_id"`
	OrgName  string              `json:"org_name"`
	Year     int                 `json:"year"`
	Counts   ProjectCounts       `json:"counts"`
	Projects httpx.List[Project] `json:"projects"`
	Grades   *ProjectGrades      `json:"grades"` // the grades document in force
	// CanPropose: the caller may propose a project of this organization (its writers; not the top).
	CanPropose bool `json:"can_propose"`
}

// Overview reads organization orgID's overview for year, optionally of one state.
func (s *Store) Overview(ctx context.Context, sc *auth.Scope, orgID int64, year int, state string, p httpx.Page) (*ProjectOverview, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	c, err := countsOf(ctx, s.DB, o.ID, year)
	if err != nil {
		return nil, err
	}
	out := &ProjectOverview{OrgID: o.ID, OrgName: o.Name, Year: year, Counts: *c, Grades: s.Grades,
		Projects:   httpx.List[Project]{Items: []Project{}, Total: c.Total},
		CanPropose: o.ParentID != 0 && o.Live && sc.Can(auth.EditOrg, o.Path)}
	lo, hi := db.SubtreeRange(o.Path)
	cond, args := ` WHERE p.org_path >= ? AND p.org_path < ? AND p.year = ?`, []any{lo, hi, year}
	if state != "" {
		cond, args = cond+` AND p.state = ?`, append(args, state)
		out.Projects.Total = c.ByState[state]
	}
	ps, err := db.All(ctx, s.DB, projectSelect+cond+` ORDER BY p.org_path, p.id LIMIT ? OFFSET ?`, append(args, p.Size, p.Offset()), scanProject)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		if err := s.fill(ctx, s.DB, sc, &ps[i]); err != nil {
			return nil, err
		}
	}
	out.Projects.Items = append(out.Projects.Items, ps...)
	return out, nil
}

// ProjectOrgCounts is a child's counts in the drill-down.
type ProjectOrgCounts struct {
	OrgID   int64         `json:"org_id"`
	OrgName string        `json:"org_name"`
	Kind    string        `json:"kind"`
	Counts  ProjectCounts `json:"counts"`
}

// Children is the drill-down: the children of orgID with projects below them in year, a
// page at a time, each with its counts from the rollups.
func (s *Store) Children(ctx context.Context, sc *auth.Scope, orgID int64, year int, p httpx.Page) (*httpx.List[ProjectOrgCounts], error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	y := strconv.Itoa(year)
	const from = ` FROM orgs o WHERE o.parent_id = ? AND EXISTS (SELECT 1 FROM org_stats s
		WHERE s.org_id = o.id AND s.dim = ? AND s.key >= ? AND s.key < ? AND s.n > 0)`
	args := []any{o.ID, DimState, y + ":", y + ";"}
	out := &httpx.List[ProjectOrgCounts]{Items: []ProjectOrgCounts{}}
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	rows, err := db.All(ctx, s.DB, `SELECT o.id, o.name, o.kind`+from+` ORDER BY o.path LIMIT ? OFFSET ?`, append(args, p.Size, p.Offset()),
		func(r db.Scanner) (ProjectOrgCounts, error) {
			var c ProjectOrgCounts
			return c, r.Scan(&c.OrgID, &c.OrgName, &c.Kind)
		})
	if err != nil {
		return nil, err
	}
	for i := range rows {
		c, err := countsOf(ctx, s.DB, rows[i].OrgID, year)
		if err != nil {
			return nil, err
		}
		rows[i].Counts = *c
	}
	out.Items = append(out.Items, rows...)
	return out, nil
}

// DueMilestone is a milestone not yet done of an approved project in a subtree.
type DueMilestone struct {
	ID           int64  `json:"id"`
	Seq          int    `json:"seq"`
	Title        string `json:"title"`
	DueDate      string `json:"due_date"`
	Overdue      bool   `json:"overdue"` // due before today
	Note         string `json:"note"`
	Link         string `json:"link"`
	ProjectID    int64  `json:"project_id"`
	ProjectTitle string `json:"project_title"`
	OrgID        int64  `json:"org_id"`
	OrgName      string `json:"org_name"`
}

// DueSoon is the subtree's milestones not done of approved projects due within days of today
// (CST) — the overdue ones first, as they are the earliest — a page at a time.
func (s *Store) DueSoon(ctx context.Context, sc *auth.Scope, orgID int64, days int, p httpx.Page) (*httpx.List[DueMilestone], error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	today, until := clock.Today(now), clock.Today(now.Add(time.Duration(days)*24*time.Hour))
	lo, hi := db.SubtreeRange(o.Path)
	const from = ` FROM project_milestones m JOIN projects p ON p.id = m.project_id JOIN orgs o ON o.id = p.org_id
		WHERE p.org_path >= ? AND p.org_path < ? AND p.state = 'approved' AND m.done_date = '' AND m.due_date <= ?`
	args := []any{lo, hi, until}
	out := &httpx.List[DueMilestone]{Items: []DueMilestone{}}
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&out.Total); err != nil {
		return nil, err
	}
	ms, err := db.All(ctx, s.DB, `SELECT m.id, m.seq, m.title, m.due_date, m.note, m.link, p.id, p.title, o.id, o.name`+from+
		` ORDER BY m.due_date, p.org_path, m.seq LIMIT ? OFFSET ?`, append(args, p.Size, p.Offset()), func(r db.Scanner) (DueMilestone, error) {
		var d DueMilestone
		err := r.Scan(&d.ID, &d.Seq, &d.Title, &d.DueDate, &d.Note, &d.Link, &d.ProjectID, &d.ProjectTitle, &d.OrgID, &d.OrgName)
		d.Overdue = d.DueDate < today
		return d, err
	})
	if err != nil {
		return nil, err
	}
	out.Items = append(out.Items, ms...)
	return out, nil
}

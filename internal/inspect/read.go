package inspect

import (
	"context"
	"encoding/json"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/rectify"
)

// The list's columns: the inspection, its level's name and path, and its counts from one
// grouped join over its findings' items (set-based: no query per inspection).
const listSQL = `SELECT n.id, n.org_id, o.name, o.path, n.topic, n.checklist, n.inspectors, n.start_date, n.end_date, n.state, n.created_at,
	COUNT(f.id),
	COALESCE(SUM(CASE WHEN r.state <> 'closed' THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN r.state <> 'closed' AND r.due_date < ? THEN 1 ELSE 0 END), 0),
	COALESCE(SUM(CASE WHEN r.state = 'closed' THEN 1 ELSE 0 END), 0)
	FROM inspections n JOIN orgs o ON o.id = n.org_id
	LEFT JOIN inspection_findings f ON f.inspection_id = n.id
	LEFT JOIN rectify_items r ON r.id = f.item_id
	WHERE `

const listGroup = ` GROUP BY n.id, n.org_id, o.name, o.path, n.topic, n.checklist, n.inspectors, n.start_date, n.end_date, n.state, n.created_at`

func (s *Store) query(ctx context.Context, where string, args []any, tail string) ([]Inspection, error) {
	args = append([]any{clock.Today(s.Clock.Now())}, args...)
	return db.All(ctx, s.DB, listSQL+where+listGroup+tail, args, func(r db.Scanner) (Inspection, error) {
		var in Inspection
		var cl, ins string
		c := &in.Counts
		err := r.Scan(&in.ID, &in.OrgID, &in.OrgName, &in.path, &in.Topic, &cl, &ins, &in.StartDate, &in.EndDate, &in.State, &in.CreatedAt,
			&c.Findings, &c.Open, &c.Overdue, &c.Closed)
		_ = json.Unmarshal([]byte(cl), &in.Checklist)
		_ = json.Unmarshal([]byte(ins), &in.Inspectors)
		in.CreatedAt = in.CreatedAt.UTC()
		return in, err
	})
}

// load reads one inspection with its counts; nil when missing.
func (s *Store) load(ctx context.Context, id int64) (*Inspection, error) {
	l, err := s.query(ctx, `n.id = ?`, []any{id}, "")
	if err != nil || len(l) == 0 {
		return nil, err
	}
	return &l[0], nil
}

// Get reads an inspection with the organizations visited and its findings with their items
// (read scope on the inspecting level: else 404).
func (s *Store) Get(ctx context.Context, sc *auth.Scope, id int64) (*Inspection, error) {
	in, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if in == nil || !sc.Can(auth.Read, in.path) {
		return nil, httpx.NotFound("f.inspect")
	}
	in.MayManage = sc.Can(auth.ManageOrgs, in.path)
	in.Visited, err = db.All(ctx, s.DB, `SELECT v.org_id, o.name FROM inspection_orgs v JOIN orgs o ON o.id = v.org_id WHERE v.inspection_id = ? ORDER BY o.path`,
		[]any{id}, func(r db.Scanner) (InspectVisited, error) {
			var v InspectVisited
			return v, r.Scan(&v.OrgID, &v.Name)
		})
	if err != nil {
		return nil, err
	}
	in.Findings, err = db.All(ctx, s.DB, `SELECT f.id, f.org_id, o.name, f.check_item, f.problem, f.evidence, f.link, f.severity, f.created_at
		FROM inspection_findings f JOIN orgs o ON o.id = f.org_id WHERE f.inspection_id = ? ORDER BY f.id`, []any{id}, func(r db.Scanner) (InspectFinding, error) {
		var f InspectFinding
		err := r.Scan(&f.ID, &f.OrgID, &f.OrgName, &f.CheckItem, &f.Problem, &f.Evidence, &f.Link, &f.Severity, &f.CreatedAt)
		f.CreatedAt = f.CreatedAt.UTC()
		return f, err
	})
	if err != nil || len(in.Findings) == 0 {
		return in, err
	}
	ids := make([]int64, len(in.Findings))
	for i, f := range in.Findings {
		ids[i] = f.ID
	}
	items, err := s.Rectify.BySource(ctx, s.DB, Kind, ids...)
	if err != nil {
		return nil, err
	}
	bySource := map[int64]*rectify.Item{}
	for i := range items {
		bySource[items[i].SourceID] = &items[i]
	}
	for i := range in.Findings {
		in.Findings[i].Item = bySource[in.Findings[i].ID]
	}
	return in, nil
}

// List pages the level's own inspections, newest first, each with its counts.
func (s *Store) List(ctx context.Context, sc *auth.Scope, levelID int64, p httpx.Page) (*httpx.List[Inspection], error) {
	lvl, err := org.Resolve(ctx, s.DB, sc, levelID, auth.Read)
	if err != nil {
		return nil, err
	}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM inspections WHERE org_id = ?`, lvl.ID).Scan(&total); err != nil {
		return nil, err
	}
	l, err := s.query(ctx, `n.org_id = ?`, []any{lvl.ID, p.Size, p.Offset()}, ` ORDER BY n.id DESC LIMIT ? OFFSET ?`)
	if err != nil {
		return nil, err
	}
	if l == nil {
		l = []Inspection{} // an empty list, not null
	}
	manage := sc.Can(auth.ManageOrgs, lvl.Path)
	for i := range l {
		l[i].MayManage = manage
	}
	return &httpx.List[Inspection]{Items: l, Total: total}, nil
}

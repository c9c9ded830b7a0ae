package life

import (
	"context"
	"dangjian/internal/life/rules"
	"net/http"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// ActivityFilter selects activities for the list.
type ActivityFilter struct {
	OrgID    int64
	Subtree  bool
	Kind     string
	State    string
	From, To time.Time
	// ForYear: activities of that year, a 组织生活会/民主评议 by the year it is held for.
	ForYear int
}

// List lists activities in scope, newest first.
func (s *Store) List(ctx context.Context, sc *auth.Scope, f ActivityFilter, p httpx.Page) ([]Activity, int, error) {
	cond, args := sc.Where("o.path", auth.Read)
	where := "(" + cond + ")"
	if f.OrgID != 0 {
		o, err := org.Resolve(ctx, s.DB, sc, f.OrgID, auth.Read)
		if err != nil {
			return nil, 0, err
		}
		if f.Subtree {
			lo, hi := db.SubtreeRange(o.Path)
			where += " AND o.path >= ? AND o.path < ?"
			args = append(args, lo, hi)
		} else {
			where += " AND a.org_id = ?"
			args = append(args, o.ID)
		}
	}
	if f.Kind != "" {
		where += " AND EXISTS (SELECT 1 FROM activity_kinds k WHERE k.activity_id = a.id AND k.kind = ?)"
		args = append(args, f.Kind)
	}
	if f.State != "" {
		where += " AND a.state = ?"
		args = append(args, f.State)
	}
	if !f.From.IsZero() {
		where += " AND a.starts_at >= ?"
		args = append(args, f.From.UTC())
	}
	if !f.To.IsZero() {
		where += " AND a.starts_at < ?"
		args = append(args, f.To.UTC())
	}
	if f.ForYear != 0 {
		per := rules.YearPeriod(f.ForYear)
		where += " AND (a.for_year = ? OR (a.for_year IS NULL AND a.starts_at >= ? AND a.starts_at < ?))"
		args = append(args, f.ForYear, per.Start().UTC(), per.End().UTC())
	}
	from := " FROM activities a JOIN orgs o ON o.id = a.org_id WHERE " + where
	var total int
	if err := s.DB.QueryRow(ctx, "SELECT COUNT(*)"+from, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	var out []Activity
	var ids []int64
	err := db.Each(ctx, s.DB, "SELECT "+activityCols+from+" ORDER BY a.starts_at DESC, a.id DESC LIMIT ? OFFSET ?", append(args, p.Size, p.Offset()),
		func(r db.Scanner) error {
			a, err := scanActivity(r)
			if err != nil {
				return err
			}
			s.permissions(sc, a)
			out = append(out, *a)
			ids = append(ids, a.ID)
			return nil
		})
	if err != nil {
		return nil, 0, err
	}
	kinds, err := s.kindsOf(ctx, s.DB, ids)
	if err != nil {
		return nil, 0, err
	}
	for i := range out {
		out[i].Kinds = nonNil(kinds[out[i].ID])
	}
	if err := LabelRows(ctx, s.DB, out, func(a *Activity) (int64, *string) { return a.OrgID, &a.OrgLabel }); err != nil {
		return nil, 0, err
	}
	if out == nil {
		out = []Activity{}
	}
	return out, total, nil
}

func (s *Store) handleList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	var f ActivityFilter
	var err error
	if f.OrgID, err = httpx.QueryID(r, "org"); err != nil {
		return err
	}
	f.Subtree, f.Kind, f.State = httpx.QueryFlag(r, "subtree", false), q.Get("kind"), q.Get("state")
	if f.From, f.To, err = httpx.QueryDateRange(r, "from", "to"); err != nil {
		return err
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	items, total, err := s.List(r.Context(), auth.From(r.Context()), f, p)
	if err != nil {
		return err
	}
	return httpx.JSON(w, 200, httpx.List[Activity]{Items: items, Total: total})
}

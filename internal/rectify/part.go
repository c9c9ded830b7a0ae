package rectify

import (
	"context"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// Part is the rectification items' share of the subtree rollups: items not closed, and those
// of them overdue (the flag the daily sweep sets), and the items' organization paths.
func Part() tree.Part {
	return tree.Part{Name: "rectify", Dims: []string{DimOpen, DimOverdue}, Recount: recount,
		Paths: []tree.PathColumn{{Table: "rectify_items", Column: "org_path"}}}
}

func recount(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	return db.Each(ctx, tx, `SELECT org_path, COUNT(*), SUM(overdue) FROM rectify_items WHERE state <> ? GROUP BY org_path`, []any{Closed}, func(row db.Scanner) error {
		var path string
		var n, late int
		err := row.Scan(&path, &n, &late)
		r.Add(path, DimOpen, "all", n)
		r.Add(path, DimOverdue, "all", late)
		return err
	})
}

// Summary is a subtree's rectification figures, one read of its rollup rows.
type Summary struct {
	OrgID   int64 `json:"org_id"`
	Open    int   `json:"open"`    // not closed
	Overdue int   `json:"overdue"` // of them past due (as of the last daily sweep)
}

// SummaryOf reads an organization's subtree figures (read scope).
func (s *Store) SummaryOf(ctx context.Context, sc *auth.Scope, orgID int64) (*Summary, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	out := &Summary{OrgID: orgID}
	err := db.Each(ctx, s.DB, `SELECT dim, n FROM org_stats WHERE org_id = ? AND dim IN (?, ?) AND key = 'all'`, []any{orgID, DimOpen, DimOverdue}, func(r db.Scanner) error {
		var dim string
		var n int
		err := r.Scan(&dim, &n)
		if dim == DimOpen {
			out.Open = n
		} else {
			out.Overdue = n
		}
		return err
	})
	return out, err
}

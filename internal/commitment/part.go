package commitment

import (
	"context"
	"strconv"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// The rollup dimensions of the commitment part (org_stats), counted at the member's branch.
const (
	DimDraft   = "cmt:draft"    // drafts waiting for the branch (key "all")
	DimMade    = "cmt:made"     // confirmed commitments, whatever their outcome (key: year)
	DimKept    = "cmt:kept"     // recorded kept (key: year)
	DimNotKept = "cmt:not_kept" // recorded not kept (key: year)
)

// count adds n to the figures a commitment in state counts under (nothing for "" or
// withdrawn): a transition subtracts the old state's and adds the new one's.
func count(r tree.Rollup, path, state string, year, n int) {
	y := strconv.Itoa(year)
	switch state {
	case Draft:
		r.Add(path, DimDraft, "all", n)
	case Confirmed:
		r.Add(path, DimMade, y, n)
	case Kept:
		r.Add(path, DimMade, y, n)
		r.Add(path, DimKept, y, n)
	case NotKept:
		r.Add(path, DimMade, y, n)
		r.Add(path, DimNotKept, y, n)
	}
}

// Part is the commitments' share of the subtree rollups: O(1) reads of commitments made and
// kept per year at any level.
func Part() tree.Part {
	return tree.Part{Name: "commitment", Dims: []string{DimDraft, DimMade, DimKept, DimNotKept}, Recount: recount,
		Paths: []tree.PathColumn{{Table: "commitments", Column: "org_path"}}}
}

func recount(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	return db.Each(ctx, tx, `SELECT org_path, state, year, COUNT(*) FROM commitments GROUP BY org_path, state, year`, nil, func(row db.Scanner) error {
		var path, state string
		var year, n int
		err := row.Scan(&path, &state, &year, &n)
		count(r, path, state, year, n)
		return err
	})
}

// CommitmentSummary is a subtree's commitment figures for a year, one read of its rollup rows.
type CommitmentSummary struct {
	OrgID   int64 `json:"org_id"`
	Year    int   `json:"year"`
	Drafts  int   `json:"drafts"`   // waiting for confirmation (all years)
	Made    int   `json:"made"`     // confirmed commitments of the year
	Kept    int   `json:"kept"`     // recorded kept
	NotKept int   `json:"not_kept"` // recorded not kept
}

// Summary reads an organization's subtree figures (read scope).
func (s *Store) Summary(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*CommitmentSummary, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	out := &CommitmentSummary{OrgID: orgID, Year: year}
	fields := map[string]*int{DimDraft: &out.Drafts, DimMade: &out.Made, DimKept: &out.Kept, DimNotKept: &out.NotKept}
	err := db.Each(ctx, s.DB, `SELECT dim, n FROM org_stats WHERE org_id = ? AND ((dim = ? AND key = 'all') OR (dim IN (?, ?, ?) AND key = ?))`,
		[]any{orgID, DimDraft, DimMade, DimKept, DimNotKept, strconv.Itoa(year)}, func(r db.Scanner) error {
			var dim string
			var n int
			err := r.Scan(&dim, &n)
			*fields[dim] = n
			return err
		})
	return out, err
}

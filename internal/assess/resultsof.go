package assess

import (
	"context"
	"strings"

	"dangjian/internal/platform/db"
)

// OrgResult is an organization's result in a round of a year, as other modules read it
// (classification proposes a class from it).
type OrgResult struct {
	OrgID     int64   `json:"org_id"`
	RoundID   int64   `json:"round_id"`
	RoundName string  `json:"round_name"`
	State     string  `json:"state"` // reviewed or awarded
	Total     float64 `json:"total"`
	Stars     int     `json:"stars"`
	Band      string  `json:"band"`
	Vetoed    bool    `json:"vetoed"`
}

// ResultsOf is, for every organization of the subtree at path assessed in a round of year,
// its reviewed (or awarded) result in the latest such round — one query, whatever the
// subtree's size. Results still in self-assessment are not results yet and are left out.
// No scope check: the caller has one.
func ResultsOf(ctx context.Context, q db.Querier, path string, year int) (map[int64]OrgResult, error) {
	lo, hi := db.SubtreeRange(path)
	out := map[int64]OrgResult{}
	err := db.Each(ctx, q, `SELECT a.org_id, a.round_id, r.name, a.state, a.total, a.stars, a.band, a.vetoed FROM assess_orgs a
		JOIN assess_rounds r ON r.id = a.round_id JOIN orgs o ON o.id = a.org_id
		WHERE r.year = ? AND o.path >= ? AND o.path < ? AND a.state IN (?, ?) ORDER BY a.round_id`, []any{year, lo, hi, Reviewed, Awarded}, func(r db.Scanner) error {
		var x OrgResult
		var vetoed string
		if err := r.Scan(&x.OrgID, &x.RoundID, &x.RoundName, &x.State, &x.Total, &x.Stars, &x.Band, &vetoed); err != nil {
			return err
		}
		x.Vetoed = strings.TrimSpace(vetoed) != ""
		out[x.OrgID] = x // a later round replaces an earlier one
		return nil
	})
	return out, err
}

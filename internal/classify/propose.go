package classify

import (
	"context"
	"fmt"

	"dangjian/internal/assess"
	"dangjian/internal/org"
	"dangjian/internal/platform/db"
)

// Proposal is the class an assessment round's result proposes for a branch, beside the level's
// decision: the stars→class mapping is the rules document's (min_stars/max_stars), the basis
// names the round and the result. The decision stays the level's, with its reasons.
type Proposal struct {
	BranchID   int64   `json:"branch_id"`
	BranchName string  `json:"branch_name"`
	Class      string  `json:"class"` // "" when no class of the rules matches the stars
	RoundID    int64   `json:"round_id"`
	Stars      int     `json:"stars"`
	Total      float64 `json:"total"`
	Vetoed     bool    `json:"vetoed"`
	Basis      string  `json:"basis"` // e.g. "2026年度星级评定：三星，82.5分"
}

// proposals reads the year's assessment results of the branches of the level's subtree
// (assess.ResultsOf: the latest reviewed or awarded round of the year) and maps each to a
// class by r. A vetoed result holds no star.
func proposals(ctx context.Context, q db.Querier, lvl *org.Ref, year int, r *Rules) ([]Proposal, error) {
	res, err := assess.ResultsOf(ctx, q, lvl.Path, year)
	if err != nil {
		return nil, err
	}
	out := []Proposal{}
	if len(res) == 0 {
		return out, nil
	}
	lo, hi := db.SubtreeRange(lvl.Path)
	err = db.Each(ctx, q, `SELECT id, name, kind FROM orgs WHERE path >= ? AND path < ? AND id <> ? AND dissolved_at IS NULL ORDER BY path`, []any{lo, hi, lvl.ID}, func(row db.Scanner) error {
		var id int64
		var name, kind string
		if err := row.Scan(&id, &name, &kind); err != nil {
			return err
		}
		x, ok := res[id]
		if !ok || !org.Kind(kind).HoldsMembers() {
			return nil
		}
		p := Proposal{BranchID: id, BranchName: name, Class: r.FromStars(x.Stars), RoundID: x.RoundID, Stars: x.Stars, Total: x.Total, Vetoed: x.Vetoed}
		switch {
		case x.Vetoed:
			p.Basis = fmt.Sprintf("%s：一票否决", x.RoundName)
		case x.Stars > 0:
			p.Basis = fmt.Sprintf("%s：%s，%g分", x.RoundName, x.Band, x.Total)
		default:
			p.Basis = fmt.Sprintf("%s：未达星级，%g分", x.RoundName, x.Total)
		}
		out = append(out, p)
		return nil
	})
	return out, err
}

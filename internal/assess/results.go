package assess

import (
	"context"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Ranked is one organization of a round's ranking, with the scores that place it (never a
// grade derived from the rank).
type Ranked struct {
	Rank        int      `json:"rank"`
	OrgID       int64    `json:"org_id"`
	OrgName     string   `json:"org_name"`
	OrgLabel    string   `json:"org_label"`
	State       string   `json:"state" enum:"pending,returned,submitted,reviewed,awarded"`
	SelfTotal   float64  `json:"self_total"`
	ReviewTotal *float64 `json:"review_total"`
	Total       float64  `json:"total"`
	Stars       int      `json:"stars"`
	Band        string   `json:"band"`
	Vetoed      []string `json:"vetoed"`
}

// Ranking is a page of a round's ranking.
type Ranking struct {
	Items []Ranked `json:"items"`
	Total int      `json:"total"`
}

// Ranking reads a page of the ranking: one range of the index (round, total DESC, org).
// Organizations with equal totals share a rank.
func (s *Store) Ranking(ctx context.Context, sc *auth.Scope, roundID int64, p httpx.Page) (*Ranking, error) {
	if _, _, err := s.roundFor(ctx, s.DB, sc, roundID); err != nil {
		return nil, err
	}
	out := &Ranking{Items: []Ranked{}}
	if err := s.DB.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM assess_round_counts WHERE round_id = ?`, roundID).Scan(&out.Total); err != nil {
		return nil, err
	}
	// The page's organizations from the index alone (a deep page skips index entries, not
	// joined rows), then their rows by primary key: two plans no planner can get wrong.
	ids, err := db.All(ctx, s.DB, `SELECT org_id FROM assess_orgs WHERE round_id = ? ORDER BY total DESC, org_id LIMIT ? OFFSET ?`,
		[]any{roundID, p.Size, p.Offset()}, scanID)
	if err != nil || len(ids) == 0 {
		return out, err
	}
	args := []any{roundID}
	for _, id := range ids {
		args = append(args, id)
	}
	err = db.Each(ctx, s.DB, `SELECT a.org_id, o.name, COALESCE(po.name, ''), a.state, a.self_total, a.review_total, a.total, a.stars, a.band, a.vetoed
		FROM assess_orgs a JOIN orgs o ON o.id = a.org_id LEFT JOIN orgs po ON po.id = o.parent_id
		WHERE a.round_id = ? AND a.org_id IN (`+db.Placeholders(len(ids))+`) ORDER BY a.total DESC, a.org_id`, args, func(r db.Scanner) error {
		var it Ranked
		var parent, vetoed string
		if err := r.Scan(&it.OrgID, &it.OrgName, &parent, &it.State, &it.SelfTotal, &it.ReviewTotal, &it.Total, &it.Stars, &it.Band, &vetoed); err != nil {
			return err
		}
		it.OrgLabel = it.OrgName
		if parent != "" {
			it.OrgLabel = parent + " › " + it.OrgName
		}
		it.Vetoed = splitList(vetoed)
		out.Items = append(out.Items, it)
		return nil
	})
	if err != nil || len(out.Items) == 0 {
		return out, err
	}
	// Equal totals share a rank: the first row's rank is one count (an index range), the
	// rest follow on the page.
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM assess_orgs WHERE round_id = ? AND total > ?`, roundID, out.Items[0].Total).Scan(&out.Items[0].Rank); err != nil {
		return nil, err
	}
	out.Items[0].Rank++
	for i := 1; i < len(out.Items); i++ {
		out.Items[i].Rank = p.Offset() + i + 1
		if out.Items[i].Total == out.Items[i-1].Total {
			out.Items[i].Rank = out.Items[i-1].Rank
		}
	}
	return out, nil
}

// Distribution is how a round's current results fall into the set's bands, with the share
// warnings (a band over its share is flagged, nobody is moved).
type Distribution struct {
	Bands    []BandCount `json:"bands"`
	None     int         `json:"none"` // below every band (vetoed included)
	Total    int         `json:"total"`
	Warnings []string    `json:"warnings"`
}

// BandCount is one band's count.
type BandCount struct {
	Stars int     `json:"stars"`
	Name  string  `json:"name"`
	Min   float64 `json:"min"`
	N     int     `json:"n"`
	Share string  `json:"share,omitempty"`
	Over  bool    `json:"over"`
}

func init() {
	i18n.Register(map[string][2]string{
		"assess.share_over": {"“%s”及以上 %d 个，占 %.1f%%，超过建议比例 %s（仅提示，不调整任何结果）", "%s and above: %d, %.1f%%, over the suggested share %s (a warning; no result is changed)"},
	})
}

// Distribution counts a round's organizations by stars (index assess_orgs_stars).
func (s *Store) Distribution(ctx context.Context, sc *auth.Scope, roundID int64) (*Distribution, error) {
	_, set, err := s.roundFor(ctx, s.DB, sc, roundID)
	if err != nil {
		return nil, err
	}
	byStars := map[int]int{}
	d := &Distribution{Bands: []BandCount{}, Warnings: []string{}}
	if err := db.Each(ctx, s.DB, `SELECT stars, COUNT(*) FROM assess_orgs WHERE round_id = ? GROUP BY stars`, []any{roundID}, func(r db.Scanner) error {
		var st, n int
		err := r.Scan(&st, &n)
		byStars[st] = n
		d.Total += n
		return err
	}); err != nil {
		return nil, err
	}
	d.None = byStars[0]
	lang := httpx.Lang(ctx)
	for _, b := range set.Bands {
		bc := BandCount{Stars: b.Stars, Name: b.Name, Min: b.Min, N: byStars[b.Stars], Share: b.Share}
		if share, ok := shareOf(b.Share); ok && b.Share != "" && d.Total > 0 {
			atLeast := 0
			for st, n := range byStars {
				if st >= b.Stars {
					atLeast += n
				}
			}
			if got := float64(atLeast) / float64(d.Total); got > share {
				bc.Over = true
				d.Warnings = append(d.Warnings, i18n.T(lang, "assess.share_over", b.Name, atLeast, got*100, b.Share))
			}
		}
		d.Bands = append(d.Bands, bc)
	}
	return d, nil
}

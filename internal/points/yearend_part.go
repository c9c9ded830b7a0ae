package points

import (
	"context"
	"strconv"
	"strings"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// The year end's rollup dimensions (org_stats), counted at the rating's or appeal's
// organization and so up its ancestors.
const (
	DimAppeals = "pts:ye_appeals" // appeals waiting for the level above (key "open")
	DimRated   = "pts:ye_rated"   // confirmed ratings whose stars count (key "<year>:<stars>")
)

// YearEndPart is the year end's share of the subtree rollups: open appeals and the confirmed
// stars per year (withdrawn stars do not count), so a street or district reads its subtree's
// distribution in one row set.
func YearEndPart() tree.Part {
	return tree.Part{Name: "points_yearend", Dims: []string{DimAppeals, DimRated}, Recount: recountYearEnd}
}

func ratedKey(year, stars int) string { return strconv.Itoa(year) + ":" + strconv.Itoa(stars) }

func recountYearEnd(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	err := db.Each(ctx, tx, `SELECT o.path, COUNT(*) FROM points_appeals a JOIN orgs o ON o.id = a.org_id WHERE a.state = ? GROUP BY o.path`,
		[]any{AppealOpen}, func(row db.Scanner) error {
			var path string
			var n int
			err := row.Scan(&path, &n)
			r.Add(path, DimAppeals, AppealOpen, n)
			return err
		})
	if err != nil {
		return err
	}
	return db.Each(ctx, tx, `SELECT o.path, v.year, v.stars, COUNT(*) FROM points_reviews v JOIN orgs o ON o.id = v.org_id
		WHERE v.state = ? AND v.withdrawn_at IS NULL GROUP BY o.path, v.year, v.stars`, []any{RatingConfirmed}, func(row db.Scanner) error {
		var path string
		var year, stars, n int
		err := row.Scan(&path, &year, &stars, &n)
		r.Add(path, DimRated, ratedKey(year, stars), n)
		return err
	})
}

// orgPath reads an organization's path (the rollups count along it).
func orgPath(ctx context.Context, q db.Querier, orgID int64) (string, error) {
	var path string
	err := q.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ?`, orgID).Scan(&path)
	return path, err
}

// flushAt adds n to one dimension key along the organization's path, in tx.
func flushAt(ctx context.Context, tx *db.Tx, orgID int64, dim, key string, n int) error {
	path, err := orgPath(ctx, tx, orgID)
	if err != nil {
		return err
	}
	r := tree.Rollup{}
	r.Add(path, dim, key, n)
	return r.Flush(ctx, tx)
}

// YearEndSummary is a subtree's year-end figures: one read of its rollup rows.
type YearEndSummary struct {
	OrgID       int64       `json:"org_id"`
	Year        int         `json:"year"`
	OpenAppeals int         `json:"open_appeals"` // all years
	Rated       int         `json:"rated"`        // confirmed ratings of the year whose stars count
	Stars       []StarCount `json:"stars"`        // by level, highest first (0: confirmed without stars)
}

// StarCount is how many confirmed ratings give a level.
type StarCount struct {
	Stars int `json:"stars"`
	N     int `json:"n"`
}

// YearEndSummaryOf reads an organization's subtree figures (read scope).
func (s *Store) YearEndSummaryOf(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*YearEndSummary, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	out := &YearEndSummary{OrgID: orgID, Year: year, Stars: []StarCount{}}
	prefix := strconv.Itoa(year) + ":"
	err := db.Each(ctx, s.DB, `SELECT dim, key, n FROM org_stats WHERE org_id = ? AND dim IN (?, ?) AND n <> 0 ORDER BY key DESC`,
		[]any{orgID, DimAppeals, DimRated}, func(r db.Scanner) error {
			var dim, key string
			var n int
			if err := r.Scan(&dim, &key, &n); err != nil {
				return err
			}
			if dim == DimAppeals {
				out.OpenAppeals = n
			} else if stars, ok := strings.CutPrefix(key, prefix); ok {
				v, _ := strconv.Atoi(stars)
				out.Stars = append(out.Stars, StarCount{Stars: v, N: n})
				out.Rated += n
			}
			return nil
		})
	return out, err
}

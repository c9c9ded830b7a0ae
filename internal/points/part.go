package points

import (
	"context"
	"strconv"

	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// Part is the points domain's share of the subtree rollups: claims pending, live entries and
// applied points per year (org_stats), the member-year totals (points_totals, rebuilt here
// too) and the claims' branch paths.
func Part() tree.Part {
	return tree.Part{Name: "points", Dims: []string{DimPending, DimEntries, DimPoints, DimBand}, Recount: recount, Moved: rebandMoved,
		Paths: []tree.PathColumn{{Table: "points_claims", Column: "org_path"}}}
}

// A reversal counts −1 entry: it takes back the entry it names.
const live = `SUM(CASE WHEN reverses_id IS NULL THEN 1 ELSE -1 END)`

// RebuildTotals rebuilds points_totals from the ledger (the recount's, and a bulk load's
// after it wrote entries with db.Tx.Copy).
func RebuildTotals(ctx context.Context, tx *db.Tx) error {
	if _, err := tx.Exec(ctx, `DELETE FROM points_totals`); err != nil {
		return err
	}
	for _, b := range [][2]string{{`''`, ``}, {`'cat:' || category`, `, category`}, {`'item:' || item_code`, `, item_code`}} {
		if _, err := tx.Exec(ctx, `INSERT INTO points_totals (member_id, year, bucket, points, times)
			SELECT member_id, year, `+b[0]+`, SUM(applied), `+live+` FROM points_entries GROUP BY member_id, year`+b[1]); err != nil {
			return err
		}
	}
	return nil
}

// recount rebuilds the member-year totals and counts the part's figures into r, from the
// ledger and the claims.
func recount(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	if err := RebuildTotals(ctx, tx); err != nil {
		return err
	}
	if err := recountBands(ctx, tx, r); err != nil {
		return err
	}
	if err := db.Each(ctx, tx, `SELECT o.path, e.year, `+live+`, SUM(e.applied) FROM points_entries e JOIN orgs o ON o.id = e.org_id
		GROUP BY o.path, e.year`, nil, func(row db.Scanner) error {
		var path string
		var year, n, pts int
		if err := row.Scan(&path, &year, &n, &pts); err != nil {
			return err
		}
		r.Add(path, DimEntries, strconv.Itoa(year), n)
		r.Add(path, DimPoints, strconv.Itoa(year), pts)
		return nil
	}); err != nil {
		return err
	}
	return db.Each(ctx, tx, `SELECT org_path, COUNT(*) FROM points_claims WHERE state = ? GROUP BY org_path`, []any{Pending}, func(row db.Scanner) error {
		var path string
		var n int
		err := row.Scan(&path, &n)
		r.Add(path, DimPending, "all", n)
		return err
	})
}

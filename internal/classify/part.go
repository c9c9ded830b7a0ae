package classify

import (
	"context"
	"strconv"

	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// Part is the classification's share of the subtree rollups: branches per class and year
// (live decisions) and the open conversion plans; and the branches' paths it keeps.
func Part() tree.Part {
	return tree.Part{Name: "classify", Dims: []string{DimPlansOpen}, DimPrefixes: []string{dimClassPrefix}, Recount: recount,
		Paths: []tree.PathColumn{{Table: "classify_decisions", Column: "branch_path"}, {Table: "classify_plans", Column: "branch_path"}}}
}

func recount(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	if err := db.Each(ctx, tx, `SELECT branch_path, year, class, COUNT(*) FROM classify_decisions WHERE live = 1 GROUP BY branch_path, year, class`, nil, func(row db.Scanner) error {
		var path, class string
		var year, n int
		err := row.Scan(&path, &year, &class, &n)
		r.Add(path, dimClassPrefix+strconv.Itoa(year), class, n)
		return err
	}); err != nil {
		return err
	}
	return db.Each(ctx, tx, `SELECT branch_path, COUNT(*) FROM classify_plans WHERE state = ? GROUP BY branch_path`, []any{PlanOpen}, func(row db.Scanner) error {
		var path string
		var n int
		err := row.Scan(&path, &n)
		r.Add(path, DimPlansOpen, "all", n)
		return err
	})
}

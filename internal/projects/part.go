package projects

import (
	"context"
	"strconv"

	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// DimState is the projects' share of the subtree rollups (org_stats): per organization, the
// projects in its subtree (itself included) by year and state, key "<year>:<state>". Every
// write that changes a state moves one count, so the level above's counts are one read.
const DimState = "pj:state"

// Part is the projects domain's share of the subtree rollups and its path columns.
func Part() tree.Part {
	return tree.Part{Name: "projects", Dims: []string{DimState}, Recount: recount,
		Paths: []tree.PathColumn{{Table: "projects", Column: "org_path"}}}
}

func stateKey(year int, state string) string { return strconv.Itoa(year) + ":" + state }

// count adds n projects of year in state at path and its ancestors.
func count(r tree.Rollup, path string, year int, state string, n int) {
	r.Add(path, DimState, stateKey(year, state), n)
}

// recount counts every project into r.
func recount(ctx context.Context, tx *db.Tx, r tree.Rollup) error {
	return db.Each(ctx, tx, `SELECT org_path, year, state, COUNT(*) FROM projects GROUP BY org_path, year, state`, nil,
		func(row db.Scanner) error {
			var path, state string
			var year, n int
			if err := row.Scan(&path, &year, &state, &n); err != nil {
				return err
			}
			count(r, path, year, state, n)
			return nil
		})
}

// ProjectCounts are the projects of a subtree in a year by state, and their total.
type ProjectCounts struct {
	Total   int            `json:"total"`
	ByState map[string]int `json:"by_state"`
}

// countsOf reads org's counts for year from the rollups: one indexed range read.
func countsOf(ctx context.Context, q db.Querier, org int64, year int) (*ProjectCounts, error) {
	c := &ProjectCounts{ByState: map[string]int{}}
	for _, s := range ProjectStates {
		c.ByState[s] = 0
	}
	y := strconv.Itoa(year)
	err := db.Each(ctx, q, `SELECT key, n FROM org_stats WHERE org_id = ? AND dim = ? AND key >= ? AND key < ?`,
		[]any{org, DimState, y + ":", y + ";"}, func(row db.Scanner) error {
			var key string
			var n int
			if err := row.Scan(&key, &n); err != nil {
				return err
			}
			c.ByState[key[len(y)+1:]] += n
			c.Total += n
			return nil
		})
	return c, err
}

// Package tree keeps the subtree rollups: counts per organization and dimension (table
// org_stats) that every ancestor of a change receives, so a subtree's figures are one read
// whatever its size. Each domain declares the dimensions it owns, how to rebuild them from its
// raw rows, and which of its tables carry an organization path, as a Part of a Registry.
package tree

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"dangjian/internal/platform/db"
)

// PathIDs returns the ids on a materialized path, root first.
func PathIDs(path string) []int64 {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	ids := make([]int64, 0, len(parts))
	for _, p := range parts {
		if id, err := strconv.ParseInt(p, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

type rollupKey struct {
	org      int64
	dim, key string
}

// Rollup collects changes to subtree counts and writes them in one go: a write adds its
// deltas along the ancestor chain, a bulk load adds thousands and flushes once.
type Rollup map[rollupKey]int

// Add counts n for (dim, key) at every organization on path, the last one included.
func (r Rollup) Add(path, dim, key string, n int) {
	if n == 0 {
		return
	}
	for _, id := range PathIDs(path) {
		r[rollupKey{id, dim, key}] += n
	}
}

// AddAt counts n for (dim, key) at the given organizations only.
func (r Rollup) AddAt(ids []int64, dim, key string, n int) {
	for _, id := range ids {
		r[rollupKey{id, dim, key}] += n
	}
}

// Flush writes the collected deltas as upserts and empties r.
func (r Rollup) Flush(ctx context.Context, q db.Querier) error {
	if err := r.flushKeys(ctx, q, r.sortedKeys()); err != nil {
		return err
	}
	clear(r)
	return nil
}

// sortedKeys are r's non-zero keys in a fixed order, which keeps concurrent writers from
// deadlocking on PostgreSQL.
func (r Rollup) sortedKeys() []rollupKey {
	keys := make([]rollupKey, 0, len(r))
	for k, n := range r {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.org != b.org {
			return a.org < b.org
		}
		if a.dim != b.dim {
			return a.dim < b.dim
		}
		return a.key < b.key
	})
	return keys
}

// flushKeys adds r's deltas of keys to org_stats: an upsert adding to the row as it stands,
// so deltas written by others in between are kept.
func (r Rollup) flushKeys(ctx context.Context, q db.Querier, keys []rollupKey) error {
	const chunk = 200
	for start := 0; start < len(keys); start += chunk {
		end := min(start+chunk, len(keys))
		var sb strings.Builder
		sb.WriteString("INSERT INTO org_stats (org_id, dim, key, n) VALUES ")
		args := make([]any, 0, (end-start)*4)
		for i, k := range keys[start:end] {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(?, ?, ?, ?)")
			args = append(args, k.org, k.dim, k.key, r[k])
		}
		sb.WriteString(" ON CONFLICT (org_id, dim, key) DO UPDATE SET n = org_stats.n + excluded.n")
		if _, err := q.Exec(ctx, sb.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// MoveCounts takes the rollup of the subtree of organization id off the ancestors on fromPath
// and adds it to those on toPath (a move; the paths of the old and the new parent): the
// subtree's own rows are exactly what its ancestors counted for it, whatever part owns them.
func MoveCounts(ctx context.Context, q db.Querier, id int64, fromPath, toPath string) error {
	rows, err := q.Query(ctx, `SELECT dim, key, n FROM org_stats WHERE org_id = ? AND n <> 0`, id)
	if err != nil {
		return err
	}
	r := Rollup{}
	oldAnc, newAnc := PathIDs(fromPath), PathIDs(toPath)
	for rows.Next() {
		var dim, key string
		var n int
		if err := rows.Scan(&dim, &key, &n); err != nil {
			rows.Close()
			return err
		}
		r.AddAt(oldAnc, dim, key, -n)
		r.AddAt(newAnc, dim, key, n)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return r.Flush(ctx, q)
}

package org

import (
	"context"
	"time"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// ListSubtreeSince is ListSubtree with the organizations of the subtree dissolved at or after
// since: a report keeps the periods they owed before (history is kept, not recomputed). With
// countLimit > 0 the total stops past it (capped tells), so a costly cond is checked for a
// bounded number of organizations however large the subtree.
func (s *Store) ListSubtreeSince(ctx context.Context, sc *auth.Scope, root *Org, kinds []string, since time.Time, cond string, condArgs []any, p httpx.Page, countLimit int) (list []*Org, total int, capped bool, err error) {
	lo, hi := db.SubtreeRange(root.Path)
	where := "(o.dissolved_at IS NULL OR o.dissolved_at >= ?) AND o.path >= ? AND o.path < ?"
	args := []any{since.UTC(), lo, hi}
	if len(kinds) > 0 {
		where += " AND o.kind IN (" + db.Placeholders(len(kinds)) + ")"
		for _, k := range kinds {
			args = append(args, k)
		}
	}
	if cond != "" {
		where += " AND " + cond
		args = append(args, condArgs...)
	}
	if total, capped, err = s.count(ctx, where, args, countLimit); err != nil {
		return nil, 0, false, err
	}
	list, err = s.page(ctx, sc, where, args, "o.path", p)
	return list, total, capped, err
}

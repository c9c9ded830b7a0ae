package demo

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/points"
)

// showcasePoints publishes the example points scheme at the district for the demo's year and
// lets the showcase branch's records of the year yield their points, so the zhibu and dangyuan
// accounts see 我的积分 with entries. The rest of the district starts from the base score: its
// points arise as records are saved from now on (a bulk load does not reconcile every record).
func showcasePoints(ctx context.Context, d *db.DB, p *planner, now time.Time) error {
	var root, branch *node
	for _, x := range p.nodes {
		switch {
		case x.depth == 0:
			root = x
		case x.showcase && x.kind.HoldsMembers():
			branch = x
		}
	}
	if root == nil || branch == nil {
		return fmt.Errorf("points: no district or showcase branch was planned")
	}
	year := now.In(clock.CST).Year()
	text := points.ExampleText()
	text = bytes.Replace(text, []byte("\nyear: 2026\n"), fmt.Appendf(nil, "\nyear: %d\n", year), 1)
	text = bytes.Replace(text, []byte("\neffective_from: 2026-01-01\n"), fmt.Appendf(nil, "\neffective_from: %d-01-01\n", year), 1)
	ps := &points.Store{DB: d, Clock: clock.NewFake(now)}
	if _, err := ps.Publish(ctx, auth.System(), root.id, text); err != nil {
		return fmt.Errorf("points scheme: %w", err)
	}
	from := time.Date(year, 1, 1, 0, 0, 0, 0, clock.CST).UTC()
	ids, err := db.All(ctx, d, `SELECT a.id FROM activities a JOIN orgs o ON o.id = a.org_id
		WHERE (o.id = ? OR o.parent_id = ?) AND a.starts_at >= ? ORDER BY a.id`, []any{branch.id, branch.id, from},
		func(r db.Scanner) (id int64, err error) { err = r.Scan(&id); return })
	if err != nil {
		return err
	}
	return d.InTx(ctx, func(tx *db.Tx) error {
		for _, id := range ids {
			if err := ps.Reconcile(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

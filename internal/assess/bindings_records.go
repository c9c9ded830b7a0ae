package assess

// Bindings to the records of other modules (issue 15: no entering twice): tasks completed
// (internal/tasks' maintained completion), rectification items closed (internal/rectify's
// items) and commitments kept (internal/commitment's rollup). None of those packages imports
// assess, so they are registered here; each computes a whole round at once.

import (
	"context"
	"fmt"
	"strconv"

	"dangjian/internal/commitment"
	"dangjian/internal/platform/db"
	"dangjian/internal/rectify"
	"dangjian/internal/tasks"
)

func init() {
	Register(Binding{Code: "tasks.completion_rate", Name: "年度任务完成率", NameEN: "Share of the year's tasks completed", Unit: "rate", Compute: tasksCompletion})
	Register(Binding{Code: "rectify.closed_share", Name: "年度整改事项销号比例", NameEN: "Share of the year's rectification items closed", Unit: "share", Compute: rectifyClosedShare})
	Register(Binding{Code: "commitments.kept_share", Name: "党员承诺践诺比例", NameEN: "Share of the year's commitments kept", Unit: "share", Compute: commitmentsKept})
}

// tasksCompletion: done ÷ total of the tasks falling due in the year across each
// organization's subtree (tasks.CompletionOf: the maintained rollup, one read per
// organization). No task: 1 (nothing owed), as for organizational life.
func tasksCompletion(ctx context.Context, q db.Querier, in BindIn) (map[int64]Bound, error) {
	ids, err := db.All(ctx, q, `SELECT org_id FROM assess_orgs WHERE round_id = ?`, []any{in.RoundID}, scanID)
	if err != nil {
		return nil, err
	}
	figs, err := tasks.CompletionOf(ctx, q, ids, in.Year, in.AsOf)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Bound, len(ids))
	for _, id := range ids {
		f := figs[id]
		b := Bound{Value: 1, Detail: fmt.Sprintf("年度任务 %d 项，已完成 %d 项，待审核 %d 项，未完成 %d 项（逾期 %d 项）", f.Total, f.Done, f.Submitted, f.Open, f.Overdue),
			Link: fmt.Sprintf("/tasks?org=%d&year=%d", id, in.Year)}
		if f.Total > 0 {
			b.Value = round4(f.Rate)
		}
		out[id] = b
	}
	return out, nil
}

// rectifyClosedShare: of the rectification items of each organization's subtree due in the
// year by AsOf, the share closed — one query for the round (the subtree as a path range, as
// pointsAvgEarned). No item due: 1.
func rectifyClosedShare(ctx context.Context, q db.Querier, in BindIn) (map[int64]Bound, error) {
	out := map[int64]Bound{}
	err := db.Each(ctx, q, `SELECT a.org_id, COUNT(i.id), COALESCE(SUM(CASE WHEN i.state = ? THEN 1 ELSE 0 END), 0) FROM assess_orgs a JOIN orgs o ON o.id = a.org_id
		LEFT JOIN rectify_items i ON i.org_path >= o.path AND i.org_path < substr(o.path, 1, length(o.path) - 1) || '0' AND i.due_date >= ? AND i.due_date <= ?
		WHERE a.round_id = ? GROUP BY a.org_id`, []any{rectify.Closed, strconv.Itoa(in.Year) + "-01-01", in.AsOf, in.RoundID}, func(r db.Scanner) error {
		var id int64
		var due, closed int
		if err := r.Scan(&id, &due, &closed); err != nil {
			return err
		}
		b := Bound{Value: 1, Detail: fmt.Sprintf("年内到期整改事项 %d 项，已销号 %d 项（截至 %s）", due, closed, in.AsOf), Link: fmt.Sprintf("/rectify?org=%d", id)}
		if due > 0 {
			b.Value = round4(float64(closed) / float64(due))
		}
		out[id] = b
		return nil
	})
	return out, err
}

// commitmentsKept: kept ÷ made of the year's confirmed commitments of each organization's
// subtree, from the commitment rollup (org_stats cmt:made / cmt:kept), one query for the
// round. Commitments still running count as made and not (yet) kept. None made: 1.
func commitmentsKept(ctx context.Context, q db.Querier, in BindIn) (map[int64]Bound, error) {
	sums := map[int64][2]int{}
	if err := db.Each(ctx, q, `SELECT s.org_id, s.dim, s.n FROM org_stats s JOIN assess_orgs a ON a.org_id = s.org_id
		WHERE a.round_id = ? AND s.dim IN (?, ?) AND s.key = ?`, []any{in.RoundID, commitment.DimMade, commitment.DimKept, strconv.Itoa(in.Year)}, func(r db.Scanner) error {
		var id int64
		var dim string
		var n int
		if err := r.Scan(&id, &dim, &n); err != nil {
			return err
		}
		c := sums[id]
		if dim == commitment.DimKept {
			c[1] = n
		} else {
			c[0] = n
		}
		sums[id] = c
		return nil
	}); err != nil {
		return nil, err
	}
	ids, err := db.All(ctx, q, `SELECT org_id FROM assess_orgs WHERE round_id = ?`, []any{in.RoundID}, scanID)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Bound, len(ids))
	for _, id := range ids {
		c := sums[id]
		b := Bound{Value: 1, Detail: fmt.Sprintf("年度承诺 %d 项，已践诺 %d 项", c[0], c[1]), Link: fmt.Sprintf("/service/board/%d?year=%d", id, in.Year)}
		if c[0] > 0 {
			b.Value = round4(float64(c[1]) / float64(c[0]))
		}
		out[id] = b
	}
	return out, nil
}

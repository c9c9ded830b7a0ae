package demo

import (
	"context"
	"fmt"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/tasks"
	"dangjian/internal/tree"
)

// demoTaskTitles are the district's year of tasks (一级抓一级): each goes to every branch.
var demoTaskTitles = []string{
	"制定年度党建工作计划", "开展主题党日活动", "召开专题组织生活会", "开展民主评议党员", "落实“三会一课”制度",
	"规范发展党员工作", "党费收缴与使用公开", "党员教育培训全覆盖", "软弱涣散党组织整顿", "党建引领基层治理项目",
	"党员志愿服务活动", "在职党员回社区报到", "流动党员排查管理", "困难党员走访慰问", "党务公开",
	"书记讲党课", "支部标准化规范化建设", "党员积分管理", "离退休党员学习活动", "年度党建工作总结",
}

// insertTasks loads the district's year of tasks: about one due a fortnight across the year,
// each assigned to every branch; past ones mostly verified, some submitted, some overdue.
func insertTasks(ctx context.Context, tx *db.Tx, g *gen, p *planner, now time.Time) (int, error) {
	var root *node
	var to []tasks.Assignee
	for _, x := range p.nodes {
		if x.depth == 0 {
			root = x
		}
		if x.kind.HoldsMembers() {
			to = append(to, tasks.Assignee{ID: x.id, Path: x.path})
		}
	}
	if root == nil {
		return 0, fmt.Errorf("tasks: no district was planned")
	}
	year := now.In(clock.CST).Year()
	ts := make([]tasks.BulkTask, len(demoTaskTitles))
	for i, title := range demoTaskTitles {
		due := time.Date(year, 1, 15, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 18*i)
		ts[i] = tasks.BulkTask{Title: title, Description: title + "：按区委要求落实，年底前报送佐证材料。", DueDate: due.Format(time.DateOnly), Weight: 5}
	}
	today := clock.Today(now)
	r := tree.Rollup{}
	n, err := tasks.Bulk(ctx, tx, tasks.Assignee{ID: root.id, Path: root.path}, ts, to, func(_, _ int, due string) string {
		x := g.r.IntN(100)
		switch {
		case due < today && x < 75, due >= today && x < 15:
			return tasks.Verified
		case x < 85 && due < today, x < 25:
			return tasks.Submitted
		case x < 40:
			return tasks.InProgress
		}
		return tasks.Issued
	}, now, r)
	if err != nil {
		return 0, err
	}
	return n, r.Flush(ctx, tx)
}

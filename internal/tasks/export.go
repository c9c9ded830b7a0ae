package tasks

import (
	"context"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
)

// Export writes the workbook of a task at organization orgID: 汇总 (the organization and each
// child with assignments below it: total, done, submitted, open, overdue, rate — the same
// figures as the drill-down) and 明细 (every assignment of the subtree, in tree order).
func (s *Store) Export(ctx context.Context, sc *auth.Scope, taskID, orgID int64, w io.Writer) error {
	t, o, err := s.visible(ctx, sc, taskID, orgID)
	if err != nil {
		return err
	}
	wb := excelize.NewFile()
	defer wb.Close()
	today := s.today()
	k := taskKeys(taskID, today)
	if err := wb.SetSheetName("Sheet1", "汇总"); err != nil {
		return err
	}
	sum, err := wb.NewStreamWriter("汇总")
	if err != nil {
		return err
	}
	_ = sum.SetColWidth(1, 1, 36)
	rowAt := func(sw *excelize.StreamWriter, n int, cells ...any) error {
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells)
	}
	if err := rowAt(sum, 1, t.Title+"（"+t.OrgName+"下达，统计截至 "+today+"）"); err != nil {
		return err
	}
	if err := rowAt(sum, 2, "组织", "任务数", "已完成", "待验收", "未报送", "逾期", "完成率"); err != nil {
		return err
	}
	line := func(name string, f TaskFigures) []any {
		return []any{name, f.Total, f.Done, f.Submitted, f.Open, f.Overdue, fmt.Sprintf("%.1f%%", f.Rate*100)}
	}
	own, err := read(ctx, s.DB, o.ID, k)
	if err != nil {
		return err
	}
	if err := rowAt(sum, 3, line(o.Name+"（合计）", *own)...); err != nil {
		return err
	}
	q, args := childFiguresSQL(k)
	n := 4
	if err := db.Each(ctx, s.DB, q+` ORDER BY o.sort_order, o.id`, append(args, o.ID), func(r db.Scanner) error {
		var c TaskOrgFigures
		if err := r.Scan(&c.OrgID, &c.OrgName, &c.Kind, &c.Figures.Total, &c.Figures.Done, &c.Figures.Open, &c.Figures.Overdue); err != nil {
			return err
		}
		c.Figures.finish()
		n++
		return rowAt(sum, n-1, line(c.OrgName, c.Figures)...)
	}); err != nil {
		return err
	}
	if err := sum.Flush(); err != nil {
		return err
	}
	if _, err := wb.NewSheet("明细"); err != nil {
		return err
	}
	det, err := wb.NewStreamWriter("明细")
	if err != nil {
		return err
	}
	_ = det.SetColWidth(1, 1, 36)
	if err := rowAt(det, 1, "组织", "周期", "完成时限", "状态", "逾期", "完成情况说明", "退回原因"); err != nil {
		return err
	}
	lo, hi := db.SubtreeRange(o.Path)
	n = 2
	err = db.Each(ctx, s.DB, `SELECT o.name, a.period, a.due_date, a.state, a.note, a.reason FROM task_assignments a JOIN orgs o ON o.id = a.org_id
		WHERE a.task_id = ? AND a.org_path >= ? AND a.org_path < ? ORDER BY a.org_path, a.period`, []any{taskID, lo, hi}, func(r db.Scanner) error {
		var name, period, due, state, note, reason string
		if err := r.Scan(&name, &period, &due, &state, &note, &reason); err != nil {
			return err
		}
		overdue := ""
		if classOf(state) == outstanding && due < today {
			overdue = "是"
		}
		if n >= excelize.TotalRows {
			return fmt.Errorf("export: more than %d rows", excelize.TotalRows-1)
		}
		n++
		return rowAt(det, n-1, name, period, due, i18n.T(i18n.ZH, "task.state."+state), overdue, note, reason)
	})
	if err != nil {
		return err
	}
	if err := det.Flush(); err != nil {
		return err
	}
	_, err = wb.WriteTo(w)
	return err
}

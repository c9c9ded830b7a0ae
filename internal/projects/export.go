package projects

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
)

// Export writes the workbook of organization orgID's subtree's projects of a year, in tree
// order: the organization, the project, its state, the milestones done of all and overdue
// today (CST), the mid-year comment and the year-end grade — the figures of the overview.
func (s *Store) Export(ctx context.Context, sc *auth.Scope, orgID int64, year int, w io.Writer) error {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return err
	}
	today := s.today()
	wb := excelize.NewFile()
	defer wb.Close()
	if err := wb.SetSheetName("Sheet1", "重点突破项目"); err != nil {
		return err
	}
	sw, err := wb.NewStreamWriter("重点突破项目")
	if err != nil {
		return err
	}
	_ = sw.SetColWidth(1, 2, 30)
	n := 0
	row := func(cells ...any) error {
		if n+1 >= excelize.TotalRows {
			return fmt.Errorf("export: more than %d rows", excelize.TotalRows-1)
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n)
		return sw.SetRow(cell, cells)
	}
	if err := row(o.Name + " " + strconv.Itoa(year) + " 年书记抓党建重点突破项目（统计截至 " + today + "）"); err != nil {
		return err
	}
	if err := row("组织", "项目名称", "责任人", "状态", "节点完成", "节点总数", "逾期节点", "年中查账意见", "评价等次", "评价意见"); err != nil {
		return err
	}
	lo, hi := db.SubtreeRange(o.Path)
	err = db.Each(ctx, s.DB, `SELECT o.name, p.title, p.responsible, p.state, p.mid_comment, p.grade, p.eval_comment,
		(SELECT COUNT(*) FROM project_milestones m WHERE m.project_id = p.id AND m.done_date <> ''),
		(SELECT COUNT(*) FROM project_milestones m WHERE m.project_id = p.id),
		(SELECT COUNT(*) FROM project_milestones m WHERE m.project_id = p.id AND m.done_date = '' AND m.due_date < ?)
		FROM projects p JOIN orgs o ON o.id = p.org_id WHERE p.year = ? AND p.org_path >= ? AND p.org_path < ?
		ORDER BY p.org_path, p.id`, []any{today, year, lo, hi}, func(r db.Scanner) error {
		var name, title, resp, state, mid, grade, eval string
		var done, total, overdue int
		if err := r.Scan(&name, &title, &resp, &state, &mid, &grade, &eval, &done, &total, &overdue); err != nil {
			return err
		}
		if state != Approved {
			overdue = 0 // as on the page: overdue counts for approved projects only
		}
		if g := s.Grades.find(grade); g != nil {
			grade = g.Name
		}
		return row(name, title, resp, i18n.T(i18n.ZH, "pj.state."+state), done, total, overdue, mid, grade, eval)
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = wb.WriteTo(w)
	return err
}

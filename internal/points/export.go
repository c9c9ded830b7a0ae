package points

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// exportHeader is the header row of a subtree's member totals.
var exportHeader = []string{"姓名", "所在党组织", "年度", "加减分合计", "条目数", "一票否决", "年度积分", "拟评星级"}

// Totals is a subtree's member totals as a workbook ready to be written.
type Totals struct {
	file  *excelize.File
	Count int
}

// WriteTo writes the workbook.
func (t *Totals) WriteTo(w io.Writer) (int64, error) { return t.file.WriteTo(w) }

// Close releases the workbook's temporary files.
func (t *Totals) Close() error { return t.file.Close() }

// Export builds the workbook of an organization's current members with their year's totals
// and proposed stars (read scope), streamed from the database row by row into excelize's
// stream writer (which spills to a temporary file). No ID or phone number is in it. Every
// export is audited like the roster's.
func (s *Store) Export(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*Totals, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read)
	if err != nil {
		return nil, err
	}
	wb := excelize.NewFile()
	ok := false
	defer func() {
		if !ok {
			wb.Close()
		}
	}()
	const sheet = "党员积分"
	if err := wb.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := wb.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	head, _ := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FCE4D6"}}})
	for i, w := range []float64{12, 30, 8, 12, 8, 10, 10, 10} {
		_ = sw.SetColWidth(i+1, i+1, w)
	}
	_ = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	row := make([]any, len(exportHeader))
	for i, h := range exportHeader {
		row[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return nil, err
	}
	t := &Totals{file: wb}
	err = s.eachMemberTotal(ctx, o.Path, year, "", func(m MemberTotal) error {
		t.Count++
		if t.Count >= excelize.TotalRows {
			return fmt.Errorf("points export: more than %d rows", excelize.TotalRows-1)
		}
		veto := ""
		if m.Vetoed {
			veto = "是"
		}
		cell, _ := excelize.CoordinatesToCellName(1, t.Count+1)
		return sw.SetRow(cell, []any{m.Name, m.OrgName, year, m.Earned, m.Entries, veto, m.Total, m.StarName})
	})
	if err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	if err := member.AuditExport(ctx, s.DB, sc, s.Clock.Now(), "points", o.ID, t.Count, 0, "year="+strconv.Itoa(year)); err != nil {
		return nil, err
	}
	ok = true
	return t, nil
}

func attachment(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", "attachment; filename=\"points.xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

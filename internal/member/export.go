package member

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// The sheets of the template.
const (
	dataSheet    = "党员信息"
	notesSheet   = "填写说明"
	choicesSheet = "选项"
	// templateRows is how far down the template's dropdowns reach.
	templateRows = 20000
)

// Template is the import template: the data sheet with the roster's header and dropdowns
// on the enum columns, a 填写说明 sheet explaining each column, and a hidden sheet of the
// allowed values the dropdowns point at. The caller closes it.
func Template() (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", dataSheet); err != nil {
		return nil, err
	}
	head, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FCE4D6"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	reqHead, _ := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "C00000"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FCE4D6"}},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": ID and phone numbers stay text
	if _, err := f.NewSheet(choicesSheet); err != nil {
		return nil, err
	}
	choiceCol := 0
	for i, c := range Columns {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		style := head
		if c.Required {
			style = reqHead
		}
		if err := f.SetCellValue(dataSheet, cell, c.Header); err != nil {
			return nil, err
		}
		_ = f.SetCellStyle(dataSheet, cell, cell, style)
		col, _ := excelize.ColumnNumberToName(i + 1)
		_ = f.SetColWidth(dataSheet, col, col, c.Width)
		switch {
		case c.Kind == colEnum:
			choiceCol++
			cc, _ := excelize.ColumnNumberToName(choiceCol)
			_ = f.SetCellValue(choicesSheet, cc+"1", c.Header)
			for j, code := range c.Enum.Codes {
				_ = f.SetCellValue(choicesSheet, fmt.Sprintf("%s%d", cc, j+2), c.Enum.Label(i18n.ZH, code))
			}
			dv := excelize.NewDataValidation(true)
			dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, templateRows))
			dv.SetSqrefDropList(fmt.Sprintf("%s!$%s$2:$%s$%d", choicesSheet, cc, cc, len(c.Enum.Codes)+1))
			dv.SetError(excelize.DataValidationErrorStyleWarning, c.Header, "请从下拉列表中选择")
			if err := f.AddDataValidation(dataSheet, dv); err != nil {
				return nil, err
			}
		case c.Field == "id_number" || c.Field == "phone" || c.Kind == colDate:
			_ = f.SetColStyle(dataSheet, col, text)
		}
	}
	_ = f.SetPanes(dataSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	if err := f.SetSheetVisible(choicesSheet, false); err != nil {
		return nil, err
	}

	if _, err := f.NewSheet(notesSheet); err != nil {
		return nil, err
	}
	wrap, _ := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	_ = f.SetColWidth(notesSheet, "A", "A", 16)
	_ = f.SetColWidth(notesSheet, "B", "B", 8)
	_ = f.SetColWidth(notesSheet, "C", "C", 60)
	_ = f.SetColWidth(notesSheet, "D", "D", 60)
	_ = f.SetSheetRow(notesSheet, "A1", &[]any{"列名", "必填", "填写要求", "可选值或示例"})
	_ = f.SetCellStyle(notesSheet, "A1", "D1", head)
	for i, c := range Columns {
		req := ""
		if c.Required {
			req = "是"
		}
		names := c.Header
		if len(c.Aliases) > 0 {
			names += "\n（也可写作：" + strings.Join(c.Aliases, "、") + "）"
		}
		_ = f.SetSheetRow(notesSheet, fmt.Sprintf("A%d", i+2), &[]any{names, req, c.Note, columnExample(c)})
	}
	last := len(Columns) + 1
	_ = f.SetCellStyle(notesSheet, "A2", fmt.Sprintf("D%d", last), wrap)
	for i, line := range []string{
		"1. 表头在第1行，数据从第2行开始；列的顺序可以调整，无法识别的列将被忽略。",
		"2. 请先“检查”（试导入），系统逐行列出错误（行号、列名、取值、原因）；全部正确后再正式导入。",
		"3. 正式导入时，只要有一行错误，所有行都不会导入，除非选择“跳过错误行”。",
		"4. 公民身份号码不能与系统中已有党员或文件中其他行重复。",
		"5. 也可上传 CSV 文件（UTF-8 或 Excel 另存的 GB18030 编码），列名与本模板相同。",
	} {
		_ = f.SetCellValue(notesSheet, fmt.Sprintf("A%d", last+2+i), line)
	}
	f.SetActiveSheet(0)
	return f, nil
}

func columnExample(c column) string {
	switch {
	case c.Kind == colEnum:
		labels := make([]string, 0, len(c.Enum.Codes))
		for _, code := range c.Enum.Codes {
			labels = append(labels, c.Enum.Label(i18n.ZH, code))
		}
		return strings.Join(labels, "、")
	case c.Kind == colDate:
		return "1985-07-01"
	}
	return map[string]string{"name": "张三", "id_number": "11010519491231002X", "native_place": "浙江绍兴",
		"org_id": "中共和平社区第一支部委员会", "group_id": "第一党小组", "position": "社区工作者", "phone": "13800001111", "address": "和平路1号"}[c.Field]
}

// ExportHeader is the header row of the export: the template's columns plus 年龄.
func ExportHeader() []string {
	h := make([]string, 0, len(Columns)+1)
	for _, c := range Columns {
		h = append(h, c.Header)
	}
	return append(h, "年龄")
}

// exportRow is a member as a row of the export, enums by their Chinese labels.
func exportRow(m *Member) []any {
	row := make([]any, 0, len(Columns)+1)
	for _, c := range Columns {
		var v string
		switch c.Field {
		case "name":
			v = m.Name
		case "sex":
			v = Sexes.Label(i18n.ZH, m.Sex)
		case "ethnicity":
			v = Ethnicities.Label(i18n.ZH, m.Ethnicity)
		case "id_number":
			v = m.IDNumber
		case "birth_date":
			v = m.BirthDate
		case "education":
			v = Educations.Label(i18n.ZH, m.Education)
		case "native_place":
			v = m.NativePlace
		case "category":
			v = Categories.Label(i18n.ZH, m.Category)
		case "org_id":
			v = m.OrgName
		case "group_id":
			v = m.GroupName
		case "join_date":
			v = m.JoinDate
		case "full_date":
			v = m.FullDate
		case "position":
			v = m.Position
		case "phone":
			v = m.Phone
		case "address":
			v = m.Address
		case "status":
			v = Statuses.Label(i18n.ZH, m.Status)
		}
		row = append(row, v)
	}
	if m.Age == nil {
		return append(row, "")
	}
	return append(row, *m.Age)
}

// Export is a roster workbook ready to be written.
type Export struct {
	file     *excelize.File
	Count    int // members in it
	Revealed int // of which with ID and phone numbers in full
}

// WriteTo writes the workbook.
func (e *Export) WriteTo(w io.Writer) (int64, error) { return e.file.WriteTo(w) }

// Close releases the workbook's temporary files.
func (e *Export) Close() error { return e.file.Close() }

// Export builds the workbook of the members matching f in the caller's scope, streamed
// row by row from the database into excelize's stream writer (which spills to a temporary
// file), never holding the roster in memory. With reveal, ID and phone numbers are shown in
// full for the members the caller may reveal. Every export is audited. The caller closes
// the result.
func (s *Store) Export(ctx context.Context, sc *auth.Scope, f Filter, reveal bool) (*Export, error) {
	wb := excelize.NewFile()
	ok := false
	defer func() {
		if !ok {
			wb.Close()
		}
	}()
	if err := wb.SetSheetName("Sheet1", "党员名册"); err != nil {
		return nil, err
	}
	sw, err := wb.NewStreamWriter("党员名册")
	if err != nil {
		return nil, err
	}
	head, _ := wb.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FCE4D6"}}})
	for i, c := range Columns {
		_ = sw.SetColWidth(i+1, i+1, c.Width)
	}
	_ = sw.SetColWidth(len(Columns)+1, len(Columns)+1, 6)
	_ = sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
	hdr := ExportHeader()
	row := make([]any, len(hdr))
	for i, h := range hdr {
		row[i] = excelize.Cell{StyleID: head, Value: h}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return nil, err
	}
	e := &Export{file: wb}
	err = s.Each(ctx, sc, f, reveal, func(m *Member) error {
		e.Count++
		if !m.Masked {
			e.Revealed++
		}
		if e.Count >= excelize.TotalRows {
			return fmt.Errorf("export: more than %d rows", excelize.TotalRows-1)
		}
		cell, _ := excelize.CoordinatesToCellName(1, e.Count+1)
		return sw.SetRow(cell, exportRow(m))
	})
	if err != nil {
		return nil, err
	}
	if err := sw.Flush(); err != nil {
		return nil, err
	}
	if err := AuditExport(ctx, s.DB, sc, s.Clock.Now(), "member", f.OrgID, e.Count, e.Revealed, f.describe()); err != nil {
		return nil, err
	}
	ok = true
	return e, nil
}

// AuditExport records an export of what (the entity exported: member, record_book …)
// under orgID: who, which subtree, how many rows, how many of them with personal data in
// full, and how it was selected. Every export writes one, revealing or not. Without an
// organization the entry goes to the caller's first grant, so its staff see it.
func AuditExport(ctx context.Context, q db.Querier, sc *auth.Scope, at time.Time, what string, orgID int64, rows, revealed int, filter string) error {
	if orgID == 0 && len(sc.Grants) > 0 {
		orgID = sc.Grants[0].OrgID
	}
	return audit.Write(ctx, q, sc.Actor(), at, audit.Entry{Action: "export", Entity: what, OrgID: orgID,
		Summary: fmt.Sprintf("导出%d行（其中%d行显示完整个人信息）；筛选：%s", rows, revealed, filter),
		Changes: map[string]audit.Change{"rows": {After: rows}, "revealed": {After: revealed}, "subtree": {After: orgID}, "filter": {After: filter}}})
}

// describe is the filter in words for the audit trail.
func (f Filter) describe() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	if f.OrgID != 0 {
		add("org", fmt.Sprint(f.OrgID))
		if !f.Subtree {
			add("subtree", "false")
		}
	}
	add("q", maskQuery(f.Q))
	add("status", strings.Join(f.Statuses, ","))
	add("category", f.Category)
	add("sex", f.Sex)
	add("age_band", f.AgeBand)
	add("education", f.Education)
	add("field", f.Field)
	if len(parts) == 0 {
		return "全部"
	}
	return strings.Join(parts, " ")
}

// maskQuery is a search as the audit trail keeps it: a full ID or phone number masked.
func maskQuery(q string) string {
	switch {
	case len(q) == 18:
		return MaskID(q)
	case len(q) == 11 && allDigits(q):
		return MaskPhone(q)
	}
	return q
}

// ExportFilename is the name of the export's download on the business date of now.
func (s *Store) ExportFilename() string {
	return "党员名册-" + strings.ReplaceAll(clock.Today(s.Clock.Now()), "-", "") + ".xlsx"
}

func (s *Store) handleExport(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f, err := ParseFilter(q)
	if err != nil {
		return err
	}
	reveal, err := httpx.QueryBool(r, "reveal", false)
	if err != nil {
		return err
	}
	e, err := s.Export(r.Context(), auth.From(r.Context()), f, reveal)
	if err != nil {
		return err
	}
	defer e.Close()
	attachment(w, s.ExportFilename())
	_, err = e.WriteTo(w)
	return err
}

package points

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/member/sheet"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/files"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// The columns of a points import (the template's header; matched by name, any order).
var importColumns = []struct{ Header, Field, Note string }{
	{"党员", "member", "公民身份号码（18位）或系统中的党员编号"},
	{"年度", "year", "如 2025；不晚于今年"},
	{"项目代码", "item", "该党员所在层级在该年度适用方案中的项目代码（见方案，如 volunteer）"},
	{"分值", "points", "整数；扣减项填正数或负数均按扣减计；一票否决项填 0；累计不得超过项目与类别的年度上限"},
	{"日期", "date", "选填，YYYY-MM-DD，须在该年度内且不晚于今天；不填则为往年的 12 月 31 日或今天"},
	{"说明", "note", "选填"},
}

// maxImportRows bounds a points file (its rows are held, parsed, until they are written).
const maxImportRows = 200000

func init() {
	i18n.Register(map[string][2]string{
		"pts.imp.column":   {"缺少“%s”列（模板第1行为表头）", "the column \"%s\" is missing (the template's header is row 1)"},
		"pts.imp.too_many": {"文件超过 %d 行，请分批导入", "the file has more than %d rows: import it in parts"},
		"pts.imp.member":   {"未找到该党员（须为本组织或下级组织的党员）", "no such member in this organization's subtree"},
		"pts.imp.year":     {"年度应为 2000 年至今年之间的整数", "the year must be a whole number from 2000 to this year"},
		"pts.imp.scheme":   {"%d 年没有适用于该党员的积分方案", "no points scheme applies to this member in %d"},
		"pts.imp.item":     {"“%s”不是该党员所在层级（%s）的项目", "\"%s\" is not an item of the member's layer (%s)"},
		"pts.imp.points":   {"分值应为整数", "points must be a whole number"},
		"pts.imp.sign":     {"加分项的分值不能为负数", "an item that adds points cannot have a negative value"},
		"pts.imp.veto":     {"一票否决项的分值应为 0", "a veto item's points must be 0"},
		"pts.imp.item_cap": {"超过本项年度上限 %d 分（本年度已有 %d 分）", "over this item's yearly cap of %d (%d already this year)"},
		"pts.imp.cat_cap":  {"超过%s年度上限 %d 分（本年度已有 %d 分）", "over the %s yearly cap of %d (%d already this year)"},
		"pts.imp.date":     {"日期应为该年度内、不晚于今天的 YYYY-MM-DD", "the date must be YYYY-MM-DD within the year and not after today"},
		"pts.imp.empty":    {"文件中没有数据行", "the file has no data rows"},
		"pts.imp.row":      {"第%d行 %s：%s", "row %d, %s: %s"},
		"f.points.import":  {"积分导入", "Points import"},
		"pts.imp.refused":  {"有 %d 行错误，未导入任何数据；请按错误报告修改后重新导入", "%d rows have errors; nothing was imported: correct them as the error report says and import again"},
		"pts.imp.dry_ok":   {"检查通过：%d 行可以导入", "checked: %d rows can be imported"},
		"pts.imp.applied":  {"已导入 %d 条积分记录", "%d points entries imported"},
	})
}

// ImportTemplate is the .xlsx template of a points import: the header and a 填写说明 sheet.
func ImportTemplate() (*excelize.File, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "积分导入"); err != nil {
		return nil, err
	}
	head := make([]any, len(importColumns))
	for i, c := range importColumns {
		head[i] = c.Header
	}
	text, _ := f.NewStyle(&excelize.Style{NumFmt: 49}) // ID numbers stay text
	_ = f.SetColStyle("积分导入", "A", text)
	_ = f.SetColWidth("积分导入", "A", "A", 22)
	if err := f.SetSheetRow("积分导入", "A1", &head); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet("填写说明"); err != nil {
		return nil, err
	}
	_ = f.SetSheetRow("填写说明", "A1", &[]any{"列名", "填写要求"})
	for i, c := range importColumns {
		_ = f.SetSheetRow("填写说明", fmt.Sprintf("A%d", i+2), &[]any{c.Header, c.Note})
	}
	_ = f.SetColWidth("填写说明", "B", "B", 90)
	_ = f.SetCellValue("填写说明", fmt.Sprintf("A%d", len(importColumns)+3),
		"全部行检查无误才会导入（全有或全无）；每行记为一条来源为“导入”的积分记录，按年度上限检查而不截断：超过上限的行报错。")
	return f, nil
}

// PointsImportReport is what a points import found and did.
type PointsImportReport struct {
	DryRun        bool                `json:"dry_run"`
	Rows          int                 `json:"rows"`
	Invalid       int                 `json:"invalid"`
	Applied       bool                `json:"applied"`
	Entries       int                 `json:"entries"` // entries written
	Message       string              `json:"message"`
	Problems      []PointsImportIssue `json:"errors"`         // the first 1,000, each naming its row and column
	ErrorWorkbook string              `json:"error_workbook"` // base64 .xlsx: the bad rows with their reasons ("" when none)
}

// PointsImportIssue is one problem of a row.
type PointsImportIssue struct {
	Row     int    `json:"row"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// importRow is a checked row, ready to be written.
type importRow struct {
	n        int
	member   memberRef
	version  *SchemeVersion
	layer    *Layer
	item     *Item
	year     int
	points   int
	day      string
	note     string
	cells    []string
	problems []httpx.Issue
}

type memberRef struct {
	id, org int64
	path    string
	cat     string
	status  string
}

// Import reads a points file (.xlsx or .csv: member, year, item, points, date, note) into
// the ledger of orgID's subtree (WriteMembers there): every row is checked first — the
// member in the subtree, the year, the item of their layer under the scheme for that year,
// the points within the item's and the category's yearly caps counting what the member has
// already and the rows above — and only a file without an error is written, in one
// transaction, each row an entry with source "import" (totals, bands and rollups follow as for
// any entry). A dry run checks only. Both are audited.
func (s *Store) Import(ctx context.Context, sc *auth.Scope, orgID int64, dryRun bool, filename string, file io.Reader) (*PointsImportReport, error) {
	o, err := org.Resolve(ctx, s.DB, sc, orgID, auth.WriteMembers)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "points-import-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src, err := sheet.OpenRows(file, filename, dir, files.DefaultZipLimits)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	rows, err := s.readImport(ctx, src, o.Path)
	if err != nil {
		return nil, err
	}
	rep := &PointsImportReport{DryRun: dryRun, Rows: len(rows), Problems: []PointsImportIssue{}}
	lang := httpx.Lang(ctx)
	for _, r := range rows {
		if len(r.problems) > 0 {
			rep.Invalid++
			for _, p := range r.problems {
				if len(rep.Problems) < 1000 {
					rep.Problems = append(rep.Problems, PointsImportIssue{Row: r.n, Column: p.Column, Message: p.Msg.Render(lang)})
				}
			}
		}
	}
	now := s.Clock.Now().UTC()
	summary := fmt.Sprintf("%s：%d 行，%d 行有错误", httpx.Clip(filename), rep.Rows, rep.Invalid)
	switch {
	case rep.Invalid > 0:
		rep.Message = i18n.T(lang, "pts.imp.refused", rep.Invalid)
		if rep.ErrorWorkbook, err = errorWorkbook(rows, lang); err != nil {
			return nil, err
		}
	case dryRun:
		rep.Message = i18n.T(lang, "pts.imp.dry_ok", rep.Rows)
	}
	if rep.Invalid > 0 || dryRun {
		return rep, audit.Write(ctx, s.DB, sc.Actor(), now, audit.Entry{Action: "import_check", Entity: "points", OrgID: o.ID, Summary: summary})
	}
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		for _, r := range rows {
			e := &Entry{MemberID: r.member.id, OrgID: r.member.org, Year: r.year, SchemeID: r.version.RowID, Layer: r.layer.Code,
				Item: r.item.Code, Category: r.item.Category, Requested: r.points, Applied: r.points, SourceKind: SourceImport,
				EventDate: r.day, Note: r.note, EnteredBy: sc.UserID, CreatedAt: now}
			if err := insertEntry(ctx, tx, e); err != nil {
				return err
			}
			if err := s.applyTotals(ctx, tx, e, r.member.path, 1); err != nil {
				return err
			}
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "import", Entity: "points", OrgID: o.ID, Summary: summary})
	})
	if err != nil {
		return nil, err
	}
	rep.Applied, rep.Entries, rep.Message = true, len(rows), i18n.T(lang, "pts.imp.applied", len(rows))
	return rep, nil
}

// readImport reads and checks every row of the file.
func (s *Store) readImport(ctx context.Context, src *sheet.Rows, path string) ([]*importRow, error) {
	if !src.Next() {
		if err := src.Err(); err != nil {
			return nil, err
		}
		return nil, httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("pts.imp.empty")})
	}
	_, head := src.Row()
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(h)] = i
	}
	at := map[string]int{}
	for _, c := range importColumns {
		i, ok := col[c.Header]
		if !ok && c.Field != "date" && c.Field != "note" {
			return nil, httpx.Invalid(httpx.Issue{Field: "file", Column: c.Header, Msg: i18n.M("pts.imp.column", c.Header)})
		}
		if ok {
			at[c.Field] = i
		} else {
			at[c.Field] = -1
		}
	}
	ck := &importCheck{s: s, path: path, today: clock.Today(s.Clock.Now()), used: map[string]int{}, members: map[string]*memberRef{}, closing: closing{}}
	var out []*importRow
	for src.Next() {
		n, cells := src.Row()
		get := func(f string) string {
			if i := at[f]; i >= 0 && i < len(cells) {
				return strings.TrimSpace(cells[i])
			}
			return ""
		}
		if strings.Join(cells, "") == "" {
			continue
		}
		if len(out) == maxImportRows {
			return nil, httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("pts.imp.too_many", maxImportRows)})
		}
		r := &importRow{n: n, cells: cells, note: get("note")}
		if err := ck.row(ctx, r, get); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := src.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, httpx.Invalid(httpx.Issue{Field: "file", Msg: i18n.M("pts.imp.empty")})
	}
	return out, nil
}

// importCheck checks rows against the database and the rows above them.
type importCheck struct {
	s       *Store
	path    string // the importing organization's
	today   string
	used    map[string]int // "member|year|bucket" → absolute points so far (ledger + rows above)
	members map[string]*memberRef
	closing closing
}

func (ck *importCheck) row(ctx context.Context, r *importRow, get func(string) string) error {
	bad := func(column, key string, args ...any) {
		r.problems = append(r.problems, httpx.Issue{Field: column, Row: r.n, Column: column, Msg: i18n.M(key, args...)})
	}
	m, err := ck.member(ctx, get("member"))
	if err != nil {
		return err
	}
	if m == nil {
		bad("党员", "pts.imp.member")
	}
	y, yerr := strconv.Atoi(get("year"))
	if yerr != nil || y < 2000 || strconv.Itoa(y) > ck.today[:4] {
		bad("年度", "pts.imp.year")
	}
	pts, perr := strconv.Atoi(get("points"))
	if perr != nil {
		bad("分值", "pts.imp.points")
	}
	r.day = get("date")
	last := fmt.Sprintf("%d-12-31", y)
	switch {
	case r.day == "":
		r.day = min(last, ck.today)
	case len(r.day) != 10 || !strings.HasPrefix(r.day, strconv.Itoa(y)+"-") || r.day > ck.today:
		bad("日期", "pts.imp.date")
	}
	if m == nil || yerr != nil || len(r.problems) > 0 {
		return nil
	}
	r.member, r.year = *m, y
	if r.version, err = ck.closing.at(ctx, ck.s, ck.s.DB, m.path, y); err != nil {
		return err
	}
	if r.version == nil {
		bad("项目代码", "pts.imp.scheme", y)
		return nil
	}
	if r.layer = r.version.Scheme.LayerFor(m.cat, m.status); r.layer == nil {
		bad("项目代码", "pts.imp.scheme", y)
		return nil
	}
	if r.item = r.layer.Item(get("item")); r.item == nil {
		bad("项目代码", "pts.imp.item", httpx.Clip(get("item")), r.layer.Name)
		return nil
	}
	switch {
	case r.item.Category == Veto && pts != 0:
		bad("分值", "pts.imp.veto")
	case r.item.Category == Deduct:
		r.points = -abs(pts)
	case pts < 0:
		bad("分值", "pts.imp.sign")
	default:
		r.points = pts
	}
	if len(r.problems) > 0 || r.item.Category == Veto {
		return nil
	}
	return ck.caps(ctx, r, bad)
}

// caps checks the row's points against the item's and the category's yearly caps, counting
// the member's ledger and the rows above; a row that fits is counted for the rows below.
func (ck *importCheck) caps(ctx context.Context, r *importRow, bad func(string, string, ...any)) error {
	sch := r.version.Scheme
	itemKey, catKey := "item:"+r.item.Code, "cat:"+r.item.Category
	have := map[string]int{}
	for _, k := range []string{itemKey, catKey} {
		key := fmt.Sprintf("%d|%d|%s", r.member.id, r.year, k)
		if _, seen := ck.used[key]; !seen {
			var p int
			err := db.Each(ctx, ck.s.DB, `SELECT points FROM points_totals WHERE member_id = ? AND year = ? AND bucket = ?`,
				[]any{r.member.id, r.year, k}, func(s db.Scanner) error { return s.Scan(&p) })
			if err != nil {
				return err
			}
			ck.used[key] = abs(p)
		}
		have[k] = ck.used[key]
	}
	n := abs(r.points)
	if r.item.Cap > 0 && have[itemKey]+n > r.item.Cap {
		bad("分值", "pts.imp.item_cap", r.item.Cap, have[itemKey])
		return nil
	}
	if c := sch.CatCap(r.item.Category); c > 0 && have[catKey]+n > c {
		bad("分值", "pts.imp.cat_cap", catNames[r.item.Category][0], c, have[catKey])
		return nil
	}
	ck.used[fmt.Sprintf("%d|%d|%s", r.member.id, r.year, itemKey)] += n
	ck.used[fmt.Sprintf("%d|%d|%s", r.member.id, r.year, catKey)] += n
	return nil
}

// member finds a member of the subtree by ID number (18 characters) or member id.
func (ck *importCheck) member(ctx context.Context, key string) (*memberRef, error) {
	if m, ok := ck.members[key]; ok {
		return m, nil
	}
	var where string
	var arg any
	if id, err := strconv.ParseInt(key, 10, 64); err == nil && len(key) < 18 {
		where, arg = "m.id = ?", id
	} else if len(key) == 18 {
		where, arg = "m.id_number = ?", strings.ToUpper(key)
	} else {
		return nil, nil
	}
	lo, hi := db.SubtreeRange(ck.path)
	var m *memberRef
	err := db.Each(ctx, ck.s.DB, `SELECT m.id, m.org_id, m.org_path, m.category, m.status FROM members m WHERE `+where+` AND m.org_path >= ? AND m.org_path < ?`,
		[]any{arg, lo, hi}, func(r db.Scanner) error {
			m = &memberRef{}
			return r.Scan(&m.id, &m.org, &m.path, &m.cat, &m.status)
		})
	ck.members[key] = m
	return m, err
}

// errorWorkbook is the bad rows with their reasons, base64 for the JSON answer.
func errorWorkbook(rows []*importRow, lang i18n.Lang) (string, error) {
	f := excelize.NewFile()
	defer f.Close()
	head := []any{"行号"}
	for _, c := range importColumns {
		head = append(head, c.Header)
	}
	head = append(head, "错误原因")
	_ = f.SetSheetName("Sheet1", "错误")
	if err := f.SetSheetRow("错误", "A1", &head); err != nil {
		return "", err
	}
	line := 2
	for _, r := range rows {
		if len(r.problems) == 0 {
			continue
		}
		row := []any{r.n}
		for i := range importColumns {
			v := ""
			if i < len(r.cells) {
				v = r.cells[i]
			}
			row = append(row, v)
		}
		var msgs []string
		for _, p := range r.problems {
			msgs = append(msgs, i18n.T(lang, "pts.imp.row", r.n, p.Column, p.Msg.Render(lang)))
		}
		row = append(row, strings.Join(msgs, "；"))
		if err := f.SetSheetRow("错误", fmt.Sprintf("A%d", line), &row); err != nil {
			return "", err
		}
		line++
	}
	var b strings.Builder
	w := base64.NewEncoder(base64.StdEncoding, &b)
	if _, err := f.WriteTo(w); err != nil {
		return "", err
	}
	w.Close()
	return b.String(), nil
}

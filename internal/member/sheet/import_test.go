package sheet_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"dangjian/internal/member"
	"dangjian/internal/member/sheet"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/server"
)

var importNow = time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)

// env is a small tree on a real database:
//
//	C 中共和平街道工作委员会
//	├── B1 中共和平社区第一支部委员会 (简称 和平一支部) ── G 第一党小组
//	└── B2 中共和平社区第二支部委员会
//	X 中共城北镇委员会 ── XB 中共李家村支部委员会
type env struct {
	t   *testing.T
	app *server.App
	ctx context.Context
	C   *org.Org
	B1  *org.Org
	G   *org.Org
	B2  *org.Org
	X   *org.Org
	XB  *org.Org
}

func newEnv(t testing.TB, d *db.DB) *env {
	ctx := context.Background()
	app := server.New(d, clock.NewFake(importNow), t.TempDir())
	e := &env{app: app, ctx: ctx}
	if tt, ok := t.(*testing.T); ok {
		e.t = tt
	}
	mk := func(parent *org.Org, kind org.Kind, name, short string) *org.Org {
		var pid int64
		if parent != nil {
			pid = parent.ID
		}
		o, err := app.Orgs.Create(ctx, auth.System(), org.Fields{ParentID: pid, Name: name, ShortName: short, Kind: kind, Field: "community", Secretary: "书记"})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	e.C = mk(nil, org.Committee, "中共和平街道工作委员会", "")
	e.B1 = mk(e.C, org.Branch, "中共和平社区第一支部委员会", "和平一支部")
	e.G = mk(e.B1, org.Group, "第一党小组", "")
	e.B2 = mk(e.C, org.Branch, "中共和平社区第二支部委员会", "和平二支部")
	e.X = mk(nil, org.Committee, "中共城北镇委员会", "")
	e.XB = mk(e.X, org.Branch, "中共李家村支部委员会", "")
	return e
}

// testID makes a valid ID number for a birth date (YYYYMMDD) and a sequence.
func testID(birth string, seq int, male bool) string {
	d := 2 * (seq % 500)
	if male {
		d++
	}
	first := fmt.Sprintf("330602%s%03d", birth, d%1000)
	return first + string(member.IDCheckChar(first))
}

var header = sheet.ExportHeader()[:16]

// row builds a data row in the template's column order from a few named values.
func row(kv map[string]string) []string {
	r := make([]string, len(header))
	for i, h := range header {
		r[i] = kv[h]
	}
	return r
}

func goodRow(seq int) map[string]string {
	return map[string]string{"姓名": fmt.Sprintf("党员%d", seq), "民族": "汉族", "公民身份号码": testID("19800501", seq, true),
		"学历": "大学本科", "人员类别": "正式党员", "所在党支部": "中共和平社区第一支部委员会", "入党日期": "2005-07-01",
		"转正日期": "2006-07-01", "手机号码": "13800001111", "家庭住址": "和平路1号"}
}

func with(m map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

// xlsxOf writes a real workbook: the header, then rows; values of type time.Time become
// date cells.
func xlsxOf(t testing.TB, hdr []string, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, h := range hdr {
		c, _ := excelize.CoordinatesToCellName(i+1, 1)
		_ = f.SetCellValue("Sheet1", c, h)
	}
	dateStyle, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	cnStyle, _ := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy\"年\"m\"月\"d\"日\"")})
	for r, vals := range rows {
		for i, v := range vals {
			c, _ := excelize.CoordinatesToCellName(i+1, r+2)
			switch x := v.(type) {
			case time.Time:
				_ = f.SetCellValue("Sheet1", c, x)
				_ = f.SetCellStyle("Sheet1", c, c, dateStyle)
			case cnDate:
				_ = f.SetCellValue("Sheet1", c, time.Time(x))
				_ = f.SetCellStyle("Sheet1", c, c, cnStyle)
			case string:
				if x != "" {
					_ = f.SetCellStr("Sheet1", c, x)
				}
			default:
				_ = f.SetCellValue("Sheet1", c, x)
			}
		}
	}
	b, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type cnDate time.Time

func ptr[T any](v T) *T { return &v }

func strRows(rows ...map[string]string) [][]any {
	out := make([][]any, len(rows))
	for i, r := range rows {
		for _, v := range row(r) {
			out[i] = append(out[i], v)
		}
	}
	return out
}

func (e *env) importAs(sc *auth.Scope, orgID int64, name string, data []byte, dry, skip bool, lang i18n.Lang) (*sheet.ImportReport, error) {
	ctx := httpx.WithLang(e.ctx, lang)
	return e.app.Sheets.Import(ctx, sc, sheet.ImportOptions{OrgID: orgID, DryRun: dry, SkipInvalid: skip, Filename: name}, bytes.NewReader(data))
}

func (e *env) mustImport(t *testing.T, orgID int64, name string, data []byte, dry, skip bool) *sheet.ImportReport {
	t.Helper()
	rep, err := e.importAs(auth.System(), orgID, name, data, dry, skip, i18n.ZH)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

func (e *env) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.app.DB.QueryRow(e.ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// digest summarises everything an import could change, audit included.
func (e *env) digest(t *testing.T) string {
	t.Helper()
	var parts []string
	for _, q := range []string{`SELECT COUNT(*) FROM members`, `SELECT COALESCE(SUM(n), 0) FROM org_stats`, `SELECT COUNT(*) FROM org_stats`,
		`SELECT COUNT(*) FROM org_checks`, `SELECT COALESCE(SUM(direct_members), 0) FROM orgs`, `SELECT COUNT(*) FROM audit WHERE action <> 'import_check'`} {
		parts = append(parts, fmt.Sprint(e.count(t, q)))
	}
	return strings.Join(parts, "/")
}

func (e *env) stats(t *testing.T, o *org.Org) *org.Stats {
	t.Helper()
	st, err := org.ReadStats(e.ctx, e.app.DB, o.ID, o.Path, clock.Today(importNow), member.FillStats)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestImportAllGood(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		rows := strRows(
			goodRow(1),
			with(goodRow(2), "所在党支部", "和平一支部", "党小组", "第一党小组", "性别", "男", "出生日期", "1980-05-01"),
			with(goodRow(3), "所在党支部", "中共和平社区第二支部委员会", "人员类别", "预备党员", "转正日期", "", "入党日期", "2026-07-01"),
			with(goodRow(4), "党籍状态", "流动", "学历", "", "民族", "回族"),
		)
		data := xlsxOf(t, header, rows)
		beforeC, beforeB1 := e.stats(t, e.C), e.stats(t, e.B1)
		before := e.digest(t)

		dry := e.mustImport(t, e.C.ID, "roster.xlsx", data, true, false)
		if dry.TotalRows != 4 || dry.ValidRows != 4 || dry.InvalidRows != 0 || dry.Applied || len(dry.Errors) != 0 || dry.ErrorWorkbookURL != "" {
			t.Fatalf("dry run report %+v", dry)
		}
		if e.digest(t) != before {
			t.Fatal("a dry run changed data")
		}
		rep := e.mustImport(t, e.C.ID, "roster.xlsx", data, false, false)
		if !rep.Applied || rep.Created != 4 || rep.ValidRows != 4 {
			t.Fatalf("report %+v", rep)
		}
		afterC, afterB1 := e.stats(t, e.C), e.stats(t, e.B1)
		if afterC.MembersTotal-beforeC.MembersTotal != 4 || afterB1.MembersTotal-beforeB1.MembersTotal != 3 {
			t.Errorf("members total C %d→%d, B1 %d→%d", beforeC.MembersTotal, afterC.MembersTotal, beforeB1.MembersTotal, afterB1.MembersTotal)
		}
		if afterC.ByCategory["probationary"] != 1 || afterC.ByCategory["full"] != 3 || afterC.ByStatus["mobile"] != 1 || afterC.ByEthnicityCode["03"] != 1 {
			t.Errorf("rollups %+v", afterC)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit WHERE action = 'import' AND entity = 'member'`); n != 4 {
			t.Errorf("%d member audit entries", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit WHERE action = 'import' AND entity = 'import' AND org_id = ?`, e.C.ID); n != 1 {
			t.Errorf("%d import audit entries", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM members WHERE group_id = ? AND name = '党员2'`, e.G.ID); n != 1 {
			t.Errorf("group not set")
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit WHERE changes LIKE ?`, "%"+testID("19800501", 1, true)+"%"); n != 0 {
			t.Errorf("the audit trail holds a full ID number")
		}
		// The same file again: every row is now a duplicate of the roster.
		again := e.mustImport(t, e.C.ID, "roster.xlsx", data, true, false)
		if again.InvalidRows != 4 || again.Errors[0].Message != "第2行 公民身份号码：该号码已登记在系统中，属于党员1（"+e.B1.Name+"）" {
			t.Errorf("re-import %+v", again.Errors)
		}
	})
}

func TestImportBadCheckDigit(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		good := testID("19800501", 7, false)
		bad := good[:17] + string("0123456789X"[(strings.IndexByte("0123456789X", good[17])+1)%11])
		data := xlsxOf(t, header, strRows(goodRow(1), with(goodRow(2), "公民身份号码", bad), goodRow(3)))
		before := e.digest(t)
		for _, c := range []struct {
			lang i18n.Lang
			msg  string
		}{{i18n.ZH, "第3行 公民身份号码：校验位错误"}, {i18n.EN, "Row 3: ID number: wrong check digit"}} {
			rep, err := e.importAs(auth.System(), e.C.ID, "r.xlsx", data, true, false, c.lang)
			if err != nil {
				t.Fatal(err)
			}
			want := []sheet.ImportError{{Row: 3, Name: "党员2", Column: "公民身份号码", Field: "id_number", Value: bad, Message: c.msg}}
			if !reflect.DeepEqual(rep.Errors, want) || rep.ErrorsTotal != 1 || rep.InvalidRows != 1 || rep.ValidRows != 2 {
				t.Errorf("%s: errors %+v, report %+v", c.lang, rep.Errors, rep)
			}
		}
		rep := e.mustImport(t, e.C.ID, "r.xlsx", data, false, false)
		if rep.Applied || rep.Created != 0 || e.digest(t) != before {
			t.Fatalf("a real run with a bad row changed data: %+v", rep)
		}
		// The error workbook: the header plus 错误, and only the bad row.
		f, err := e.app.Sheets.ImportErrors(auth.System(), rep.ImportID)
		if err != nil {
			t.Fatal(err)
		}
		got := readXLSX(t, f)
		f.Close()
		if len(got) != 2 || got[0][len(got[0])-1] != "错误" || got[1][3] != bad || got[1][len(got[1])-1] != "公民身份号码：校验位错误" {
			t.Errorf("error workbook %q", got)
		}
		rep = e.mustImport(t, e.C.ID, "r.xlsx", data, false, true)
		if !rep.Applied || rep.Created != 2 || rep.SkippedRows != 1 {
			t.Fatalf("skip_invalid report %+v", rep)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM members`); n != 2 {
			t.Errorf("%d members", n)
		}
	})
}

func readXLSX(t *testing.T, r io.Reader) [][]string {
	t.Helper()
	f, err := excelize.OpenReader(r)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestImportRowErrors(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		taken := testID("19700101", 1, true)
		if _, err := e.app.Members.Create(e.ctx, auth.System(), member.Fields{OrgID: e.B2.ID, Name: "老党员", Ethnicity: "01", IDNumber: taken,
			Category: "full", JoinDate: "1995-07-01", FullDate: "1996-07-01"}); err != nil {
			t.Fatal(err)
		}
		dup := testID("19800501", 50, true)
		cases := []struct {
			row  map[string]string
			want string // the message of the row (its number is 2 + index, after a first good row when dup)
		}{
			{with(goodRow(1), "公民身份号码", taken), "公民身份号码：该号码已登记在系统中，属于老党员（" + e.B2.Name + "）"},
			{with(goodRow(2), "入党日期", "2005-13-01"), "入党日期：日期格式应为 YYYY-MM-DD"},
			{with(goodRow(3), "入党日期", "昨天"), "入党日期：日期格式应为 YYYY-MM-DD"},
			{with(goodRow(4), "人员类别", "预备党员"), "转正日期：预备党员不应有转正日期"},
			{with(goodRow(5), "人员类别", "正式党员", "转正日期", ""), "转正日期：正式党员应填写转正日期"},
			{with(goodRow(6), "所在党支部", "中共李家村支部委员会"), "所在党支部：“中共李家村支部委员会”不是本次导入范围内的党支部"},
			{with(goodRow(7), "党小组", "第九党小组"), "党小组：不是该党支部下的党小组"},
			{with(goodRow(8), "民族", "火星族"), "民族：取值“火星族”无效"},
			{with(goodRow(9), "手机号码", "12345"), "手机号码：应为11位手机号码"},
			{with(goodRow(10), "性别", "女"), "性别：与公民身份号码中的性别不一致"},
			{with(goodRow(11), "入党日期", "1990-01-01"), "入党日期：入党时未满18周岁"},
			{with(goodRow(12), "姓名", ""), "姓名：不能为空"},
			{with(goodRow(13), "所在党支部", ""), "所在党支部：不能为空"},
		}
		rows := []map[string]string{with(goodRow(99), "公民身份号码", dup)}
		for _, c := range cases {
			rows = append(rows, c.row)
		}
		rows = append(rows, with(goodRow(98), "公民身份号码", dup))
		before := e.digest(t)
		rep := e.mustImport(t, e.C.ID, "r.xlsx", xlsxOf(t, header, strRows(rows...)), true, false)
		byRow := map[int][]string{}
		for _, er := range rep.Errors {
			byRow[er.Row] = append(byRow[er.Row], er.Message)
		}
		for i, c := range cases {
			n := i + 3
			if want := fmt.Sprintf("第%d行 %s", n, c.want); !reflect.DeepEqual(byRow[n], []string{want}) {
				t.Errorf("row %d: %q, want %q", n, byRow[n], want)
			}
		}
		last := len(rows) + 1
		if want := fmt.Sprintf("第%d行 公民身份号码：与第2行重复", last); !reflect.DeepEqual(byRow[last], []string{want}) {
			t.Errorf("duplicate in file: %q", byRow[last])
		}
		if len(byRow[2]) != 0 || rep.InvalidRows != len(cases)+1 || rep.ValidRows != 1 {
			t.Errorf("report %+v", rep)
		}
		if e.digest(t) != before {
			t.Error("a dry run changed data")
		}
	})
}

func TestImportFileErrors(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		before := e.digest(t)
		hdr := []string{"姓名", "性别", "公民身份号码", "人员类别", "所在党支部", "备注"}
		_, err := e.importAs(auth.System(), e.C.ID, "r.xlsx", xlsxOf(t, hdr, [][]any{{"张三", "男", testID("19800501", 1, true), "正式党员", "和平一支部", ""}}), true, false, i18n.ZH)
		var he *httpx.Error
		if !errors.As(err, &he) || he.Status != 422 || len(he.Issues) != 1 || he.Issues[0].Field != "file" ||
			he.Issues[0].Msg.Render(i18n.ZH) != "文件缺少必填列：民族、入党日期" {
			t.Fatalf("missing columns: %v", err)
		}
		// A branch named nowhere: importing into a committee needs the column.
		hdr2 := []string{"姓名", "民族", "公民身份号码", "人员类别", "入党日期"}
		_, err = e.importAs(auth.System(), e.C.ID, "r.csv", []byte(strings.Join(hdr2, ",")+"\n"), true, false, i18n.EN)
		if !errors.As(err, &he) || he.Issues[0].Msg.Render(i18n.EN) != "The file lacks required columns: 所在党支部" {
			t.Fatalf("missing branch column: %v", err)
		}
		// Into a branch the column may be left out; a title row above the header is skipped.
		csv := "党员花名册\n" + strings.Join(hdr2, ",") + ",籍贯,身份备注\n" + strings.Join([]string{"李四", "汉", testID("19800501", 2, true), "预备", "2026/7/1", "绍兴", "x"}, ",") + "\n"
		rep := e.mustImport(t, e.B1.ID, "r.csv", []byte(csv), true, false)
		if rep.ValidRows != 1 || len(rep.Warnings) == 0 || !strings.Contains(rep.Warnings[0], "身份备注") {
			t.Errorf("report %+v", rep)
		}
		for _, c := range []struct {
			name string
			data []byte
		}{{"r.xlsx", []byte("not a zip")}, {"r.xls", []byte{0xD0, 0xCF, 0x11, 0xE0, 0, 0, 0, 0}}, {"r.csv", []byte("")}, {"r.csv", []byte("a,b\n1,2\n")}} {
			if _, err := e.importAs(auth.System(), e.C.ID, c.name, c.data, false, false, i18n.ZH); !errors.As(err, &he) || he.Status != 422 || he.Issues[0].Field != "file" {
				t.Errorf("%s %q: %v", c.name, c.data, err)
			}
		}
		_, err = e.importAs(auth.System(), 0, "r.csv", []byte("x"), true, false, i18n.ZH)
		if !errors.As(err, &he) || he.Status != 422 || he.Issues[0].Field != "org" {
			t.Errorf("no org: %v", err)
		}
		if e.digest(t) != before {
			t.Error("refused imports changed data")
		}
		if ents, _ := os.ReadDir(e.app.Dir + "/imports"); len(ents) != 1 { // only the one that produced a report
			t.Errorf("%d import directories left", len(ents))
		}
	})
}

func TestImportDates(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		hdr := []string{"姓　名", " 民族 ", "身份证号", "出生日期", "人员类别", "所在支部", "入党日期", "转为正式党员日期", "联系电话"}
		day := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
		rows := [][]any{
			{"甲", "汉族", testID("19800501", 1, true), day("1980-05-01"), "正式党员", "和平一支部", day("2005-07-01"), cnDate(day("2006-07-01")), 13800001111},
			{"乙", "01", testID("19800501", 2, true), "1980/5/1", "full", "和平一支部", "2005.07.01", "20060701", "138 0000 1111"},
			{"丙", "汉族", testID("19800501", 3, true), "", "正式党员", "和平一支部", "2005年7月1日", "2006-7-1", ""},
		}
		rep := e.mustImport(t, e.C.ID, "dates.xlsx", xlsxOf(t, hdr, rows), false, false)
		if !rep.Applied || rep.Created != 3 {
			t.Fatalf("report %+v", rep)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM members WHERE birth_date = '1980-05-01' AND join_date = '2005-07-01' AND full_date = '2006-07-01'`); n != 3 {
			t.Errorf("%d members with the right dates", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM members WHERE phone = '13800001111'`); n != 2 {
			t.Errorf("%d phones", n)
		}
	})
}

func TestImportCSVEncodings(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		var b strings.Builder
		b.WriteString(strings.Join(header, ",") + "\r\n")
		for i := 1; i <= 3; i++ {
			b.WriteString(strings.Join(row(with(goodRow(i), "家庭住址", "和平路\"1\"号")), ",") + "\r\n")
		}
		utf := b.String()
		gb, err := simplifiedchinese.GB18030.NewEncoder().String(strings.ReplaceAll(utf, "1号", "1号，A座"))
		if err != nil {
			t.Fatal(err)
		}
		rep := e.mustImport(t, e.C.ID, "gbk.csv", []byte(gb), false, false)
		if !rep.Applied || rep.Created != 3 {
			t.Fatalf("GB18030: %+v", rep)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM members WHERE name = '党员1' AND org_id = ?`, e.B1.ID); n != 1 {
			t.Errorf("GB18030 names not decoded")
		}
		// UTF-8 with a BOM, a quoted cell with a line break; the rows after it keep their numbers.
		var u strings.Builder
		u.WriteString("\ufeff" + strings.Join(header, ",") + "\n")
		u.WriteString(strings.Join(row(with(goodRow(11), "家庭住址", "\"和平路\n1号\"")), ",") + "\n")
		u.WriteString(strings.Join(row(with(goodRow(12), "民族", "未知")), ",") + "\n")
		rep = e.mustImport(t, e.C.ID, "utf8.csv", []byte(u.String()), true, false)
		if rep.ValidRows != 1 || len(rep.Errors) != 1 || rep.Errors[0].Row != 3 || rep.Errors[0].Column != "民族" {
			t.Fatalf("UTF-8 BOM: %+v", rep)
		}
	})
}

func TestExport(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		rows := []map[string]string{}
		for i := 1; i <= 5; i++ {
			rows = append(rows, with(goodRow(i), "籍贯", "浙江绍兴"))
		}
		rows = append(rows, with(goodRow(6), "所在党支部", "和平二支部", "党籍状态", "出党"))
		e.mustImport(t, e.C.ID, "r.xlsx", xlsxOf(t, header, strRows(rows...)), false, false)
		auditBefore := e.count(t, `SELECT COUNT(*) FROM audit`)

		export := func(sc *auth.Scope, q string, reveal bool) [][]string {
			t.Helper()
			f, err := member.ParseFilter(mustQuery(q))
			if err != nil {
				t.Fatal(err)
			}
			x, err := e.app.Sheets.Export(e.ctx, sc, f, reveal)
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			var buf bytes.Buffer
			if _, err := x.WriteTo(&buf); err != nil {
				t.Fatal(err)
			}
			return readXLSX(t, &buf)
		}
		got := export(auth.System(), fmt.Sprintf("org=%d", e.C.ID), false)
		if !reflect.DeepEqual(got[0], sheet.ExportHeader()) || len(got) != 6 {
			t.Fatalf("export: %d rows, header %q", len(got), got[0])
		}
		// The rows are the roster, in roster order, masked.
		var want [][]string
		f, _ := member.ParseFilter(mustQuery(fmt.Sprintf("org=%d", e.C.ID)))
		_ = e.app.Members.Each(e.ctx, auth.System(), f, false, func(m *member.Member) error {
			want = append(want, []string{m.Name, "男", "汉族", m.IDNumber, "1980", "大学本科", "浙江绍兴", "正式党员", m.OrgName, "",
				"2005-07-01", "2006-07-01", "", m.Phone, "和平路1号", "在册", ""})
			return nil
		})
		trim := func(r []string) []string { // excelize drops trailing empty cells; pad for comparison
			return append(r, make([]string, 17-len(r))...)
		}
		for i := range want {
			if g := trim(got[i+1]); !reflect.DeepEqual(g, want[i]) {
				t.Errorf("row %d: %q, want %q", i+2, g, want[i])
			}
			if !strings.Contains(got[i+1][3], "*") || !strings.Contains(got[i+1][13], "*") {
				t.Errorf("row %d not masked: %q", i+2, got[i+1])
			}
		}
		// Every export is audited: who, which subtree, how many rows, how many revealed.
		exports := func(rows, revealed int) int {
			return e.count(t, `SELECT COUNT(*) FROM audit WHERE action = 'export' AND entity = 'member' AND org_id = ? AND username = 'system' AND changes LIKE ? AND changes LIKE ?`,
				e.C.ID, fmt.Sprintf(`%%"rows":{"before":null,"after":%d}%%`, rows), fmt.Sprintf(`%%"revealed":{"before":null,"after":%d}%%`, revealed))
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit`); n != auditBefore+1 || exports(5, 0) != 1 {
			t.Errorf("masked export: %d new audit entries, %d matching", n-auditBefore, exports(5, 0))
		}
		all := export(auth.System(), fmt.Sprintf("org=%d&status=all&reveal=true", e.C.ID), true)
		if len(all) != 7 || strings.Contains(all[1][3], "*") || all[1][13] != "13800001111" || all[1][4] != "1980-05-01" || all[1][16] != "46" {
			t.Fatalf("revealed export %q", all)
		}
		if n := exports(6, 6); n != 1 {
			t.Errorf("%d export audit entries", n)
		}
		// Export then import: the file round-trips (into an empty copy it would be accepted;
		// here every row is a duplicate of itself).
		var buf bytes.Buffer
		fx, _ := member.ParseFilter(mustQuery(fmt.Sprintf("org=%d", e.C.ID)))
		x, _ := e.app.Sheets.Export(e.ctx, auth.System(), fx, true)
		_, _ = x.WriteTo(&buf)
		x.Close()
		rep := e.mustImport(t, e.C.ID, "export.xlsx", buf.Bytes(), true, false)
		if rep.InvalidRows != 5 || len(rep.Warnings) != 0 || !strings.Contains(rep.Errors[0].Message, "已登记") {
			t.Errorf("round trip %+v", rep)
		}
	})
}

// --- HTTP -------------------------------------------------------------------------------

const testPassword = "correct-horse-9"

type client struct {
	t     *testing.T
	srv   *httptest.Server
	token string
}

func (e *env) user(t *testing.T, srv *httptest.Server, name string, role auth.Role, o *org.Org) *client {
	t.Helper()
	var oid int64
	if o != nil {
		oid = o.ID
	}
	id, err := e.app.Auth.CreateUser(e.ctx, auth.System(), auth.NewUser{Username: name, DisplayName: name, Password: testPassword, OrgID: oid})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.Auth.GrantRole(e.ctx, auth.System(), id, role, oid); err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, srv: srv}
	body, _ := json.Marshal(map[string]string{"username": name, "password": testPassword})
	res, err := http.Post(srv.URL+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var lr struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&lr); err != nil || lr.Token == "" {
		t.Fatalf("login %s: %d %v", name, res.StatusCode, err)
	}
	c.token = lr.Token
	return c
}

func (c *client) do(method, path string, body io.Reader, contentType string, headers ...string) (int, http.Header, []byte) {
	c.t.Helper()
	req, _ := http.NewRequest(method, c.srv.URL+path, body)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

func (c *client) upload(path, filename string, data []byte, headers ...string) (int, []byte) {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("note", "x")
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(data)
	_ = mw.Close()
	status, _, body := c.do("POST", path, &buf, mw.FormDataContentType(), headers...)
	return status, body
}

func TestImportHTTP(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		srv := httptest.NewServer(e.app.Handler())
		defer srv.Close()
		secB1 := e.user(t, srv, "secb1", auth.RoleSecretary, e.B1)
		secB2 := e.user(t, srv, "secb2", auth.RoleSecretary, e.B2)
		admin := e.user(t, srv, "admin1", auth.RoleAdmin, nil)

		status, hdr, body := secB1.do("GET", "/api/v1/members/import/template", nil, "")
		if status != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "filename*=UTF-8''%E5%85%9A%E5%91%98%E4%BF%A1%E6%81%AF%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx") {
			t.Fatalf("template: %d %v", status, hdr)
		}
		tf, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		trows, _ := tf.GetRows("党员信息")
		dvs, _ := tf.GetDataValidations("党员信息")
		if !reflect.DeepEqual(trows[0], header) || len(dvs) != 5 || tf.GetSheetList()[0] != "党员信息" {
			t.Errorf("template header %q, %d validations, sheets %q", trows, len(dvs), tf.GetSheetList())
		}
		tf.Close()
		// The template itself is importable (no rows).
		if st, b := secB1.upload(fmt.Sprintf("/api/v1/members/import?org=%d", e.B1.ID), "t.xlsx", body); st != 422 || !strings.Contains(string(b), "没有数据行") {
			t.Errorf("empty template: %d %s", st, b)
		}

		good := testID("19800501", 7, false)
		bad := good[:17] + map[bool]string{true: "1", false: "0"}[good[17] == '0']
		data := xlsxOf(t, header, strRows(with(goodRow(1), "所在党支部", ""), with(goodRow(2), "所在党支部", "", "公民身份号码", bad)))
		before := e.digest(t)
		path := fmt.Sprintf("/api/v1/members/import?org=%d", e.B1.ID)
		if st, b := secB2.upload(path, "r.xlsx", data); st != 403 {
			t.Errorf("secretary of another branch: %d %s", st, b)
		}
		if st, b := secB1.upload(fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=maybe", e.B1.ID), "r.xlsx", data); st != 422 || !strings.Contains(string(b), "dry_run") {
			t.Errorf("bad dry_run: %d %s", st, b)
		}
		if st, b := secB1.upload("/api/v1/members/import", "r.xlsx", data); st != 422 || !strings.Contains(string(b), `"field":"org"`) {
			t.Errorf("no org: %d %s", st, b)
		}
		st, b := secB1.upload(path, "r.xlsx", data, "Accept-Language", "en")
		var rep sheet.ImportReport
		if err := json.Unmarshal(b, &rep); err != nil || st != 200 {
			t.Fatalf("dry run: %d %s", st, b)
		}
		if !rep.DryRun || len(rep.Errors) != 1 || rep.Errors[0].Message != "Row 3: ID number: wrong check digit" || rep.ErrorWorkbookURL == "" {
			t.Fatalf("dry run report %s", b)
		}
		if e.digest(t) != before {
			t.Fatal("dry run changed data")
		}
		st, _, wb := secB1.do("GET", rep.ErrorWorkbookURL, nil, "")
		if st != 200 {
			t.Fatalf("error workbook: %d", st)
		}
		rows := readXLSX(t, bytes.NewReader(wb))
		if len(rows) != 2 || rows[0][16] != "错误" || rows[1][16] != "ID number: wrong check digit" {
			t.Errorf("error workbook %q", rows)
		}
		for _, c := range []*client{secB2} {
			if st, _, _ := c.do("GET", rep.ErrorWorkbookURL, nil, ""); st != 404 {
				t.Errorf("another user's error workbook: %d", st)
			}
		}
		if st, _, _ := admin.do("GET", rep.ErrorWorkbookURL, nil, ""); st != 200 {
			t.Errorf("admin error workbook: %d", st)
		}
		for _, p := range []string{"/api/v1/members/import/..%2F..%2Fetc/errors.xlsx", "/api/v1/members/import/" + strings.Repeat("0", 32) + "/errors.xlsx"} {
			if st, _, _ := secB1.do("GET", p, nil, ""); st != 404 {
				t.Errorf("%s: %d", p, st)
			}
		}
		st, b = secB1.upload(fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=false", e.B1.ID), "r.xlsx", data)
		if st != 200 || !strings.Contains(string(b), `"applied":false`) || e.digest(t) != before {
			t.Fatalf("real run with errors: %d %s", st, b)
		}
		st, b = secB1.upload(fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=false&skip_invalid=true", e.B1.ID), "r.xlsx", data)
		if st != 200 || !strings.Contains(string(b), `"applied":true`) || !strings.Contains(string(b), `"created":1`) {
			t.Fatalf("skip invalid: %d %s", st, b)
		}
		// Export: a secretary sees their branch, masked; reveal is audited.
		st, hdr, body = secB1.do("GET", fmt.Sprintf("/api/v1/members/export?org=%d&reveal=true", e.B1.ID), nil, "")
		if st != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "20261122.xlsx") {
			t.Fatalf("export: %d %v %s", st, hdr, body)
		}
		if rows := readXLSX(t, bytes.NewReader(body)); len(rows) != 2 || rows[1][3] != testID("19800501", 1, true) {
			t.Errorf("export rows %q", rows)
		}
		if st, _, _ := secB2.do("GET", fmt.Sprintf("/api/v1/members/export?org=%d", e.B1.ID), nil, ""); st != 404 {
			t.Errorf("export of another branch: %d", st)
		}
	})
}

func mustQuery(s string) map[string][]string {
	q := map[string][]string{}
	for _, kv := range strings.Split(s, "&") {
		k, v, _ := strings.Cut(kv, "=")
		q[k] = append(q[k], v)
	}
	return q
}

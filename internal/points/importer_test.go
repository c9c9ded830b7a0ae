package points

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/platform/db"
)

// workbook is an import file of the given rows under the template's header.
func workbook(t *testing.T, rows ...[]any) *bytes.Buffer {
	t.Helper()
	f, err := ImportTemplate()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if err := f.SetSheetRow("积分导入", fmt.Sprintf("A%d", i+2), &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return &b
}

func (e *env) count(q string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.db.QueryRow(e.ctx, q, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// TestImport: a file with any bad row writes nothing and names each row and column (in the
// report and the error workbook); a good file is checked by a dry run, then written as
// import entries whose totals, bands and rollups equal a recount; the caps count imported
// points, so a claim after the import is cut at the cap with its reason.
func TestImport(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", ExampleText())
		var idNumber string
		if err := d.QueryRow(e.ctx, `SELECT id_number FROM members WHERE id = ?`, e.members["m1"]).Scan(&idNumber); err != nil {
			t.Fatal(err)
		}
		sec := e.secretary("A1")
		m1, m2, b1 := e.members["m1"], e.members["m2"], e.members["b1"]
		bad := workbook(t,
			[]any{m1, 2026, "volunteer", 4},
			[]any{b1, 2026, "volunteer", 2},               // row 3: another branch
			[]any{idNumber, 2026, "volunteer", 6},         // row 4: 4 + 6 over the cap of 8
			[]any{m2, 2026, "login_daily", 1},             // row 5: no such item
			[]any{m2, 1999, "volunteer", 1},               // row 6: year
			[]any{m2, 2026, "absence", "五"},               // row 7: not a number
			[]any{m2, 2026, "volunteer", 2, "2027-01-01"}, // row 8: date
		)
		rep, err := e.pts.Import(e.ctx, sec, e.orgs["A1"], false, "积分.xlsx", bad)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Applied || rep.Invalid != 6 || rep.Rows != 7 || e.count(`SELECT COUNT(*) FROM points_entries`) != 0 {
			t.Fatalf("bad file: %+v", rep)
		}
		got := map[int]string{}
		for _, p := range rep.Problems {
			got[p.Row] = p.Column + " " + p.Message
		}
		for row, want := range map[int]string{3: "党员", 4: "分值 超过本项年度上限 8 分（本年度已有 4 分）", 5: "项目代码", 6: "年度", 7: "分值", 8: "日期"} {
			if !strings.HasPrefix(got[row], want) {
				t.Errorf("row %d: %q, want %q…", row, got[row], want)
			}
		}
		raw, _ := base64.StdEncoding.DecodeString(rep.ErrorWorkbook)
		wb, err := excelize.OpenReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := wb.GetRows("错误")
		if len(rows) != 7 || !strings.Contains(rows[2][len(rows[2])-1], "第4行 分值") {
			t.Errorf("error workbook: %v", rows)
		}

		good := func() *bytes.Buffer {
			return workbook(t, []any{m1, 2026, "volunteer", 4}, []any{idNumber, 2026, "volunteer", 4, "2026-03-01", "旧系统"}, []any{m2, 2026, "absence", 5})
		}
		rep, err = e.pts.Import(e.ctx, sec, e.orgs["A1"], true, "积分.xlsx", good())
		if err != nil || rep.Invalid != 0 || rep.Applied || e.count(`SELECT COUNT(*) FROM points_entries`) != 0 {
			t.Fatalf("dry run: %+v %v", rep, err)
		}
		if _, err := e.pts.Import(e.ctx, e.secretary("A2"), e.orgs["A1"], false, "积分.xlsx", good()); status(err) != 404 && status(err) != 403 {
			t.Errorf("another branch's secretary: %v", err)
		}
		rep, err = e.pts.Import(e.ctx, sec, e.orgs["A1"], false, "积分.xlsx", good())
		if err != nil || !rep.Applied || rep.Entries != 3 {
			t.Fatalf("import: %+v %v", rep, err)
		}
		if my := e.year("m1", 2026); my.item("volunteer").Points != 8 || my.Total != 68 {
			t.Errorf("m1 after the import: %d / %d", my.item("volunteer").Points, my.Total)
		}
		if my := e.year("m2", 2026); my.Earned != -5 || my.Entries[0].SourceKind != SourceImport {
			t.Errorf("m2 after the import: %+v", my.Entries)
		}
		e.assertRecount()
		// The caps count what was imported: a claim now gets nothing, and says why.
		if en := e.approve("m1", "volunteer", "2026-10-01"); en.Applied != 0 || !strings.Contains(en.Reason, "上限 8 分") {
			t.Errorf("after the import: %+v", en)
		}
		if n := e.count(`SELECT COUNT(*) FROM audit WHERE entity = 'points' AND action IN ('import', 'import_check')`); n != 3 {
			t.Errorf("audited %d imports", n)
		}
	})
}

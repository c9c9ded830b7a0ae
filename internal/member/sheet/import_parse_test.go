package sheet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/member"
	"dangjian/internal/org"
)

func testLayout(t testing.TB) (*layout, *branchIndex) {
	hdr := make([]string, len(Columns))
	for i, c := range Columns {
		hdr[i] = c.Header
	}
	l, ok := findLayout(1, hdr)
	if !ok {
		t.Fatal("template header not recognised")
	}
	root := &org.Ref{ID: 7, Path: "/1/7/", Name: "中共和平社区第一支部委员会", Kind: org.Branch, Live: true}
	bx := newBranchIndex(root)
	bx.addBranch(root, "和平一支部")
	bx.addGroup(7, 8, "第一党小组", "")
	return l, bx
}

func TestParseDate(t *testing.T) {
	xl := sheetDates{serials: true}
	for in, want := range map[string]string{
		"2006-01-02": "2006-01-02", "2006/1/2": "2006-01-02", "2006.01.02": "2006-01-02", "20060102": "2006-01-02",
		"2006年1月2日": "2006-01-02", "2006-1-2": "2006-01-02", "2006-01-02T00:00:00Z": "2006-01-02", "2006-01-02 00:00:00": "2006-01-02",
		"38719": "2006-01-02", "38719.5": "2006-01-02", "2006-02-30": "2006-02-30", "20060230": "20060230", "昨天": "昨天", "": "",
	} {
		if got := parseDate(in, xl); got != want {
			t.Errorf("parseDate(%q) = %q, want %q", in, got, want)
		}
	}
	if got := parseDate("38719", sheetDates{}); got != "38719" {
		t.Errorf("a CSV has no date serials: %q", got)
	}
	if got := parseDate("37257", sheetDates{serials: true, date1904: true}); got != "2006-01-02" {
		t.Errorf("1904 date system: %q", got)
	}
}

func TestHeaderAliases(t *testing.T) {
	l, ok := findLayout(1, []string{" 姓　名 ", "身份证号码", "联系电话", "转为正式党员日期", "所在支部", "*民族", "入党日期(必填)", "人员类别", "序号", "备注"})
	if !ok {
		t.Fatal("not a header")
	}
	for field, i := range map[string]int{"name": 0, "id_number": 1, "phone": 2, "full_date": 3, "org_id": 4, "ethnicity": 5, "join_date": 6, "category": 7} {
		if l.pos[field] != i {
			t.Errorf("%s at %d, want %d", field, l.pos[field], i)
		}
	}
	if len(l.unknown) != 1 || l.unknown[0] != "备注" {
		t.Errorf("unknown %q", l.unknown)
	}
	if is := l.fileIssues(true); len(is) != 0 {
		t.Errorf("issues %v", is)
	}
}

func TestCSVEncodingDetection(t *testing.T) {
	dir := t.TempDir()
	cases := map[string][]byte{
		"utf8":    []byte("姓名,民族\n张三,汉族\n"),
		"bom":     append([]byte("\ufeff"), []byte("姓名,民族\n张三,汉族\n")...),
		"gb18030": {0xD0, 0xD5, 0xC3, 0xFB, ',', 0xC3, 0xF1, 0xD7, 0xE5, '\n', 0xD5, 0xC5, 0xC8, 0xFD, ',', 0xBA, 0xBA, 0xD7, 0xE5, '\n'},
		"tabs":    []byte("姓名\t民族\n张三\t汉族\n"),
	}
	for name, data := range cases {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		src, err := openCSV(p)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for src.Next() {
			n, cells := src.Row()
			got = append(got, strings.Join(cells, "|")+"@"+string(rune('0'+n)))
		}
		src.Close()
		if strings.Join(got, " ") != "姓名|民族@1 张三|汉族@2" {
			t.Errorf("%s: %q (%v)", name, got, src.Err())
		}
	}
	// A chunk boundary inside a UTF-8 character is still UTF-8.
	if !validUTF8Prefix([]byte("姓名")[:5]) || validUTF8Prefix([]byte{0xD0, 0xD5, 0xC3, 0xFB}) {
		t.Error("validUTF8Prefix")
	}
}

// FuzzParseRow: whatever the cells hold, parsing never panics, and a row either yields
// valid fields or issues that each name a field, the row and the column.
func FuzzParseRow(f *testing.F) {
	l, bx := testLayout(f)
	seeds := []string{
		"张三\x1f男\x1f汉族\x1f11010519491231002X\x1f\x1f大学本科\x1f\x1f正式党员\x1f\x1f\x1f1975-07-01\x1f1976-07-01\x1f\x1f13800001111\x1f\x1f",
		"张三\x1f\x1f01\x1f11010519491231002x\x1f1949/12/31\x1f\x1f\x1fprobationary\x1f和平一支部\x1f第一党小组\x1f20200101",
		"\x1f\x1f\x1f\x1f\x1f",
		"李\x1f女\x1f火星\x1f123\x1f99999\x1f博士\x1f\x1f预备\x1f不存在\x1f第九组\x1f1900.1.1\x1f2026年13月1日",
		strings.Repeat("\x1f", 300),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		cells := strings.Split(s, "\x1f")
		if len(cells) > maxCells {
			cells = cells[:maxCells]
		}
		p := l.parseRow(5, cells, bx, sheetDates{serials: true}, "2026-11-22")
		if len(p.Issues) == 0 {
			if member.CheckID(p.F.IDNumber) != member.IDOK || !isDate(p.F.BirthDate) || !isDate(p.F.JoinDate) || !member.Sexes.Valid(p.F.Sex) ||
				!member.Categories.Valid(p.F.Category) || !member.Ethnicities.Valid(p.F.Ethnicity) || !member.Statuses.Valid(p.F.Status) || p.F.OrgID != 7 || p.Branch == nil {
				t.Fatalf("accepted invalid fields %+v from %q", p.F, cells)
			}
			if is := p.F.Validate("2026-11-22"); len(is) != 0 {
				t.Fatalf("accepted fields that do not validate: %v", is)
			}
			return
		}
		for _, is := range p.Issues {
			if is.Field == "" || is.Row != 5 || is.Column == "" || is.Msg.Key == "" {
				t.Fatalf("issue without field, row or column: %+v", is)
			}
		}
	})
}

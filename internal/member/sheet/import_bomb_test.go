package sheet_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"unicode/utf8"

	"dangjian/internal/member/sheet"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// repeatReader yields n copies of b, so a huge part is made without holding it.
type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := int(min(int64(len(p)), r.n))
	for i := range p[:k] {
		p[i] = r.b
	}
	r.n -= int64(k)
	return k, nil
}

// withSharedStrings rewrites a real workbook so that its shared strings start with one
// string of n bytes, streamed into the zip. declared, when not zero, is the size the part's
// header states instead of the real one.
func withSharedStrings(t *testing.T, book []byte, n, declared int64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "xl/sharedStrings.xml" {
			if err := zw.Copy(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		rc, _ := f.Open()
		orig, _ := io.ReadAll(rc)
		rc.Close()
		i := bytes.Index(orig, []byte("<si>"))
		content := io.MultiReader(bytes.NewReader(orig[:i]), strings.NewReader("<si><t>"), &repeatReader{b: 'A', n: n},
			strings.NewReader("</t></si>"), bytes.NewReader(orig[i:]))
		// Deflate it aside, counting the size and the CRC, then store it raw with the header we like.
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		crc := crc32.NewIEEE()
		size, err := io.Copy(io.MultiWriter(fw, crc), content)
		if err != nil {
			t.Fatal(err)
		}
		fw.Close()
		if declared != 0 {
			size = declared
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(size)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(comp.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// withParts adds n worksheet parts of size bytes of markup to a real workbook.
func withParts(t *testing.T, book []byte, n, size int) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	part := bytes.Repeat([]byte("<x/>"), size/4)
	for i := 0; i < n; i++ {
		w, err := zw.Create(fmt.Sprintf("xl/worksheets/extra%d.xml", i+1))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(part); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestImportBombs: a file crafted to cost memory or time (a zip bomb, a zip whose sizes lie,
// an endless cell or row) is refused with a 422 that names the file or the row, echoes
// nothing of the content, and changes nothing.
func TestImportBombs(t *testing.T) {
	good := xlsxOf(t, header, strRows(goodRow(1)))
	wide := make([]string, 300)
	copy(wide, header)
	for i := len(header); i < len(wide); i++ {
		wide[i] = "备注"
	}
	bigCSV := func(n int64) []byte {
		b, _ := io.ReadAll(io.MultiReader(strings.NewReader(strings.Join(header, ",")+"\n党员1,"), &repeatReader{b: 'x', n: n}, strings.NewReader("\n")))
		return b
	}
	cases := []struct {
		name string
		data []byte
		want string // the message, in Chinese
	}{
		// 300 MB of shared strings in a few hundred KB: refused at 100× the file.
		{"bomb.xlsx", withSharedStrings(t, good, 300<<20, 0), "文件“bomb.xlsx”解压后过大（其中 xl/sharedStrings.xml 超过"},
		// The header says 100 bytes; the part inflates to 2 MB.
		{"lie.xlsx", withSharedStrings(t, good, 2<<20, 100), "文件“lie.xlsx”中 xl/sharedStrings.xml 的内容与其声明的大小或校验值不符"},
		// The header says 10 GB (excelize would allocate that much up front).
		{"huge.xlsx", withSharedStrings(t, good, 1000, 10<<30), "文件“huge.xlsx”解压后过大（其中 xl/sharedStrings.xml 超过"},
		// One shared string of 600 KB, within the zip limits.
		{"cell.xlsx", withSharedStrings(t, good, 600<<10, 0), "文件“cell.xlsx”中有过长的单元格或过宽的行（xl/sharedStrings.xml）"},
		// 17 worksheets of 4 MB, each within the limits, that excelize would hold in memory.
		{"parts.xlsx", withParts(t, good, 17, 4<<20), "文件“parts.xlsx”解压后过大（其中 xl/worksheets/extra16.xml 超过 64MB）"},
		// 20 000 empty parts: archive/zip would allocate each before a byte is inflated.
		{"many.xlsx", withParts(t, good, 20000, 0), "文件“many.xlsx”包含的部件过多（超过10000个）"},
		{"wide.xlsx", xlsxOf(t, wide, nil), "文件“wide.xlsx”中有过长的单元格或过宽的行（xl/worksheets/sheet1.xml）"},
		// A CSV field of 8 MB is refused after reading about 128 KB of it.
		{"field.csv", bigCSV(8 << 20), "第2行：内容过长（每行不超过64KB）"},
		{"cell.csv", bigCSV(40 << 10), "第2行B列：内容过长（每个单元格不超过32KB）"},
	}
	if n := len(cases[0].data); n > 1<<20 {
		t.Fatalf("the bomb is %d bytes, not a small file", n)
	}
	t.Logf("bomb.xlsx: %d bytes inflating to 300 MB", len(cases[0].data))
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		before := e.digest(t)
		for _, c := range cases {
			for _, dry := range []bool{true, false} {
				_, err := e.importAs(auth.System(), e.B1.ID, c.name, c.data, dry, false, i18n.ZH)
				var he *httpx.Error
				if !errors.As(err, &he) || he.Status != 422 || len(he.Issues) != 1 || he.Issues[0].Field != "file" {
					t.Fatalf("%s: %v", c.name, err)
				}
				msg := he.Issues[0].Msg.Render(i18n.ZH)
				if !strings.HasPrefix(msg, c.want) || len(msg) > 400 || strings.Contains(msg, "AAAA") || strings.Contains(msg, "xxxx") {
					t.Errorf("%s: %q", c.name, msg)
				}
				if en := he.Issues[0].Msg.Render(i18n.EN); en == msg || en == "" {
					t.Errorf("%s: no English message: %q", c.name, en)
				}
			}
		}
		if got := e.digest(t); got != before {
			t.Errorf("refused files changed data: %s → %s", before, got)
		}
		// The import still reads the workbook the bombs were made from.
		if rep := e.mustImport(t, e.B1.ID, "good.xlsx", good, true, false); rep.ValidRows != 1 {
			t.Errorf("good workbook: %+v", rep)
		}
	})
}

// TestImportErrorValueClipped: a bad value is echoed as a short prefix, in the report and
// in its message.
func TestImportErrorValueClipped(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		long := strings.Repeat("很长的民族", 2000) // 10 000 characters, within the cell limit
		csv := strings.Join(header, ",") + "\n" + strings.Join(row(with(goodRow(1), "民族", long, "所在党支部", strings.Repeat("支", 5000))), ",") + "\n"
		rep := e.mustImport(t, e.B1.ID, "r.csv", []byte(csv), true, false)
		if rep.InvalidRows != 1 || len(rep.Errors) != 2 {
			t.Fatalf("report %+v", rep)
		}
		for _, x := range rep.Errors {
			if n := utf8.RuneCountInString(x.Value); n > 51 || !strings.HasSuffix(x.Value, "…") {
				t.Errorf("%s: value of %d characters echoed", x.Field, n)
			}
			if len(x.Message) > 400 {
				t.Errorf("%s: message of %d bytes: %.80s…", x.Field, len(x.Message), x.Message)
			}
		}
	})
}

// TestImportCommitsInBatches: an import gives the database's writer up between batches, so
// a login issued during it completes while rows are still to come; a batch that fails (a
// concurrent import took one of its ID numbers) takes the batches committed before it out
// again, so the import stays all or nothing.
func TestImportCommitsInBatches(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		if _, err := e.app.Auth.CreateUser(e.ctx, auth.System(), auth.NewUser{Username: "viewer", DisplayName: "viewer", Password: testPassword}); err != nil {
			t.Fatal(err)
		}
		e.app.Sheets.ImportBatch = 2
		file := func(from int) []byte {
			var rows []map[string]string
			for i := from; i < from+9; i++ {
				rows = append(rows, goodRow(i))
			}
			return xlsxOf(t, header, strRows(rows...))
		}
		var between []int
		loginSaw := -1 // members on the roster when the login's session was written
		sheet.SetAfterBatch(e.app.Sheets, func(done int) {
			between = append(between, done)
			if n := d.WritersInUse(); n != 0 {
				t.Errorf("between batches (%d rows in) the import holds %d writer connections", done, n)
			}
			if done == 4 {
				if _, err := e.app.Auth.Login(e.ctx, "viewer", testPassword, "127.0.0.1", "test"); err != nil {
					t.Errorf("login during the import: %v", err)
				}
				loginSaw = e.count(t, `SELECT COUNT(*) FROM members`)
			}
		})
		rep := e.mustImport(t, e.B1.ID, "roster.xlsx", file(100), false, false)
		if !rep.Applied || rep.Created != 9 || fmt.Sprint(between) != "[2 4 6 8 9]" {
			t.Fatalf("created %d, batches ending at %v", rep.Created, between)
		}
		if loginSaw != 4 || e.count(t, `SELECT COUNT(*) FROM sessions`) != 1 {
			t.Errorf("the login completed with %d of 9 rows in", loginSaw)
		}

		before, stats := e.digest(t), e.stats(t, e.C)
		clash := xlsxOf(t, header, strRows(goodRow(206))) // row 7 of the next file, i.e. its 4th batch
		between = nil
		sheet.SetAfterBatch(e.app.Sheets, func(done int) {
			between = append(between, done)
			if done == 2 && len(between) == 1 {
				if r := e.mustImport(t, e.B1.ID, "other.xlsx", clash, false, false); r.Created != 1 {
					t.Errorf("the concurrent import: %+v", r)
				}
			}
		})
		rep = e.mustImport(t, e.B1.ID, "roster.xlsx", file(200), false, false)
		if rep.Applied || rep.Created != 0 || len(rep.Errors) != 1 || rep.Errors[0].Row != 8 || !strings.Contains(strings.Join(rep.Warnings, ""), "导入期间数据发生变化，已全部撤销") {
			t.Fatalf("report %+v", rep)
		}
		if got := e.stats(t, e.C).MembersTotal; got != stats.MembersTotal+1 {
			t.Errorf("members total %d → %d; only the concurrent import's member should remain", stats.MembersTotal, got)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM members`); n != 9+1 {
			t.Errorf("%d members", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit WHERE action = 'import_undone' AND entity = 'member'`); n != 6 {
			t.Errorf("%d members taken out", n)
		}
		if e.count(t, `SELECT COALESCE(SUM(direct_members), 0) FROM orgs`) != 10 || e.digest(t) == before {
			t.Errorf("direct counts or digest: %s → %s", before, e.digest(t))
		}
	})
}

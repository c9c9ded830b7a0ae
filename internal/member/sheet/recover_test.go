package sheet_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/member/sheet"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/i18n"
)

// An import stopped between its batches as by a crash (no undo ran) is undone by
// RecoverImports: the roster, the direct counts and the rollups are as before it, and equal
// to a recount. A finished import is left alone.
func TestRecoverHalfAppliedImport(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		if d.Dialect() != db.SQLite {
			t.Skip("on PostgreSQL an import is one transaction; recovery is SQLite's")
		}
		e := newEnv(t, d)
		e.app.Sheets.ImportBatch = 2
		file := func(from int) []byte {
			var rows []map[string]string
			for i := from; i < from+9; i++ {
				rows = append(rows, goodRow(i))
			}
			return xlsxOf(t, header, strRows(rows...))
		}
		if rep := e.mustImport(t, e.B1.ID, "kept.xlsx", file(100), false, false); rep.Created != 9 {
			t.Fatalf("first import: %+v", rep)
		}
		before := fmt.Sprintf("%+v", *e.stats(t, e.C))
		sheet.SetAfterBatch(e.app.Sheets, func(done int) {
			if done == 6 {
				panic("crash") // the process dies: no undo, no last audit entry
			}
		})
		func() {
			defer func() { _ = recover() }()
			_, _ = e.importAs(auth.System(), e.B1.ID, "crashed.xlsx", file(200), false, false, i18n.ZH)
			t.Fatal("the import did not stop")
		}()
		sheet.SetAfterBatch(e.app.Sheets, nil)
		if n := e.count(t, `SELECT COUNT(*) FROM members`); n != 15 {
			t.Fatalf("after the crash %d members, want 9 + 6 committed", n)
		}
		n, err := e.app.Sheets.RecoverImports(e.ctx, importNow)
		if err != nil || n != 1 {
			t.Fatalf("recover: %d %v, want 1 import undone", n, err)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM members`); n != 9 {
			t.Errorf("after recovery %d members, want 9", n)
		}
		if n := e.count(t, `SELECT COUNT(*) FROM audit WHERE action = 'import_undone' AND username = 'system'`); n != 6 {
			t.Errorf("%d import_undone entries by the system, want 6", n)
		}
		maintained := rollups(t, d)
		if _, err := e.app.Tree.Recount(e.ctx, d); err != nil {
			t.Fatal(err)
		}
		if recount := rollups(t, d); maintained != recount {
			t.Errorf("after recovery maintained %s, recount %s", maintained, recount)
		}
		if after := fmt.Sprintf("%+v", *e.stats(t, e.C)); after != before {
			t.Errorf("statistics after recovery:\n%s\nbefore the import:\n%s", after, before)
		}
		if n, err := e.app.Sheets.RecoverImports(e.ctx, importNow); err != nil || n != 0 {
			t.Errorf("second recovery: %d %v, want nothing to do", n, err)
		}
		if got := fmt.Sprint(e.count(t, `SELECT COUNT(*) FROM job_runs WHERE name = 'member-import' AND finished_at IS NULL`)); got != "0" {
			t.Errorf("%s import markers left unfinished", got)
		}
	})
}

// rollups is every non-zero rollup row, one per line (a recount drops rows that fell to 0).
func rollups(t *testing.T, d *db.DB) string {
	t.Helper()
	rows, err := db.All(context.Background(), d, `SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0 ORDER BY org_id, dim, key`, nil,
		func(r db.Scanner) (string, error) {
			var id, n int64
			var dim, key string
			err := r.Scan(&id, &dim, &key, &n)
			return fmt.Sprint(id, dim, key, n), err
		})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, "\n")
}

package sheet_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/member"
	"dangjian/internal/member/sheet"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// writeBigRoster writes n valid rows spread over the given branches into an .xlsx file
// with excelize's stream writer.
func writeBigRoster(b *testing.B, path string, n int, branches []string) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	hdr := make([]any, len(header))
	for i, h := range header {
		hdr[i] = h
	}
	if err := sw.SetRow("A1", hdr); err != nil {
		b.Fatal(err)
	}
	start := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		birth := start.AddDate(0, 0, i%18000)
		first := fmt.Sprintf("330602%s%03d", birth.Format("20060102"), (i/18000)*2+1)
		id := first + string(member.IDCheckChar(first))
		join := birth.AddDate(25, 0, 0).Format("2006-01-02")
		full := birth.AddDate(26, 0, 0).Format("2006-01-02")
		row := []any{"党员" + strconv.Itoa(i), "男", "汉族", id, birth.Format("2006-01-02"), "大学本科", "浙江绍兴", "正式党员",
			branches[i%len(branches)], "", join, full, "社区工作者", fmt.Sprintf("138%08d", i), "和平路" + strconv.Itoa(i) + "号", "在册"}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		b.Fatal(err)
	}
}

func vmHWM() string {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "?"
}

// BenchmarkImport100k imports 100,000 valid rows from an .xlsx into SQLite: a dry run
// (pass 1) then a real run (both passes), reporting their times and the peak heap.
func BenchmarkImport100k(b *testing.B) {
	n := 100_000
	if v, err := strconv.Atoi(os.Getenv("DANGJIAN_BENCH_ROWS")); err == nil && v > 0 {
		n = v
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		d := db.OpenTest(b, db.SQLite)
		e := newEnv(b, d)
		// DANGJIAN_BENCH_BATCH sets the rows per transaction (compare with one transaction).
		e.app.Sheets.ImportBatch, _ = strconv.Atoi(os.Getenv("DANGJIAN_BENCH_BATCH"))
		var names []string
		for k := 0; k < 20; k++ {
			o, err := e.app.Orgs.Create(e.ctx, auth.System(), org.Fields{ParentID: e.C.ID, Name: fmt.Sprintf("中共测试第%d支部委员会", k), Kind: org.Branch, Field: "community", Secretary: "书记"})
			if err != nil {
				b.Fatal(err)
			}
			names = append(names, o.Name)
		}
		path := filepath.Join(b.TempDir(), "big.xlsx")
		writeBigRoster(b, path, n, names)
		st, _ := os.Stat(path)
		runtime.GC()
		var peak uint64
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ms runtime.MemStats
			for {
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapInuse)
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
				}
			}
		}()
		b.StartTimer()
		t0 := time.Now()
		f, _ := os.Open(path)
		rep, err := e.app.Sheets.Import(e.ctx, auth.System(), sheet.ImportOptions{OrgID: e.C.ID, DryRun: true, Filename: "big.xlsx"}, f)
		f.Close()
		if err != nil || rep.ValidRows != n {
			b.Fatalf("dry run: %v %+v", err, rep)
		}
		dry := time.Since(t0)
		t1 := time.Now()
		f, _ = os.Open(path)
		rep, err = e.app.Sheets.Import(e.ctx, auth.System(), sheet.ImportOptions{OrgID: e.C.ID, Filename: "big.xlsx"}, f)
		f.Close()
		if err != nil || rep.Created != n {
			b.Fatalf("import: %v %+v", err, rep)
		}
		real := time.Since(t1)
		b.StopTimer()
		close(stop)
		wg.Wait()
		b.ReportMetric(dry.Seconds(), "s-dry-run")
		b.ReportMetric(real.Seconds(), "s-import")
		b.ReportMetric(float64(peak)/(1<<20), "MiB-peak-heap")
		b.Logf("file %.1f MiB; dry run %s, import %s; peak heap in use %.0f MiB; VmHWM %s", float64(st.Size())/(1<<20), dry, real, float64(peak)/(1<<20), vmHWM())
	}
}

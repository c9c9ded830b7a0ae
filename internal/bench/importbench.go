package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/member"
	"dangjian/internal/member/sheet"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// ImportRows is the size of the imported workbook.
const ImportRows = 100000

// writeWorkbook writes n valid new members (region 650102, not used by the demo, so no
// number collides with the roster) to an .xlsx file with excelize's stream writer.
func writeWorkbook(path string, n int, today time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	header := []any{"姓名", "民族", "公民身份号码", "学历", "人员类别", "入党日期", "转正日期", "手机号码", "家庭住址"}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	r := rand.New(rand.NewPCG(42, 43))
	sur := []rune("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华")
	seq := map[string]int{}
	for i := 0; i < n; i++ {
		age := 25 + r.IntN(40)
		birth := today.AddDate(-age, 0, -r.IntN(365))
		male := r.IntN(10) < 7
		key := birth.Format("20060102")
		if male {
			key += "m"
		}
		s := seq[key]
		seq[key] = s + 1
		sx := 2 * r.IntN(5)
		if male {
			sx++
		}
		id := "650102" + birth.Format("20060102") + fmt.Sprintf("%02d", s%100) + strconv.Itoa(sx)
		if s >= 100 { // keep unique: use the next region code of the same city
			id = "650103" + id[6:16] + strconv.Itoa(sx)
		}
		id += string(member.IDCheckChar(id))
		join := birth.AddDate(22+r.IntN(8), 0, r.IntN(300))
		full := join.AddDate(1, 0, r.IntN(10))
		cat, fullS := "正式党员", full.Format("2006-01-02")
		if !full.Before(today) {
			join = today.AddDate(0, 0, -100)
			cat, fullS = "预备党员", ""
		}
		name := string(sur[r.IntN(len(sur))]) + string(given[r.IntN(len(given))]) + string(given[r.IntN(len(given))])
		phone := "139" + fmt.Sprintf("%08d", r.IntN(100000000))
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, []any{name, "汉族", id, "大学本科", cat, join.Format("2006-01-02"), fullS, phone, "示范区城南街道幸福路" + strconv.Itoa(1+r.IntN(200)) + "号"}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// memSampler records the peak heap in use while running.
type memSampler struct {
	stop chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

func startSampler() *memSampler {
	m := &memSampler{stop: make(chan struct{})}
	m.wg.Add(1)
	go func() {
		defer m.wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			m.peak = max(m.peak, ms.HeapInuse)
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *memSampler) Stop() uint64 { close(m.stop); m.wg.Wait(); return m.peak }

func vmHWM() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "?"
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			return strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:"))
		}
	}
	return "?"
}

// importBench imports 100,000 rows into one branch: into a copy of the file on SQLite (the
// bench database stays as loaded), into the database itself on PostgreSQL (run it last).
func importBench(ctx context.Context, d *db.DB, opt Options, say func(string, ...any)) (*Row, []string, error) {
	tmp, err := os.MkdirTemp("", "dangjian-bench-")
	if err != nil {
		return nil, nil, err
	}
	defer os.RemoveAll(tmp)
	today, _ := time.Parse("2006-01-02", clock.Today(time.Now()))
	wb := filepath.Join(tmp, "import.xlsx")
	t0 := time.Now()
	if err := writeWorkbook(wb, ImportRows, today); err != nil {
		return nil, nil, err
	}
	st, _ := os.Stat(wb)
	say("  workbook of %d rows written in %s (%.1f MB)", ImportRows, time.Since(t0).Round(time.Millisecond), float64(st.Size())/1e6)
	target := d
	var notes []string
	if d.Dialect() == db.SQLite {
		if _, err := d.Exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
			return nil, nil, err
		}
		cp := filepath.Join(tmp, "copy.db")
		t := time.Now()
		if err := copyFile(strings.TrimPrefix(opt.DSN, "sqlite:"), cp); err != nil {
			return nil, nil, err
		}
		say("  database copied in %s", time.Since(t).Round(time.Millisecond))
		if target, err = db.Open(ctx, cp); err != nil {
			return nil, nil, err
		}
		defer target.Close()
		notes = append(notes, "import: into a copy of the SQLite file; the bench database is unchanged")
	} else {
		notes = append(notes, "import: into the PostgreSQL database itself (it now has 100,000 more members in one branch)")
	}
	var branch int64
	var branchName string
	if err := target.QueryRow(ctx, `SELECT id, name FROM orgs WHERE kind = 'branch' AND dissolved_at IS NULL ORDER BY id DESC LIMIT 1`).Scan(&branch, &branchName); err != nil {
		return nil, nil, err
	}
	store := &sheet.Store{Members: &member.Store{DB: target, Clock: clock.System{}}, Dir: tmp}
	file, err := os.Open(wb)
	if err != nil {
		return nil, nil, err
	}
	defer file.Close()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	ms := startSampler()
	t := time.Now()
	rep, err := store.Import(ctx, auth.System(), sheet.ImportOptions{OrgID: branch, Filename: "import.xlsx"}, file)
	el := time.Since(t)
	peak := ms.Stop()
	if err != nil {
		return nil, nil, fmt.Errorf("import: %w", err)
	}
	if !rep.Applied || rep.Created != ImportRows {
		return nil, nil, fmt.Errorf("import not applied: %d created, %d invalid, first errors %v", rep.Created, rep.InvalidRows, first(rep.Errors, 3))
	}
	r := &Row{Name: "import 100,000 rows (.xlsx) into one branch, applied", N: 1, P50: el, P90: el, P99: el,
		Note: fmt.Sprintf("%.0f rows/s; peak heap in use %.0f MB (%.0f MB before); process VmHWM %s",
			float64(ImportRows)/el.Seconds(), float64(peak)/1e6, float64(before.HeapInuse)/1e6, vmHWM())}
	return r, notes, nil
}

func first[T any](xs []T, n int) []T { return xs[:min(n, len(xs))] }

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

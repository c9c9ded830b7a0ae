package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/member"
	"dangjian/internal/member/sheet"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/server"
)

// TestMain lets the crash test run the real command in a child process: the test binary
// re-executed with DANGJIAN_TEST_CHILD=1 is `dangjian` with the arguments after it.
func TestMain(m *testing.M) {
	if os.Getenv("DANGJIAN_TEST_CHILD") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

const crashPassword = "Crash-test-密码-2026"

// crashFixture is the tree of the crash test: R holds S1 (a 党总支 whose branch M has the
// members a move carries along, and whose branch B is where the import goes) and S2 (where
// S1 moves): the move rewrites the paths of members the import has just written.
type crashFixture struct {
	dsn, dataDir string
	R, S1, S2, B *org.Org
	moved        int // members under S1
}

func TestCrashMidImportAndMove(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		crashMidImportAndMove(t, filepath.Join(dir, "crash.db"), filepath.Join(dir, "data"))
	})
	t.Run("postgres", func(t *testing.T) {
		dsn := scratchPG(t, "crash")
		if dsn == "" {
			t.Skip("DANGJIAN_TEST_POSTGRES not set")
		}
		crashMidImportAndMove(t, dsn, filepath.Join(t.TempDir(), "data"))
	})
}

// crashMidImportAndMove starts a real server, applies a large import and, while it is
// being written, moves a subtree; kills the server with SIGKILL; starts it again and finds
// nothing of the import, the move whole or absent, and the rollups equal to a recount.
func crashMidImportAndMove(t *testing.T, dsn, dataDir string) {
	ctx := context.Background()
	f := setUpCrash(t, dsn, dataDir)
	roster := crashRoster(t, 8000, f.B.Name)

	srv := startServe(t, f)
	c := srv.login(t)
	imported := make(chan string, 1)
	go func() {
		imported <- c.upload(fmt.Sprintf("/api/v1/members/import?org=%d&dry_run=false", f.B.ID), roster)
	}()

	probe, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	waitFor(t, imported, func() bool { return importWriting(t, probe) })
	moved := make(chan string, 1)
	go func() {
		moved <- c.post(fmt.Sprintf("/api/v1/orgs/%d/move", f.S1.ID), map[string]any{"parent_id": f.S2.ID})
	}()
	if probe.Dialect() == db.Postgres {
		// Killed with both transactions open: the move's has written too.
		waitFor(t, moved, func() bool { return writers(t, probe) >= 2 })
	} else {
		// SQLite: the move takes the writer between two of the import's batches; killed once
		// it has answered, the import still running, so recovery undoes members it moved.
		select {
		case a := <-moved:
			if !strings.HasPrefix(a, "200") {
				t.Fatalf("move: %s", a)
			}
		case a := <-imported:
			t.Fatalf("the import finished before the move: %s", a)
		}
	}
	srv.kill(t)
	var partial int
	if err := probe.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE org_id = ?`, f.B.ID).Scan(&partial); err != nil {
		t.Fatal(err)
	}
	if probe.Dialect() == db.SQLite && partial == 0 {
		t.Fatal("no batch of the import had committed: the test would prove nothing")
	}
	probe.Close()
	t.Logf("killed with %d imported members committed (SQLite commits batches of 1,000; PostgreSQL one transaction)", partial)

	again := startServe(t, f)
	if partial > 0 && !strings.Contains(again.banner, "undid 1 import") {
		t.Errorf("the restart did not say it undid the import:\n%s", again.banner)
	}
	again.stop(t)
	checkAfterCrash(t, f)
}

// setUpCrash creates the tree and, by an import in-process, the members the move carries.
func setUpCrash(t *testing.T, dsn, dataDir string) *crashFixture {
	ctx := context.Background()
	app, err := openApp(ctx, dsn, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer app.DB.Close()
	sys := auth.System()
	mk := func(parent *org.Org, kind org.Kind, name string) *org.Org {
		var pid int64
		if parent != nil {
			pid = parent.ID
		}
		o, err := app.Orgs.Create(ctx, sys, org.Fields{ParentID: pid, Name: name, Kind: kind, Field: "community", Secretary: "书记"})
		if err != nil {
			t.Fatalf("create %s: %v", name, err)
		}
		return o
	}
	f := &crashFixture{dsn: dsn, dataDir: dataDir}
	f.R = mk(nil, org.Committee, "中共崩溃测试区委员会")
	f.S1 = mk(f.R, org.GeneralBranch, "中共东片党总支委员会")
	m := mk(f.S1, org.Branch, "中共东片第一支部委员会")
	f.S2 = mk(f.R, org.Committee, "中共西片街道工作委员会")
	f.B = mk(f.S1, org.Branch, "中共导入测试支部委员会")
	var csv strings.Builder
	csv.WriteString(strings.Join(sheet.ExportHeader()[:16], ",") + "\n")
	f.moved = 1500
	for i := 0; i < f.moved; i++ {
		csv.WriteString(strings.Join(rosterRow(100000+i, m.Name), ",") + "\n")
	}
	rep, err := app.Sheets.Import(ctx, sys, sheet.ImportOptions{OrgID: f.R.ID, Filename: "moved.csv"}, strings.NewReader(csv.String()))
	if err != nil || rep.Created != f.moved {
		t.Fatalf("seed import: %v %+v", err, rep)
	}
	return f
}

// rosterRow is a valid row of the template's 16 columns; seq makes the ID number unique.
func rosterRow(seq int, branch string) []string {
	birth := time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, seq%18000)
	first := fmt.Sprintf("330602%s%03d", birth.Format("20060102"), (seq/18000)*2+1)
	id := first + string(member.IDCheckChar(first))
	return []string{"党员" + strconv.Itoa(seq), "男", "汉族", id, birth.Format("2006-01-02"), "大学本科", "浙江绍兴", "正式党员",
		branch, "", birth.AddDate(25, 0, 0).Format("2006-01-02"), birth.AddDate(26, 0, 0).Format("2006-01-02"),
		"社区工作者", fmt.Sprintf("138%08d", seq), "和平路" + strconv.Itoa(seq) + "号", "在册"}
}

// crashRoster is an .xlsx of n valid rows into branch, written with excelize.
func crashRoster(t *testing.T, n int, branch string) []byte {
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	row := func(i int, cells []string) {
		vals := make([]any, len(cells))
		for j, c := range cells {
			vals[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i)
		if err := sw.SetRow(cell, vals); err != nil {
			t.Fatal(err)
		}
	}
	row(1, sheet.ExportHeader()[:16])
	for i := 0; i < n; i++ {
		row(i+2, rosterRow(i, branch))
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// importWriting tells whether the import's members are being written: on SQLite a batch
// has committed; on PostgreSQL (one transaction) a transaction holds a write lock on members.
func importWriting(t *testing.T, probe *db.DB) bool {
	if probe.Dialect() == db.Postgres {
		return writers(t, probe) >= 1
	}
	var n int
	if err := probe.QueryRow(context.Background(), `SELECT COUNT(*) FROM members`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 1500
}

// writers counts the other PostgreSQL sessions holding a write lock on one of the tables the
// import and the move write: 1 while the import's transaction runs, 2 once the move's has
// written too (neither committed: the import would have answered).
func writers(t *testing.T, probe *db.DB) int {
	var n int
	if err := probe.QueryRow(context.Background(), `SELECT COUNT(DISTINCT l.pid) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
		WHERE c.relname IN ('members', 'orgs', 'org_stats') AND l.mode = 'RowExclusiveLock' AND l.pid <> pg_backend_pid()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond until it holds; the request must not have answered first (then the
// kill would come too late to test anything).
func waitFor(t *testing.T, answered chan string, cond func() bool) {
	deadline := time.Now().Add(40 * time.Second)
	for !cond() {
		select {
		case a := <-answered:
			t.Fatalf("the request finished before the kill: %s", a)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the write never started")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// checkAfterCrash opens the database after the restart: nothing of the import, the move
// whole or not at all, paths consistent, rollups equal to a recount.
func checkAfterCrash(t *testing.T, f *crashFixture) {
	ctx := context.Background()
	d, err := openDB(ctx, f.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := d.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT COUNT(*) FROM members WHERE org_id = ?`, f.B.ID); n != 0 {
		t.Errorf("%d members of the killed import remain", n)
	}
	if n := count(`SELECT COUNT(*) FROM members`); n != f.moved {
		t.Errorf("%d members, want the %d from before", n, f.moved)
	}
	var parent int64
	if err := d.QueryRow(ctx, `SELECT parent_id FROM orgs WHERE id = ?`, f.S1.ID).Scan(&parent); err != nil {
		t.Fatal(err)
	}
	moves := count(`SELECT COUNT(*) FROM audit WHERE action = 'move'`)
	switch {
	case parent == f.R.ID && moves == 0:
		t.Log("the move had not committed: not applied")
	case parent == f.S2.ID && moves == 1:
		t.Log("the move had committed: applied whole")
	default:
		t.Errorf("S1 under %d with %d move entries in the audit: half a move", parent, moves)
	}
	if n := count(`SELECT COUNT(*) FROM orgs o JOIN orgs p ON p.id = o.parent_id WHERE o.path <> p.path || CAST(o.id AS TEXT) || '/'`); n != 0 {
		t.Errorf("%d organizations' paths disagree with their parent's", n)
	}
	if n := count(`SELECT COUNT(*) FROM members m JOIN orgs o ON o.id = m.org_id WHERE m.org_path <> o.path`); n != 0 {
		t.Errorf("%d members' paths disagree with their branch's", n)
	}
	maintained := rollupRows(t, d)
	if _, err := server.New(d, clock.System{}, "").Tree.Recount(ctx, d); err != nil {
		t.Fatal(err)
	}
	if recount := rollupRows(t, d); maintained != recount {
		t.Errorf("rollups after the crash differ from a recount:\nmaintained %s\nrecount    %s", maintained, recount)
	}
}

func rollupRows(t *testing.T, d *db.DB) string {
	rows, err := db.All(context.Background(), d, `SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0 ORDER BY org_id, dim, key`, nil,
		func(r db.Scanner) (string, error) {
			var id, n int64
			var dim, key string
			err := r.Scan(&id, &dim, &key, &n)
			return fmt.Sprint(id, " ", dim, " ", key, " ", n), err
		})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, "; ")
}

// child is a `dangjian serve` process.
type child struct {
	cmd    *exec.Cmd
	url    string
	banner string // what it printed up to "serving"
}

func startServe(t *testing.T, f *crashFixture) *child {
	cmd := exec.Command(os.Args[0], "serve", "--db", f.dsn, "--data-dir", f.dataDir, "--addr", "127.0.0.1:0", "--jobs=false")
	cmd.Env = append(os.Environ(), "DANGJIAN_TEST_CHILD=1", "DANGJIAN_ADMIN_PASSWORD="+crashPassword, "DANGJIAN_LOG_LEVEL=error")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	sc := bufio.NewScanner(out)
	var banner strings.Builder
	for sc.Scan() {
		banner.WriteString(sc.Text() + "\n")
		if rest, ok := strings.CutPrefix(sc.Text(), "dangjian is serving "); ok {
			c.url, _, _ = strings.Cut(rest, " ")
			break
		}
	}
	if c.url == "" {
		t.Fatalf("serve did not start:\n%s", banner.String())
	}
	c.banner = banner.String()
	go func() { _, _ = io.Copy(io.Discard, out) }()
	return c
}

func (c *child) kill(t *testing.T) {
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = c.cmd.Wait()
}

func (c *child) stop(t *testing.T) {
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Wait(); err != nil {
		t.Fatalf("serve after the restart: %v", err)
	}
}

// client is a logged-in HTTP client of a child server.
type client struct {
	base string
	http *http.Client
}

func (c *child) login(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	cl := &client{base: c.url, http: &http.Client{Jar: jar, Timeout: 2 * time.Minute}}
	if a := cl.post("/api/v1/auth/login", map[string]string{"username": "admin", "password": crashPassword}); !strings.HasPrefix(a, "200") {
		t.Fatalf("login: %s", a)
	}
	return cl
}

// post sends a JSON body and answers "status body" (or the transport error).
func (c *client) post(path string, body any) string {
	b, _ := json.Marshal(body)
	return c.send(path, "application/json", bytes.NewReader(b))
}

func (c *client) upload(path string, data []byte) string {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	fw, _ := w.CreateFormFile("file", "roster.xlsx")
	_, _ = fw.Write(data)
	_ = w.Close()
	return c.send(path, w.FormDataContentType(), &b)
}

func (c *client) send(path, contentType string, body io.Reader) string {
	resp, err := c.http.Post(c.base+path, contentType, body)
	if err != nil {
		return "error " + err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 2000))
	return fmt.Sprint(resp.StatusCode, " ", string(b))
}

package main

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/member/sheet"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/files"
)

// TestPrivateFiles: with the process's start-up setting, the SQLite file and its -wal/-shm,
// uploads and import error workbooks are created readable by the server's account only.
func TestPrivateFiles(t *testing.T) {
	privateFiles()
	ctx := context.Background()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	dbFile := filepath.Join(dir, "db", "dangjian.db")
	app, err := openApp(ctx, dbFile, data)
	if err != nil {
		t.Fatal(err)
	}
	defer app.DB.Close()
	sys := auth.System()
	o, err := app.Orgs.Create(ctx, sys, org.Fields{Name: "中共测试区委员会", Kind: org.Committee, Field: "government"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := app.Orgs.Create(ctx, sys, org.Fields{ParentID: o.ID, Name: "中共测试支部委员会", Kind: org.Branch, Field: "community"})
	if err != nil {
		t.Fatal(err)
	}
	key := files.NewKey()
	if _, err := app.Life.Files.Put(ctx, key, strings.NewReader("会议记录")); err != nil {
		t.Fatal(err)
	}
	csv := "姓名,性别,民族,公民身份号码,出生日期,学历,籍贯,人员类别,所在党支部,党小组,入党日期,转正日期,工作岗位,手机号码,家庭住址,党籍状态\n" +
		"导入,男,汉族,330602198503030000,1985-03-03,大学本科,浙江绍兴,正式党员," + b.Name + ",,2010-07-01,2011-07-01,职员,13800002222,某地,在册\n"
	rep, err := app.Sheets.Import(ctx, sys, sheet.ImportOptions{OrgID: o.ID, Filename: "roster.csv", DryRun: true}, strings.NewReader(csv))
	if err != nil || rep.ErrorWorkbook == "" {
		t.Fatalf("import with a bad row: %v %+v", err, rep)
	}
	want := map[string]fs.FileMode{dbFile: 0o600, dbFile + "-wal": 0o600, dbFile + "-shm": 0o600, filepath.Dir(dbFile): 0o700,
		data: 0o700, rep.ErrorWorkbook: 0o600, filepath.Dir(rep.ErrorWorkbook): 0o700}
	found := 0
	_ = filepath.WalkDir(filepath.Join(data, "files"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(p, key) {
			want[p] = 0o600
			want[filepath.Dir(p)] = 0o700
			found++
		}
		return nil
	})
	if found != 1 {
		t.Fatalf("the upload not found under %s", data)
	}
	for p, mode := range want {
		st, err := os.Stat(p)
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s: %v, want %v", p, st.Mode().Perm(), mode)
		}
	}
}

// TestNoPasswordsFromServe: the demo command shows the demo password once, as it creates the
// accounts; what serve prints at every start names the accounts but never a password.
func TestNoPasswordsFromServe(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	const pw = "Demo-pass-7781"
	out := captureStdout(t, func() error {
		return demoCmd(context.Background(), []string{"--db", filepath.Join(dir, "demo.db"), "--members", "200", "--password", pw, "--data-dir", data})
	})
	if strings.Count(out, pw) < 5 { // one line per account
		t.Errorf("demo does not show the password it set:\n%s", out)
	}
	file, err := os.ReadFile(demoAccountsPath(filepath.Join(dir, "demo.db"), data))
	if err != nil {
		t.Fatal(err)
	}
	hint := loginHint("http://127.0.0.1:8080", demoAccountsPath(filepath.Join(dir, "demo.db"), data))
	for _, s := range []string{string(file), hint} {
		if strings.Contains(s, pw) {
			t.Errorf("a password is kept or printed by serve:\n%s", s)
		}
		for _, user := range []string{"admin", "jiedao", "shequ", "zhibu", "dangyuan"} {
			if !strings.Contains(s, user) {
				t.Errorf("account %s not named:\n%s", user, s)
			}
		}
	}
	if !strings.Contains(hint, "http://127.0.0.1:8080") || !strings.Contains(hint, "reset-password") {
		t.Errorf("serve does not say where and how to log in:\n%s", hint)
	}
}

// captureStdout runs fn and returns what it printed.
func captureStdout(t *testing.T, fn func() error) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	got := make(chan string)
	go func() {
		b, _ := io.ReadAll(r)
		got <- string(b)
	}()
	err = fn()
	os.Stdout = old
	w.Close()
	out := <-got
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return out
}

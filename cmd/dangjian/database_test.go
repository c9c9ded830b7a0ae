package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"dangjian/internal/platform/db"
)

// TestDemoAccountsPerDatabase: every database has its own list of demo accounts, so a demo in
// one never makes `serve` name the accounts of another; a SQLite database's list lies beside it.
func TestDemoAccountsPerDatabase(t *testing.T) {
	seen := map[string]string{}
	for _, dsn := range []string{"data/dangjian.db", "data/other.db", "/srv/x/dangjian.db", "sqlite:data/third.db",
		"postgres://postgres@127.0.0.1:5432/dangjian", "postgres://postgres@127.0.0.1:5433/dangjian",
		"postgres://postgres@127.0.0.1:5432/dangjian_2", "postgresql://u:p@db.example/dangjian?sslmode=require"} {
		p := demoAccountsPath(dsn, "data")
		if other, dup := seen[p]; dup {
			t.Errorf("%s and %s share %s", dsn, other, p)
		}
		seen[p] = dsn
		if !isPostgres(dsn) && filepath.Dir(p) != filepath.Dir(strings.TrimPrefix(dsn, "sqlite:")) {
			t.Errorf("%s: list at %s, not beside the database", dsn, p)
		}
	}
	if got, want := demoAccountsPath("postgres://postgres@127.0.0.1:5432/dangjian", "data"), filepath.Join("data", "demo-accounts.127.0.0.1-5432-dangjian.txt"); got != want {
		t.Errorf("PostgreSQL list at %s, want %s", got, want)
	}
}

// TestCreateDatabase: `demo` and `migrate` create a PostgreSQL database that does not exist yet
// (the README's commands work on a fresh server), and leave an existing one alone.
func TestCreateDatabase(t *testing.T) {
	base := os.Getenv("DANGJIAN_TEST_POSTGRES")
	if base == "" {
		t.Skip("DANGJIAN_TEST_POSTGRES not set")
	}
	ctx := context.Background()
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	name := "dj_createdb_" + hex.EncodeToString(b)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	dsn := u.String()
	if _, err := db.Open(ctx, dsn); err == nil {
		t.Fatalf("database %s exists before the test", name)
	}
	t.Cleanup(func() {
		admin, err := db.Open(ctx, base)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS "`+name+`" WITH (FORCE)`); err != nil {
			t.Error(err)
		}
	})
	out := captureStdout(t, func() error { return migrate(ctx, []string{"--db", dsn}) })
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("after migrate: %v\n%s", err, out)
	}
	var n int
	if err := d.QueryRow(ctx, "SELECT count(*) FROM orgs").Scan(&n); err != nil {
		t.Errorf("migrated schema: %v\n%s", err, out)
	}
	d.Close()
	if err := createDatabase(ctx, dsn); err != nil {
		t.Errorf("on an existing database: %v", err)
	}
}

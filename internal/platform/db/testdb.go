package db

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
)

// Engines lists the engines the test suite runs on: SQLite always, PostgreSQL when
// DANGJIAN_TEST_POSTGRES holds a URL (CI sets it).
func Engines() []Dialect {
	if os.Getenv("CI") == "true" && os.Getenv("DANGJIAN_TEST_POSTGRES") == "" {
		panic("CI must run the PostgreSQL tests: set DANGJIAN_TEST_POSTGRES")
	}
	if os.Getenv("DANGJIAN_TEST_POSTGRES") != "" {
		return []Dialect{SQLite, Postgres}
	}
	return []Dialect{SQLite}
}

// OpenTest opens a new, migrated, empty database of the given engine for one test: a file in
// the test's temp dir for SQLite, a schema of its own for PostgreSQL (dropped at cleanup), so
// tests and packages can run in parallel.
func OpenTest(t testing.TB, d Dialect) *DB {
	t.Helper()
	ctx := context.Background()
	var dsn string
	var schema string
	switch d {
	case SQLite:
		dsn = filepath.Join(t.TempDir(), "test.db")
	case Postgres:
		base := os.Getenv("DANGJIAN_TEST_POSTGRES")
		if base == "" {
			t.Skip("DANGJIAN_TEST_POSTGRES not set")
		}
		b := make([]byte, 6)
		_, _ = rand.Read(b)
		schema = "t_" + hex.EncodeToString(b)
		admin, err := Open(ctx, base)
		if err != nil {
			t.Fatalf("open postgres: %v", err)
		}
		if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			_, _ = admin.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
			admin.Close()
		})
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		dsn = u.String()
	default:
		t.Fatalf("unknown dialect %q", d)
	}
	database, err := Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { database.Close() })
	if _, err := database.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", d, err)
	}
	return database
}

// ForEachEngine runs f as a subtest per engine.
func ForEachEngine(t *testing.T, f func(t *testing.T, database *DB)) {
	for _, d := range Engines() {
		t.Run(string(d), func(t *testing.T) {
			f(t, OpenTest(t, d))
		})
	}
}

// Reopen opens the same database again with pools of its own, as a second server instance
// would (the two-instance tests).
func (db *DB) Reopen(ctx context.Context) (*DB, error) {
	if db.dialect == SQLite {
		return Open(ctx, "sqlite:"+db.dsn)
	}
	return Open(ctx, db.dsn)
}

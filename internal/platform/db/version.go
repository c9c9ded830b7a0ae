package db

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
)

// NewerSchemaError is what Migrate answers on a database that a newer binary migrated: it
// holds a migration this binary does not know, so running on it could misread or damage
// data the newer code wrote (no silent downgrade).
type NewerSchemaError struct {
	DB      int64   // the highest migration recorded in the database
	Binary  int64   // the highest migration this binary carries
	Unknown []int64 // the recorded migrations this binary does not carry
}

func (e *NewerSchemaError) Error() string {
	return fmt.Sprintf("数据库结构版本 %d 高于本程序支持的版本 %d（未知迁移 %v），请使用新版程序 / "+
		"the database schema is at version %d, newer than this binary's %d (unknown migrations %v): run the newer binary, or restore a backup taken before the upgrade",
		e.DB, e.Binary, e.Unknown, e.DB, e.Binary, e.Unknown)
}

// Known lists the migrations this binary carries for engine d, in order (from the names of
// the embedded files, 00023_inbox.sql → 23).
func Known(d Dialect) ([]int64, error) {
	ents, err := fs.ReadDir(migrations, "migrations/"+string(d))
	if err != nil {
		return nil, err
	}
	var out []int64
	for _, e := range ents {
		num, _, ok := strings.Cut(e.Name(), "_")
		if v, err := strconv.ParseInt(num, 10, 64); ok && err == nil && strings.HasSuffix(e.Name(), ".sql") {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out, nil
}

// CheckApplied refuses a list of applied migrations holding one this binary does not carry.
func CheckApplied(d Dialect, applied []int64) error {
	known, err := Known(d)
	if err != nil {
		return err
	}
	var unknown []int64
	for _, v := range applied {
		if !slices.Contains(known, v) {
			unknown = append(unknown, v)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return &NewerSchemaError{DB: slices.Max(applied), Binary: slices.Max(known), Unknown: unknown}
}

// Applied lists the migrations recorded in goose's own table, goose_db_version (none when
// the table does not exist yet: a new database).
func (db *DB) Applied(ctx context.Context) ([]int64, error) {
	exists := `SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'goose_db_version'`
	if db.dialect == Postgres {
		exists = `SELECT COUNT(*) FROM (SELECT to_regclass('goose_db_version') AS t) x WHERE t IS NOT NULL`
	}
	var n int
	if err := db.QueryRow(ctx, exists).Scan(&n); err != nil {
		return nil, fmt.Errorf("read the schema version: %w", err)
	}
	if n == 0 {
		return nil, nil
	}
	return All(ctx, db, `SELECT DISTINCT version_id FROM goose_db_version WHERE version_id > 0 ORDER BY version_id`, nil,
		func(r Scanner) (v int64, err error) { return v, r.Scan(&v) })
}

// SchemaVersion is the highest migration recorded in the database (0 on an empty one) and
// the highest this binary carries.
func (db *DB) SchemaVersion(ctx context.Context) (inDB, binary int64, err error) {
	applied, err := db.Applied(ctx)
	if err != nil {
		return 0, 0, err
	}
	known, err := Known(db.dialect)
	if err != nil {
		return 0, 0, err
	}
	if len(applied) > 0 {
		inDB = slices.Max(applied)
	}
	return inDB, slices.Max(known), nil
}

// provider is the goose provider over this engine's embedded migrations.
func (db *DB) provider() (*goose.Provider, error) {
	sub, err := fs.Sub(migrations, "migrations/"+string(db.dialect))
	if err != nil {
		return nil, err
	}
	gd := goose.DialectSQLite3
	if db.dialect == Postgres {
		gd = goose.DialectPostgres
	}
	return goose.NewProvider(gd, db.w, sub)
}

// checkNotNewer refuses a database holding a migration the binary does not carry. goose
// itself would run on it silently: it only looks for migrations of its own still missing.
func (db *DB) checkNotNewer(ctx context.Context) error {
	applied, err := db.Applied(ctx)
	if err != nil {
		return err
	}
	return CheckApplied(db.dialect, applied)
}

// OpenSnapshot opens a SQLite file read-only, changing nothing in it (not even its journal
// mode): a backup being checked.
func OpenSnapshot(ctx context.Context, path string) (*DB, error) {
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return nil, err
	}
	if err := c.PingContext(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return &DB{w: c, r: c, dialect: SQLite, dsn: path}, nil
}

package db

import (
	"context"
	"fmt"
	"io/fs"
	"slices"

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

// SchemaVersion is the highest migration recorded in the database (0 on an empty one) and
// the highest this binary carries.
func (db *DB) SchemaVersion(ctx context.Context) (inDB, binary int64, err error) {
	p, err := db.provider()
	if err != nil {
		return 0, 0, err
	}
	applied, err := db.appliedVersions(ctx, p)
	if err != nil {
		return 0, 0, err
	}
	if len(applied) > 0 {
		inDB = slices.Max(applied)
	}
	return inDB, knownMax(p), nil
}

// checkNotNewer refuses a database holding a migration the binary does not carry. goose
// itself would run on it silently: it only looks for migrations of its own still missing.
func (db *DB) checkNotNewer(ctx context.Context, p *goose.Provider) error {
	applied, err := db.appliedVersions(ctx, p)
	if err != nil {
		return err
	}
	known := map[int64]bool{}
	for _, s := range p.ListSources() {
		known[s.Version] = true
	}
	var unknown []int64
	for _, v := range applied {
		if !known[v] {
			unknown = append(unknown, v)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	return &NewerSchemaError{DB: slices.Max(applied), Binary: knownMax(p), Unknown: unknown}
}

// appliedVersions lists the migrations recorded in goose's own table (none on a new
// database; GetDBVersion creates the table when it is missing).
func (db *DB) appliedVersions(ctx context.Context, p *goose.Provider) ([]int64, error) {
	if _, err := p.GetDBVersion(ctx); err != nil {
		return nil, fmt.Errorf("read the schema version: %w", err)
	}
	return All(ctx, db, `SELECT DISTINCT version_id FROM goose_db_version WHERE version_id > 0 ORDER BY version_id`, nil,
		func(r Scanner) (v int64, err error) { return v, r.Scan(&v) })
}

func knownMax(p *goose.Provider) int64 {
	var m int64
	for _, s := range p.ListSources() {
		m = max(m, s.Version)
	}
	return m
}

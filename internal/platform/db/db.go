// Package db opens the SQLite or PostgreSQL database, runs the migrations and hides the
// few differences between the two engines from the domain packages (DESIGN principle 5).
// Domain SQL is written once with '?' placeholders; Rebind turns them into '$n' for PostgreSQL.
package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the engine behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

//go:embed migrations
var migrations embed.FS

// DB is the database. On SQLite, writes go through a single connection (SQLite has one
// writer anyway; queuing in Go beats busy-waiting in the driver) and reads through a pool.
type DB struct {
	w       *sql.DB
	r       *sql.DB
	dialect Dialect
	dsn     string
}

// withJITOff adds the runtime parameter jit=off to a PostgreSQL URL that does not set jit:
// this is short OLTP queries, and at a million members JIT spent 4.7 s compiling a 4.3 s count
// (PERFORMANCE.md). A URL that sets jit keeps its value.
func withJITOff(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return dsn // sql.Open reports the bad URL
	}
	q := u.Query()
	if q.Has("jit") {
		return dsn
	}
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// Open connects to dsn: a postgres:// URL, or a file path (optionally sqlite:path) for SQLite.
func Open(ctx context.Context, dsn string) (*DB, error) {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		pool, err := sql.Open("pgx", withJITOff(dsn))
		if err != nil {
			return nil, err
		}
		pool.SetMaxOpenConns(32)
		pool.SetMaxIdleConns(32)
		if err := pool.PingContext(ctx); err != nil {
			pool.Close()
			return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
		}
		return &DB{w: pool, r: pool, dialect: Postgres, dsn: dsn}, nil
	}
	path := strings.TrimPrefix(dsn, "sqlite:")
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, err
		}
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_pragma=cache_size(-65536)&_pragma=temp_store(memory)"
	w, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("open SQLite %s: %w", path, err)
	}
	r, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	return &DB{w: w, r: r, dialect: SQLite, dsn: path}, nil
}

// WritersInUse is how many writer connections are taken now. On SQLite it is 1 while a
// write transaction runs: tests show with it that a long job gives the writer up.
func (db *DB) WritersInUse() int { return db.w.Stats().InUse }

// Close closes both pools.
func (db *DB) Close() error {
	err := db.w.Close()
	if db.r != db.w {
		err = errors.Join(err, db.r.Close())
	}
	return err
}

// Dialect tells the engine.
func (db *DB) Dialect() Dialect { return db.dialect }

// Ping checks that the database answers (for /readyz).
func (db *DB) Ping(ctx context.Context) error { return db.r.PingContext(ctx) }

// Migrate brings the schema to the latest version and returns the versions applied. It
// refuses a database a newer binary migrated (NewerSchemaError).
func (db *DB) Migrate(ctx context.Context) ([]int64, error) {
	if err := db.checkNotNewer(ctx); err != nil {
		return nil, err
	}
	p, err := db.provider()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var done []int64
	for _, r := range res {
		done = append(done, r.Source.Version)
	}
	return done, nil
}

// Querier is what domain code runs SQL through: the DB itself (reads from the reader pool,
// each write in its own statement) or a Tx.
type Querier interface {
	Exec(ctx context.Context, q string, args ...any) (sql.Result, error)
	Query(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRow(ctx context.Context, q string, args ...any) *sql.Row
	Dialect() Dialect
}

func (db *DB) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return db.w.ExecContext(ctx, Rebind(db.dialect, q), args...)
}

func (db *DB) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return db.r.QueryContext(ctx, Rebind(db.dialect, q), args...)
}

func (db *DB) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return db.r.QueryRowContext(ctx, Rebind(db.dialect, q), args...)
}

// Tx is a write transaction; every statement in it, reads included, sees its own writes.
type Tx struct {
	tx      *sql.Tx
	conn    *sql.Conn // the connection the transaction runs on (Copy reaches pgx through it)
	dialect Dialect
}

func (t *Tx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, Rebind(t.dialect, q), args...)
}

func (t *Tx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, Rebind(t.dialect, q), args...)
}

func (t *Tx) QueryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, Rebind(t.dialect, q), args...)
}

func (t *Tx) Dialect() Dialect { return t.dialect }

// Lock holds the row of table with this id until the transaction ends, so writes that read
// figures before and after themselves (read, write, read again, add the difference) do not
// interleave. On PostgreSQL it is SELECT … FOR UPDATE; SQLite has one writer at a time, so
// a write transaction already holds everything. table is a constant of the caller, never input.
func (t *Tx) Lock(ctx context.Context, table string, id int64) error {
	if t.dialect != Postgres {
		return nil
	}
	var one int
	err := t.QueryRow(ctx, `SELECT 1 FROM `+table+` WHERE id = ? FOR UPDATE`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // nothing to hold: the caller answers for a missing row itself
	}
	return err
}

// Prepare prepares a statement for repeated use inside the transaction (bulk loads).
func (t *Tx) Prepare(ctx context.Context, q string) (*sql.Stmt, error) {
	return t.tx.PrepareContext(ctx, Rebind(t.dialect, q))
}

// InTx runs fn in a transaction, committing when it returns nil and rolling back otherwise.
func (db *DB) InTx(ctx context.Context, fn func(tx *Tx) error) error {
	return db.inTx(ctx, nil, fn)
}

// InSnapshotTx is InTx where every statement sees the same snapshot of the database (REPEATABLE
// READ on PostgreSQL; a SQLite write transaction already does, writers being serialized): a
// recount reads raw rows and the maintained figures as of one moment.
func (db *DB) InSnapshotTx(ctx context.Context, fn func(tx *Tx) error) error {
	if db.dialect != Postgres {
		return db.inTx(ctx, nil, fn)
	}
	return db.inTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead}, fn)
}

func (db *DB) inTx(ctx context.Context, opts *sql.TxOptions, fn func(tx *Tx) error) error {
	// The transaction runs on a connection of its own (as database/sql would pick one anyway)
	// so that Copy can reach the driver's connection inside it.
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	sqlTx, err := conn.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	if err := fn(&Tx{tx: sqlTx, conn: conn, dialect: db.dialect}); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	return sqlTx.Commit()
}

// Rebind rewrites '?' placeholders as '$1', '$2'… for PostgreSQL, leaving quoted text alone.
func Rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(fmt.Sprint(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// SubtreeRange returns the bounds [lo, hi) of every path in the subtree rooted at path:
// paths are '/'-separated ids ending in '/', and '0' is the byte after '/', so the range is
// one index scan in both engines (PostgreSQL columns use COLLATE "C").
func SubtreeRange(path string) (lo, hi string) {
	return path, strings.TrimSuffix(path, "/") + "0"
}

// TimeOrNil is a nullable timestamp column as the API shows it: nil, or the instant in UTC.
func TimeOrNil(n sql.NullTime) *time.Time {
	if !n.Valid {
		return nil
	}
	t := n.Time.UTC()
	return &t
}

// Placeholders returns "?, ?, ?" for n values.
func Placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}

// IsUniqueViolation tells whether err is a unique-constraint failure in either engine.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// WithLock runs fn while holding the cluster-wide lock name: a PostgreSQL advisory lock on a
// connection of its own, so that of several server instances only one runs a job. SQLite has
// a single instance, so fn simply runs. ok is false when another instance holds the lock.
func (db *DB) WithLock(ctx context.Context, name string, fn func(ctx context.Context) error) (ok bool, err error) {
	if db.dialect != Postgres {
		return true, fn(ctx)
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if err := conn.QueryRowContext(ctx, `SELECT pg_try_advisory_lock(hashtext($1))`, name).Scan(&ok); err != nil || !ok {
		return false, err
	}
	defer func() {
		_, _ = conn.ExecContext(context.Background(), `SELECT pg_advisory_unlock(hashtext($1))`, name)
	}()
	return true, fn(ctx)
}

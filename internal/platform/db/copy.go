package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// RowSource yields the rows of a bulk load one at a time: the values of the next row, or nil
// when there are no more. It is called from the goroutine of Copy (on PostgreSQL pgx may
// encode while it sends), never concurrently with itself.
type RowSource func() ([]any, error)

// Copy bulk-loads the rows of src into table's columns inside the transaction and returns how
// many it wrote: PostgreSQL's COPY (pgx CopyFrom, several times faster than INSERT for the
// millions of rows of a demo district); on SQLite, multi-row INSERTs through one prepared
// statement (SQLite has no COPY; a prepared multi-row INSERT is its fastest path). Values are
// Go values of the columns' types (int64, string, time.Time, nil for NULL).
func (t *Tx) Copy(ctx context.Context, table string, cols []string, src RowSource) (int64, error) {
	if t.dialect == Postgres && t.conn != nil {
		return t.copyPG(ctx, table, cols, src)
	}
	return t.copyInsert(ctx, table, cols, src)
}

// CopyRows is Copy of rows already in memory.
func (t *Tx) CopyRows(ctx context.Context, table string, cols []string, rows [][]any) (int64, error) {
	i := 0
	return t.Copy(ctx, table, cols, func() ([]any, error) {
		if i == len(rows) {
			return nil, nil
		}
		i++
		return rows[i-1], nil
	})
}

func (t *Tx) copyPG(ctx context.Context, table string, cols []string, src RowSource) (int64, error) {
	var n int64
	var srcErr error // pgx reports only the server's "COPY from stdin failed"
	next := func() ([]any, error) {
		row, err := src()
		if err != nil {
			srcErr = err
		}
		return row, err
	}
	err := t.conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("copy into %s: not a pgx connection (%T)", table, dc)
		}
		var err error
		n, err = c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromFunc(next))
		return err
	})
	if srcErr != nil {
		return n, srcErr
	}
	if err != nil {
		return n, fmt.Errorf("copy into %s: %w", table, err)
	}
	return n, nil
}

// copyInsert writes src with INSERTs of up to 500 rows (fewer for wide tables: SQLite binds
// at most 32,766 values a statement).
func (t *Tx) copyInsert(ctx context.Context, table string, cols []string, src RowSource) (int64, error) {
	chunk := min(500, 32000/len(cols))
	head := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `
	one := "(" + Placeholders(len(cols)) + ")"
	values := func(k int) string { return strings.Repeat(one+", ", k-1) + one }
	stmt, err := t.Prepare(ctx, head+values(chunk))
	if err != nil {
		return 0, err
	}
	defer stmt.Close()
	args := make([]any, 0, chunk*len(cols))
	var total int64
	k := 0
	for {
		row, err := src()
		if err != nil {
			return total, err
		}
		if row != nil {
			if len(row) != len(cols) {
				return total, fmt.Errorf("copy into %s: a row of %d values for %d columns", table, len(row), len(cols))
			}
			args = append(args, row...)
			k++
		}
		if k == chunk || (row == nil && k > 0) {
			if k == chunk {
				_, err = stmt.ExecContext(ctx, args...)
			} else {
				_, err = t.Exec(ctx, head+values(k), args...)
			}
			if err != nil {
				return total, fmt.Errorf("insert into %s: %w", table, err)
			}
			total += int64(k)
			args, k = args[:0], 0
		}
		if row == nil {
			return total, nil
		}
	}
}

// Analyze refreshes the planner's statistics of the tables after a bulk load, inside the
// transaction (PostgreSQL counts the transaction's own rows; SQLite's ANALYZE is
// transactional): a query planned on a table the statistics still call empty can take
// minutes instead of milliseconds. On SQLite it samples (analysis_limit; a full ANALYZE of a
// large table reads every index entry, seconds per table mid-load) — a full ANALYZE at the
// end of a load is still the caller's.
func (t *Tx) Analyze(ctx context.Context, tables ...string) error {
	if t.dialect == SQLite {
		if _, err := t.Exec(ctx, `PRAGMA analysis_limit = 1000`); err != nil {
			return err
		}
		defer t.Exec(ctx, `PRAGMA analysis_limit = 0`) //nolint:errcheck // back to the default for the connection
	}
	for _, tb := range tables {
		if _, err := t.Exec(ctx, `ANALYZE `+tb); err != nil {
			return fmt.Errorf("analyze %s: %w", tb, err)
		}
	}
	return nil
}

// WithoutForeignKeys runs fn (a bulk load into table) with the table's foreign keys set aside
// and checks them all again afterwards. On PostgreSQL each row's check is a query that locks
// the referenced row — about three quarters of the time of a COPY of attendance — while
// re-adding a constraint checks every row in one join. The keys are dropped and re-created
// with their own names and definitions inside the transaction (it holds the table's lock
// meanwhile), so a row that breaks one fails the load as before. On SQLite, whose checks are
// plain index lookups (and whose foreign_keys setting cannot change in a transaction), fn
// simply runs.
func (t *Tx) WithoutForeignKeys(ctx context.Context, table string, fn func() error) error {
	if t.dialect != Postgres {
		return fn()
	}
	type fk struct{ name, def string }
	keys, err := All(ctx, t, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = to_regclass(?) AND contype = 'f' ORDER BY conname`, []any{table}, func(r Scanner) (fk, error) {
		var k fk
		err := r.Scan(&k.name, &k.def)
		return k, err
	})
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := t.Exec(ctx, `ALTER TABLE `+table+` DROP CONSTRAINT `+quoteIdent(k.name)); err != nil {
			return err
		}
	}
	if err := fn(); err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := t.Exec(ctx, `ALTER TABLE `+table+` ADD CONSTRAINT `+quoteIdent(k.name)+` `+k.def); err != nil {
			return fmt.Errorf("check %s after the load: %w", k.name, err)
		}
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

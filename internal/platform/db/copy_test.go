package db

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Copy writes every row of its source, NULLs and times included, inside the transaction (a
// failing transaction leaves nothing), on both engines: COPY on PostgreSQL, INSERTs on SQLite.
func TestCopy(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		ts := "TIMESTAMP"
		if d.Dialect() == Postgres {
			ts = "TIMESTAMPTZ"
		}
		if _, err := d.Exec(ctx, `CREATE TABLE c (a BIGINT NOT NULL, b TEXT NOT NULL, g BIGINT, at `+ts+` NOT NULL)`); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		const n = 1234 // more than one INSERT chunk, not a multiple of it
		i := 0
		src := func() ([]any, error) {
			if i == n {
				return nil, nil
			}
			i++
			var g any
			if i%2 == 0 {
				g = int64(i)
			}
			return []any{int64(i), "行" + string(rune('a'+i%26)), g, at.Add(time.Duration(i) * time.Minute)}, nil
		}
		err := d.InTx(ctx, func(tx *Tx) error {
			got, err := tx.Copy(ctx, "c", []string{"a", "b", "g", "at"}, src)
			if err == nil && got != n {
				t.Errorf("copied %d rows, want %d", got, n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var cnt, sum, nulls int64
		var last time.Time
		if err := d.QueryRow(ctx, `SELECT COUNT(*), SUM(a), SUM(CASE WHEN g IS NULL THEN 1 ELSE 0 END), (SELECT at FROM c ORDER BY at DESC LIMIT 1) FROM c`).Scan(&cnt, &sum, &nulls, &last); err != nil {
			t.Fatal(err)
		}
		if cnt != n || sum != n*(n+1)/2 || nulls != n/2 || !last.Equal(at.Add(n*time.Minute)) {
			t.Errorf("count %d sum %d nulls %d last %v", cnt, sum, nulls, last)
		}
		// A failing source rolls the whole copy back with its transaction.
		boom := errors.New("boom")
		k := 0
		err = d.InTx(ctx, func(tx *Tx) error {
			_, err := tx.Copy(ctx, "c", []string{"a", "b", "g", "at"}, func() ([]any, error) {
				if k++; k > 600 {
					return nil, boom
				}
				return []any{int64(k), "x", nil, at}, nil
			})
			return err
		})
		if !errors.Is(err, boom) {
			t.Errorf("err = %v, want boom", err)
		}
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM c`).Scan(&cnt); err != nil || cnt != n {
			t.Errorf("after a failed copy: %d rows (%v), want %d", cnt, err, n)
		}
	})
}

// The foreign keys set aside for a load are back afterwards, with their names, and a load
// that breaks one fails.
func TestWithoutForeignKeys(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		for _, q := range []string{`CREATE TABLE pa (id BIGINT PRIMARY KEY)`, `CREATE TABLE ch (p BIGINT NOT NULL, CONSTRAINT ch_p_named FOREIGN KEY (p) REFERENCES pa(id))`,
			`INSERT INTO pa VALUES (1), (2)`} {
			if _, err := d.Exec(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		load := func(vals ...any) error {
			return d.InTx(ctx, func(tx *Tx) error {
				return tx.WithoutForeignKeys(ctx, "ch", func() error {
					rows := [][]any{}
					for _, v := range vals {
						rows = append(rows, []any{v})
					}
					_, err := tx.CopyRows(ctx, "ch", []string{"p"}, rows)
					return err
				})
			})
		}
		if err := load(int64(1), int64(2), int64(2)); err != nil {
			t.Fatal(err)
		}
		if err := load(int64(1), int64(3)); err == nil {
			t.Errorf("a row without its parent was loaded")
		}
		var n int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM ch`).Scan(&n); err != nil || n != 3 {
			t.Errorf("%d rows (%v), want 3", n, err)
		}
		if d.Dialect() == Postgres {
			if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM pg_constraint WHERE conname = 'ch_p_named' AND contype = 'f'`).Scan(&n); err != nil || n != 1 {
				t.Errorf("constraint ch_p_named: %d (%v)", n, err)
			}
		}
		if _, err := d.Exec(ctx, `INSERT INTO ch VALUES (9)`); err == nil {
			t.Errorf("the foreign key no longer holds after the load")
		}
	})
}

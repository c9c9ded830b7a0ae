package db

import (
	"context"
	"errors"
	"testing"
)

func TestAllAndEach(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, "CREATE TABLE r (id INTEGER NOT NULL, name TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		for i, n := range []string{"甲", "乙", "丙"} {
			if _, err := d.Exec(ctx, "INSERT INTO r (id, name) VALUES (?, ?)", i+1, n); err != nil {
				t.Fatal(err)
			}
		}
		type row struct {
			ID   int64
			Name string
		}
		got, err := All(ctx, d, "SELECT id, name FROM r WHERE id >= ? ORDER BY id", []any{2}, func(s Scanner) (row, error) {
			var x row
			err := s.Scan(&x.ID, &x.Name)
			return x, err
		})
		if err != nil || len(got) != 2 || got[0] != (row{2, "乙"}) || got[1] != (row{3, "丙"}) {
			t.Fatalf("All = %v, %v", got, err)
		}
		// fn's error stops the loop and is returned.
		stop := errors.New("stop")
		seen := 0
		err = Each(ctx, d, "SELECT id FROM r ORDER BY id", nil, func(s Scanner) error {
			seen++
			return stop
		})
		if !errors.Is(err, stop) || seen != 1 {
			t.Fatalf("Each = %v after %d rows", err, seen)
		}
		// A scan error (a text into an int) comes back too.
		_, err = All(ctx, d, "SELECT name FROM r", nil, func(s Scanner) (int64, error) {
			var n int64
			return n, s.Scan(&n)
		})
		if err == nil {
			t.Fatal("scanning a name into an int succeeded")
		}
	})
}

package db

import (
	"context"
	"testing"
)

func TestRebind(t *testing.T) {
	cases := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"a = ? AND b = ?", "a = $1 AND b = $2"},
		{"x = '?' AND y = ?", "x = '?' AND y = $1"},
	}
	for _, c := range cases {
		if got := Rebind(Postgres, c.in); got != c.want {
			t.Errorf("Rebind(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Rebind(SQLite, c.in); got != c.in {
			t.Errorf("SQLite Rebind changed %q to %q", c.in, got)
		}
	}
}

// The subtree range must hold exactly the paths under the root, in both engines' ordering.
func TestSubtreeRange(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		if _, err := d.Exec(ctx, "CREATE TABLE p (path TEXT NOT NULL)"); err != nil {
			t.Fatal(err)
		}
		if d.Dialect() == Postgres {
			if _, err := d.Exec(ctx, `ALTER TABLE p ALTER COLUMN path TYPE TEXT COLLATE "C"`); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range []string{"/1/", "/1/5/", "/1/5/23/", "/1/50/", "/1/5-/", "/1/4/", "/1/5/9/", "/2/"} {
			if _, err := d.Exec(ctx, "INSERT INTO p VALUES (?)", p); err != nil {
				t.Fatal(err)
			}
		}
		lo, hi := SubtreeRange("/1/5/")
		var n int
		if err := d.QueryRow(ctx, "SELECT COUNT(*) FROM p WHERE path >= ? AND path < ?", lo, hi).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Fatalf("subtree of /1/5/ has %d paths, want 3", n)
		}
	})
}

func TestWithJITOff(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u@h:5432/d":            "postgres://u@h:5432/d?jit=off",
		"postgres://u@h/d?sslmode=disable": "postgres://u@h/d?jit=off&sslmode=disable",
		"postgres://u@h/d?jit=on":          "postgres://u@h/d?jit=on",
	} {
		if got := withJITOff(in); got != want {
			t.Errorf("withJITOff(%q) = %q, want %q", in, got, want)
		}
	}
}

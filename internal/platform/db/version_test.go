package db

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A database migrated by a newer binary (a migration this one does not carry) is refused
// with both versions named, and left as it was; an up-to-date one migrates as before.
func TestMigrateRefusesNewerSchema(t *testing.T) {
	ForEachEngine(t, func(t *testing.T, d *DB) {
		ctx := context.Background()
		inDB, binary, err := d.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if inDB != binary || binary == 0 {
			t.Fatalf("after migrating: database at %d, binary at %d; want equal", inDB, binary)
		}
		if done, err := d.Migrate(ctx); err != nil || len(done) != 0 {
			t.Fatalf("second migrate: %v %v, want nothing to do", done, err)
		}
		newer := binary + 1000
		if _, err := d.Exec(ctx, `INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES (?, ?, ?)`,
			newer, true, time.Now()); err != nil {
			t.Fatal(err)
		}
		_, err = d.Migrate(ctx)
		var ne *NewerSchemaError
		if !errors.As(err, &ne) {
			t.Fatalf("migrate on a newer schema: %v, want NewerSchemaError", err)
		}
		if ne.DB != newer || ne.Binary != binary || len(ne.Unknown) != 1 || ne.Unknown[0] != newer {
			t.Fatalf("error %+v, want db %d binary %d", ne, newer, binary)
		}
		for _, want := range []string{"数据库结构版本", "newer than this binary", itoa(newer), itoa(binary)} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("message %q lacks %q", err, want)
			}
		}
		// Once the unknown migration is gone, migrate runs again.
		if _, err := d.Exec(ctx, `DELETE FROM goose_db_version WHERE version_id = ?`, newer); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Migrate(ctx); err != nil {
			t.Fatalf("migrate after removing the newer row: %v", err)
		}
	})
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

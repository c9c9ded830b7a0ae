package main

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"dangjian/internal/platform/db"
)

// scratchPG makes a database of its own on the test server (its name says durability, so
// helpers sharing the server see whose it is) and drops it at the end. Empty when there is
// no test server.
func scratchPG(t *testing.T, name string) string {
	t.Helper()
	base := os.Getenv("DANGJIAN_TEST_POSTGRES")
	if base == "" {
		return ""
	}
	ctx := context.Background()
	admin, err := db.Open(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	name = "dangjian_durability_" + name
	if _, err := admin.Exec(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		admin.Close()
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// pairWriter commits, one transaction each, pairs of audit rows (entity 'pair', the pair's
// number in entity_id) until stop is closed; committed is the number of the last pair whose
// commit returned.
func pairWriter(ctx context.Context, d *db.DB, committed *atomic.Int64, stop <-chan struct{}) error {
	for i := int64(1); ; i++ {
		select {
		case <-stop:
			return nil
		default:
		}
		err := d.InTx(ctx, func(tx *db.Tx) error {
			for _, half := range []string{"a", "b"} {
				if _, err := tx.Exec(ctx, `INSERT INTO audit (at, action, entity, entity_id, summary) VALUES (?, 'write', 'pair', ?, ?)`,
					time.Now().UTC(), i, half); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		committed.Store(i)
	}
}

// seedAudit gives the database some bulk, so that the backup takes long enough for writes
// to happen while it runs.
func seedAudit(t *testing.T, d *db.DB, n int) {
	t.Helper()
	if _, err := d.Exec(context.Background(), `INSERT INTO audit (at, action, entity, entity_id, summary)
		WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ?)
		SELECT CURRENT_TIMESTAMP, 'seed', 'seed', n, 'seed row with some text to make the database larger' FROM s`, n); err != nil {
		t.Fatal(err)
	}
}

// TestBackupDuringWrites takes a backup while pairs of rows are committed, restores it into
// another database and finds every pair committed before the backup began, pairs numbered
// without a gap (a snapshot holds a prefix of the commits) and never half a pair.
func TestBackupDuringWrites(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		src, out, dst := filepath.Join(dir, "src.db"), filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored.db")
		backupUnderWrites(t, src, out, dst,
			func(ctx context.Context) error { return backupSQLite(ctx, src, out) },
			func(ctx context.Context) error { _, err := restoreSQLite(ctx, out, dst); return err })
	})
	t.Run("postgres", func(t *testing.T) {
		src := scratchPG(t, "backup_src")
		if src == "" {
			t.Skip("DANGJIAN_TEST_POSTGRES not set")
		}
		dst := scratchPG(t, "backup_dst")
		out := filepath.Join(t.TempDir(), "backup.dump")
		backupUnderWrites(t, src, out, dst,
			func(ctx context.Context) error { return backupPostgres(ctx, src, out) },
			func(ctx context.Context) error { return restorePostgres(ctx, out, dst) })
	})
}

func backupUnderWrites(t *testing.T, src, out, dst string, backup, restore func(context.Context) error) {
	ctx := context.Background()
	d, err := openDB(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	t0 := time.Now()
	seedAudit(t, d, 50_000)
	t.Logf("seeded in %s", time.Since(t0))
	t0 = time.Now()
	var committed atomic.Int64
	stop := make(chan struct{})
	werr := make(chan error, 1)
	go func() { werr <- pairWriter(ctx, d, &committed, stop) }()
	for committed.Load() < 20 {
		time.Sleep(5 * time.Millisecond)
	}
	before := committed.Load()
	if err := backup(ctx); err != nil {
		t.Fatal(err)
	}
	during := committed.Load() - before
	t.Logf("backup in %s", time.Since(t0))
	time.Sleep(50 * time.Millisecond)
	close(stop)
	if err := <-werr; err != nil {
		t.Fatal(err)
	}
	if during == 0 {
		t.Fatalf("no write committed while the backup ran: the writes were blocked")
	}
	if _, err := checkBackup(ctx, out); err != nil {
		t.Fatal(err)
	}
	if err := restore(ctx); err != nil {
		t.Fatal(err)
	}
	r, err := openDB(ctx, dst) // the restored database migrates as it is (nothing to do)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var pairs, rows, maxID, seeds int64
	if err := r.QueryRow(ctx, `SELECT COUNT(DISTINCT entity_id), COUNT(*), COALESCE(MAX(entity_id), 0) FROM audit WHERE entity = 'pair'`).
		Scan(&pairs, &rows, &maxID); err != nil {
		t.Fatal(err)
	}
	if err := r.QueryRow(ctx, `SELECT COUNT(*) FROM audit WHERE entity = 'seed'`).Scan(&seeds); err != nil {
		t.Fatal(err)
	}
	t.Logf("committed before the backup: %d pairs, during it: %d; restored: %d pairs", before, during, pairs)
	switch {
	case seeds != 50_000:
		t.Fatalf("restored %d seed rows, want 50000", seeds)
	case maxID < before:
		t.Fatalf("restored pairs up to %d, but %d had committed before the backup began", maxID, before)
	case pairs != maxID:
		t.Fatalf("restored %d distinct pairs numbered up to %d: a committed pair is missing", pairs, maxID)
	case rows != 2*pairs:
		t.Fatalf("restored %d rows for %d pairs: half a transaction", rows, pairs)
	}
}

// Restoring over a SQLite file a process has open is refused and changes nothing; a damaged
// backup is refused before anything is touched.
func TestRestoreRefusals(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	live, out := filepath.Join(dir, "live.db"), filepath.Join(dir, "backup.db")
	d, err := openDB(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO audit (at, action, entity, summary) VALUES (?, 'x', 'live', 'kept')`, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if err := backupSQLite(ctx, live, out); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO audit (at, action, entity, summary) VALUES (?, 'x', 'live', 'after')`, time.Now().UTC()); err != nil {
		t.Fatal(err)
	}
	if _, err := restoreSQLite(ctx, out, live); !errors.Is(err, errInUse) {
		t.Fatalf("restore over an open database: %v, want errInUse", err)
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM audit WHERE entity = 'live'`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("after the refusal the live database has %d rows (%v), want 2", n, err)
	}
	d.Close()

	bad := filepath.Join(dir, "bad.db")
	b, _ := os.ReadFile(out)
	for i := 4096; i < len(b) && i < 4096*6; i++ { // damage pages after the first
		b[i] ^= 0x5a
	}
	if err := os.WriteFile(bad, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := restoreSQLite(ctx, bad, live); err == nil {
		t.Fatal("a damaged backup was restored")
	}
	kept, err := restoreSQLite(ctx, out, live)
	if err != nil || kept == "" {
		t.Fatalf("restore once stopped: %q %v", kept, err)
	}
	for file, want := range map[string]int{live: 1, kept: 2} {
		k, err := db.OpenSnapshot(ctx, file)
		if err != nil {
			t.Fatal(err)
		}
		if err := k.QueryRow(ctx, `SELECT COUNT(*) FROM audit WHERE entity = 'live'`).Scan(&n); err != nil || n != want {
			t.Errorf("%s: %d rows (%v), want %d", filepath.Base(file), n, err, want)
		}
		k.Close()
	}
}

// The backup of a database a newer binary migrated is refused by the check, and so by
// restore; migrate and serve refuse the database itself.
func TestBackupCheckRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src, out := filepath.Join(dir, "src.db"), filepath.Join(dir, "backup.db")
	d, err := openDB(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Exec(ctx, `INSERT INTO goose_db_version (version_id, is_applied, tstamp) VALUES (99999, ?, ?)`, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	d.Close()
	if err := backupSQLite(ctx, src, out); err != nil {
		t.Fatal(err)
	}
	var ne *db.NewerSchemaError
	if _, err := checkBackup(ctx, out); !errors.As(err, &ne) || ne.DB != 99999 {
		t.Fatalf("check of a newer backup: %v", err)
	}
	if _, err := restoreSQLite(ctx, out, filepath.Join(dir, "new.db")); !errors.As(err, &ne) {
		t.Fatalf("restore of a newer backup: %v", err)
	}
	if err := migrate(ctx, []string{"--db", src}); !errors.As(err, &ne) {
		t.Fatalf("dangjian migrate on a newer database: %v", err)
	}
	if err := serve(ctx, []string{"--db", src, "--data-dir", filepath.Join(dir, "data"), "--addr", "127.0.0.1:0", "--jobs=false"}); !errors.As(err, &ne) {
		t.Fatalf("dangjian serve on a newer database: %v", err)
	}
}

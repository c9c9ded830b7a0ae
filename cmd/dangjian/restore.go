package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"

	"dangjian/internal/platform/db"
)

func init() {
	register("restore", "replace the database with a backup (the server stopped; the backup is checked first)", restore)
}

func restore(ctx context.Context, args []string) error {
	f := newFlags("restore", "Replaces the database with a backup written by `dangjian backup` (or pg_dump -Fc).\n"+
		"The backup is checked first (integrity, schema version not newer than this binary); the server\n"+
		"must be stopped. SQLite: the current file is kept as <db>.before-restore-<time>. PostgreSQL:\n"+
		"pg_restore --clean in one transaction, refused while other sessions are connected.")
	dsn := f.dbFlag()
	from := f.String("from", "", "the backup file")
	if err := f.Parse(args); err != nil {
		return err
	}
	if *from == "" {
		return errors.New("--from: 请给出备份文件 / name the backup file")
	}
	if isPostgresDSN(*dsn) {
		return restorePostgres(ctx, *from, *dsn)
	}
	kept, err := restoreSQLite(ctx, *from, strings.TrimPrefix(*dsn, "sqlite:"))
	if err != nil {
		return err
	}
	fmt.Printf("restored %s from %s\n", *dsn, *from)
	if kept != "" {
		fmt.Printf("the database it replaced is kept as %s\n", kept)
	}
	return nil
}

// errInUse is the refusal to restore over a database a process has open.
var errInUse = errors.New("数据库正在使用中，请先停止服务 / the database is in use: stop the server first")

// restoreSQLite replaces the SQLite file target with the backup from: copied next to the
// target first (same file system, so the swap is a rename), checked there — the bytes that
// will be swapped in — and renamed over it once no process holds the target. The replaced
// file, with any -wal left by a crash (it belongs to that file), is kept beside it.
func restoreSQLite(ctx context.Context, from, target string) (kept string, err error) {
	tmp := target + ".restore-tmp"
	if err := copyFile(from, tmp); err != nil {
		return "", err
	}
	defer os.Remove(tmp) // gone after the rename; removed on a refusal
	if _, err := checkSQLite(ctx, tmp); err != nil {
		return "", fmt.Errorf("备份 %s 未通过检查，未做任何更改 / the backup %s does not check, nothing changed: %w", from, from, err)
	}
	if _, err := os.Stat(target); err == nil {
		if err := sqliteFree(target); err != nil {
			return "", err
		}
		kept = target + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Rename(target+suffix, kept+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", err
			}
		}
	}
	return kept, syncRename(tmp, target)
}

// sqliteFree tells whether no other connection has the SQLite file open: an exclusive lock
// cannot be had while one does, even an idle one (in WAL mode each connection holds a shared
// lock on the shared-memory file for as long as it is open).
func sqliteFree(path string) error {
	c, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)&_pragma=locking_mode(EXCLUSIVE)")
	if err != nil {
		return err
	}
	defer c.Close()
	c.SetMaxOpenConns(1)
	if _, err := c.Exec(`BEGIN EXCLUSIVE`); err != nil {
		if strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "locked") {
			return errInUse
		}
		return fmt.Errorf("lock %s: %w", path, err)
	}
	_, err = c.Exec(`COMMIT`)
	return err
}

// copyFile copies src to dst (created 0600), synced.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// restorePostgres checks the archive, refuses while another session uses the database, then
// runs pg_restore --clean in a single transaction: the database holds the old data or the
// restored data, never a mixture.
func restorePostgres(ctx context.Context, from, dsn string) error {
	if _, err := checkDump(ctx, from); err != nil {
		return err
	}
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return err
	}
	var others int
	err = d.QueryRow(ctx, `SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`).Scan(&others)
	d.Close()
	if err != nil {
		return err
	}
	if others > 0 {
		return fmt.Errorf("%w (%d other sessions)", errInUse, others)
	}
	bin, err := exec.LookPath("pg_restore")
	if err != nil {
		return fmt.Errorf("pg_restore 不在 PATH 中 / pg_restore is not on PATH: %w", err)
	}
	cmd := exec.CommandContext(ctx, bin, "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
		"--no-owner", "--dbname="+dsn, from)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("pg_restore: %w (nothing changed: it runs in one transaction)", err)
	}
	fmt.Printf("restored the database from %s\n", from)
	return nil
}

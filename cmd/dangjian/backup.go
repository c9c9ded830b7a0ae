package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"dangjian/internal/platform/db"
)

func init() {
	register("backup", "write a consistent backup of the database while it runs (--check verifies one)", backup)
}

func isPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func backup(ctx context.Context, args []string) error {
	f := newFlags("backup", "SQLite: writes a consistent snapshot of the database to --out while the server keeps running\n"+
		"(VACUUM INTO: one read transaction, so every transaction committed before it started and none\n"+
		"half-written). PostgreSQL: runs pg_dump -Fc (which must be on PATH). Either way the result is then\n"+
		"checked as --check does. --check FILE only checks an existing backup: integrity, schema version, row counts.")
	dsn := f.dbFlag()
	out := f.String("out", "", "the backup file to write (must not exist)")
	check := f.String("check", "", "check this backup file instead of writing one")
	if err := f.Parse(args); err != nil {
		return err
	}
	if *check != "" {
		rep, err := checkBackup(ctx, *check)
		if err != nil {
			return err
		}
		fmt.Print(rep)
		return nil
	}
	if *out == "" {
		return errors.New("--out: 请给出备份文件 / name the backup file")
	}
	if _, err := os.Stat(*out); err == nil {
		return fmt.Errorf("--out: %s 已存在 / %s already exists", *out, *out)
	}
	var err error
	if isPostgresDSN(*dsn) {
		err = backupPostgres(ctx, *dsn, *out)
	} else {
		err = backupSQLite(ctx, strings.TrimPrefix(*dsn, "sqlite:"), *out)
	}
	if err != nil {
		return err
	}
	rep, err := checkBackup(ctx, *out)
	if err != nil {
		return fmt.Errorf("the backup %s was written but does not check: %w", *out, err)
	}
	fmt.Printf("backup written to %s\n%s", *out, rep)
	return nil
}

// backupSQLite writes a snapshot of the SQLite database at path to out. VACUUM INTO reads
// the database in one read transaction, so on a WAL database the server's writers go on
// while it runs and the copy holds exactly the transactions committed before it began. It
// writes to a temporary name, synced, then renamed: out is a whole backup or absent.
func backupSQLite(ctx context.Context, path, out string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("--db: %w", err) // db.Open would create an empty database
	}
	d, err := db.Open(ctx, path)
	if err != nil {
		return err
	}
	defer d.Close()
	tmp := out + ".tmp"
	_ = os.Remove(tmp)
	if _, err := d.Exec(ctx, `VACUUM INTO ?`, tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("VACUUM INTO %s: %w", tmp, err)
	}
	return syncRename(tmp, out)
}

// syncRename makes tmp durable, renames it to dst and makes the rename durable.
func syncRename(tmp, dst string) error {
	if err := syncFile(tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return syncFile(filepath.Dir(dst))
}

func syncFile(name string) error {
	fh, err := os.Open(name)
	if err != nil {
		return err
	}
	defer fh.Close()
	return fh.Sync()
}

// backupPostgres runs pg_dump -Fc: PostgreSQL's own tool dumps in one repeatable-read
// snapshot, with the sequences and types as they are, and pg_restore reads it back; writing
// our own dumper would only be a worse copy of it.
func backupPostgres(ctx context.Context, dsn, out string) error {
	bin, err := exec.LookPath("pg_dump")
	if err != nil {
		return fmt.Errorf("pg_dump 不在 PATH 中，请安装 PostgreSQL 客户端，或自行运行 / pg_dump is not on PATH: install the PostgreSQL client tools (the same major version as the server), or run it yourself:\n  pg_dump -Fc --file=%s '<the --db URL>'", out)
	}
	tmp := out + ".tmp"
	cmd := exec.CommandContext(ctx, bin, "--format=custom", "--file="+tmp, "--dbname="+dsn)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("pg_dump: %w", err)
	}
	return syncRename(tmp, out)
}

// backupReport is what checking a backup found.
type backupReport struct {
	Engine  db.Dialect
	Version int64            // the highest migration in the backup
	Binary  int64            // the highest migration this binary carries
	Rows    map[string]int64 // rows per table
}

func (r *backupReport) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "backup check: ok (engine %s, schema version %d; this binary's %d)\n", r.Engine, r.Version, r.Binary)
	names := make([]string, 0, len(r.Rows))
	for n := range r.Rows {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "  %-28s %d rows\n", n, r.Rows[n])
	}
	return b.String()
}

// checkBackup checks a backup file of either engine: a SQLite file is opened read-only, a
// pg_dump archive (it starts with "PGDMP") read through pg_restore. A backup whose schema is
// newer than this binary is refused like a newer database (see db.CheckApplied).
func checkBackup(ctx context.Context, file string) (*backupReport, error) {
	head := make([]byte, 5)
	fh, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	_, err = io.ReadFull(fh, head)
	fh.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: not a backup: %w", file, err)
	}
	if string(head) == "PGDMP" {
		return checkDump(ctx, file)
	}
	return checkSQLite(ctx, file)
}

// checkSQLite runs integrity_check on a SQLite file and counts each table's rows.
func checkSQLite(ctx context.Context, file string) (*backupReport, error) {
	d, err := db.OpenSnapshot(ctx, file)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	problems, err := db.All(ctx, d, `PRAGMA integrity_check`, nil, func(r db.Scanner) (s string, err error) { return s, r.Scan(&s) })
	if err != nil {
		return nil, fmt.Errorf("%s: integrity_check: %w", file, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return nil, fmt.Errorf("%s: integrity_check failed: %s", file, strings.Join(problems, "; "))
	}
	rep := &backupReport{Engine: db.SQLite, Rows: map[string]int64{}}
	applied, err := d.Applied(ctx)
	if err != nil {
		return nil, err
	}
	if err := versionOf(rep, applied); err != nil {
		return nil, err
	}
	tables, err := db.All(ctx, d, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`, nil,
		func(r db.Scanner) (s string, err error) { return s, r.Scan(&s) })
	if err != nil {
		return nil, err
	}
	for _, t := range tables {
		var n int64
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM "`+t+`"`).Scan(&n); err != nil {
			return nil, fmt.Errorf("%s: count %s: %w", file, t, err)
		}
		rep.Rows[t] = n
	}
	return rep, nil
}

// versionOf fills the report's versions and refuses a backup this binary could not run on.
func versionOf(rep *backupReport, applied []int64) error {
	if len(applied) == 0 {
		return errors.New("不是 dangjian 的备份（没有迁移记录）/ not a dangjian backup: no migrations recorded")
	}
	known, err := db.Known(rep.Engine)
	if err != nil {
		return err
	}
	rep.Version, rep.Binary = slices.Max(applied), slices.Max(known)
	return db.CheckApplied(rep.Engine, applied)
}

// checkDump reads every data block of a pg_dump archive through pg_restore (so each is
// decompressed and read to its end), counting each table's rows and reading the applied
// migrations from goose_db_version.
func checkDump(ctx context.Context, file string) (*backupReport, error) {
	bin, err := exec.LookPath("pg_restore")
	if err != nil {
		return nil, errors.New("pg_restore 不在 PATH 中 / pg_restore is not on PATH: install the PostgreSQL client tools to check a pg_dump archive")
	}
	cmd := exec.CommandContext(ctx, bin, "--data-only", "--file=-", file)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	rep, applied, perr := parseDumpData(stdout)
	_, _ = io.Copy(io.Discard, stdout)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("pg_restore %s: %w: %s", file, err, strings.TrimSpace(stderr.String()))
	}
	if perr != nil {
		return nil, perr
	}
	return rep, versionOf(rep, applied)
}

// parseDumpData reads pg_restore's plain output: each table's rows come as
// "COPY schema.table (col, …) FROM stdin;", one line a row, then "\.".
func parseDumpData(r io.Reader) (*backupReport, []int64, error) {
	rep := &backupReport{Engine: db.Postgres, Rows: map[string]int64{}}
	var applied []int64
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	table, versionCol := "", -1
	for sc.Scan() {
		line := sc.Text()
		if table == "" {
			if rest, ok := strings.CutPrefix(line, "COPY "); ok {
				name, cols, _ := strings.Cut(rest, " (")
				table = name[strings.LastIndex(name, ".")+1:]
				rep.Rows[table] += 0
				versionCol = -1
				if table == "goose_db_version" {
					cols, _, _ = strings.Cut(cols, ")")
					versionCol = slices.Index(strings.Split(cols, ", "), "version_id")
				}
			}
			continue
		}
		if line == `\.` {
			table = ""
			continue
		}
		rep.Rows[table]++
		if versionCol >= 0 {
			if v, err := strconv.ParseInt(strings.Split(line, "\t")[versionCol], 10, 64); err == nil && v > 0 {
				applied = append(applied, v)
			}
		}
	}
	return rep, applied, sc.Err()
}

package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"dangjian/internal/platform/db"
)

// isPostgres says whether a --db value names a PostgreSQL database (else it is a SQLite file).
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// demoAccountsPath is the file that lists a database's demo accounts (never their password).
// It is named after the database, so that demos in several databases do not overwrite each
// other's list and `serve` names the accounts of the database it serves: beside a SQLite file
// (data/dangjian.db → data/dangjian.db.demo-accounts.txt), and in the data directory for
// PostgreSQL (demo-accounts.<host>-<port>-<database>.txt).
func demoAccountsPath(dsn, dataDir string) string {
	if !isPostgres(dsn) {
		return strings.TrimPrefix(dsn, "sqlite:") + ".demo-accounts.txt"
	}
	host, port, name := "localhost", "5432", ""
	if u, err := url.Parse(dsn); err == nil {
		if u.Hostname() != "" {
			host = u.Hostname()
		}
		if u.Port() != "" {
			port = u.Port()
		}
		name = strings.TrimPrefix(u.Path, "/")
		if name == "" && u.User != nil {
			name = u.User.Username() // PostgreSQL's default database is the user's name
		}
	}
	return filepath.Join(dataDir, "demo-accounts."+unsafeName.ReplaceAllString(host+"-"+port+"-"+name, "_")+".txt")
}

// createDatabase creates the PostgreSQL database a --db URL names when the server says it does
// not exist (SQLSTATE 3D000), connecting to the server's "postgres" database with the same
// account; the account needs CREATEDB. SQLite files are created when opened: nothing to do.
// `demo` and `migrate` call it, `serve` does not: a mistyped URL should not create a database.
func createDatabase(ctx context.Context, dsn string) error {
	if !isPostgres(dsn) {
		return nil
	}
	d, err := db.Open(ctx, dsn)
	if err == nil {
		return d.Close()
	}
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.Code != "3D000" {
		return err
	}
	u, perr := url.Parse(dsn)
	if perr != nil || strings.TrimPrefix(u.Path, "/") == "" {
		return err
	}
	name := strings.TrimPrefix(u.Path, "/")
	u.Path = "/postgres"
	admin, aerr := db.Open(ctx, u.String())
	if aerr == nil {
		_, aerr = admin.Exec(ctx, `CREATE DATABASE "`+strings.ReplaceAll(name, `"`, `""`)+`"`)
		admin.Close()
	}
	alreadyMade := errors.As(aerr, &pgErr) && pgErr.Code == "42P04" // another process was quicker
	if aerr != nil && !alreadyMade {
		return fmt.Errorf("the PostgreSQL database %q does not exist and could not be created (%v): create it (createdb %s) or give an account with CREATEDB", name, aerr, name)
	}
	if !alreadyMade {
		fmt.Printf("Created the PostgreSQL database %s.\n", name)
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"dangjian/internal/demo"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/server"
)

func init() {
	register("demo", "fill an empty database with a realistic demo district and demo accounts", demoCmd)
}

func demoCmd(ctx context.Context, args []string) error {
	f := newFlags("demo", "Generates a demo district (organizations, members, accounts) into an empty database.\n"+
		"The same --seed gives the same district. Accounts: admin, jiedao, shequ, zhibu, dangyuan.")
	dsn := f.dbFlag()
	members := f.integer("members", 20000, "number of members")
	seed := f.integer("seed", 1, "random seed")
	password := f.str("password", os.Getenv("DANGJIAN_DEMO_PASSWORD"), "password of the demo accounts (random when empty)")
	dataDir := f.str("data-dir", "data", "data directory (a PostgreSQL demo's list of accounts is written there)")
	if err := f.Parse(args); err != nil {
		return err
	}
	pw := *password
	if pw == "" {
		pw = auth.RandomPassword()
	} else if k, args := auth.PasswordProblem(pw, ""); k != "" {
		return fmt.Errorf("--password: %s", i18n.T(i18n.EN, k, append([]any{i18n.M("f.password")}, args...)...))
	}
	if err := createDatabase(ctx, *dsn); err != nil {
		return err
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	app := server.New(d, clock.System{}, *dataDir)
	fmt.Printf("Generating a demo district of %d members (seed %d) into %s …\n", *members, *seed, d.Dialect())
	res, err := demo.Generate(ctx, d, app.Auth, demo.Options{Members: *members, Seed: uint64(*seed), Password: pw, Progress: os.Stdout})
	if err != nil {
		return err
	}
	fmt.Printf("Done in %s: %d organizations (%d branches, %d 党小组), %d members.\n\n",
		res.Elapsed.Round(100*time.Millisecond), res.Orgs, res.Branches, res.Groups, res.Members)
	// The password is shown here, once, as the accounts are created; the file that `serve`
	// reads to say which accounts exist keeps no password.
	fmt.Print("Demo accounts (the password is shown only now):\n" + demo.AccountsTable(res.Accounts, true))
	file := demoAccountsPath(*dsn, *dataDir)
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(file, []byte(demo.AccountsTable(res.Accounts, false)), 0o600); err != nil {
		return err
	}
	fmt.Printf("\n(the accounts, without the password, are listed in %s)\n", file)
	return nil
}

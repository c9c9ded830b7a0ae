package main

import (
	"context"
	"fmt"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/server"
)

func init() {
	register("user", "manage accounts: create, reset-password, grant, list", user)
}

func openDBOnly(ctx context.Context, dsn string) (*db.DB, error) { return db.Open(ctx, dsn) }

func specOnly() []byte { return server.New(nil, clock.System{}, "").OpenAPI() }

func user(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] == "--help" || args[0] == "-h" {
		fmt.Println(`Usage: dangjian user <create|reset-password|grant|list> [flags]

  create          --username U [--password P] [--display-name N] [--role R --org ID]
  reset-password  --username U [--password P]   (random and printed when not given)
  grant           --username U --role R [--org ID]   roles: admin, org_staff, secretary, member, viewer
  list`)
		return nil
	}
	sub := args[0]
	f := newFlags("user "+sub, "Manages accounts from the command line (acts as the system).")
	dsn := f.dbFlag()
	username := f.String("username", "", "account name")
	password := f.String("password", "", "password (random and printed when empty)")
	display := f.String("display-name", "", "display name")
	role := f.String("role", "", "role to grant")
	orgID := f.Int64("org", 0, "organization id the role is granted on (0 for admin)")
	if err := f.Parse(args[1:]); err != nil {
		return err
	}
	app, err := openApp(ctx, *dsn, "data")
	if err != nil {
		return err
	}
	defer app.DB.Close()
	sys := auth.System()
	pw := *password
	if pw == "" {
		pw = auth.RandomPassword()
	}
	switch sub {
	case "create":
		id, err := app.Auth.CreateUser(ctx, sys, auth.NewUser{Username: *username, DisplayName: *display, Password: pw})
		if err != nil {
			return err
		}
		fmt.Printf("created user %s (id %d), password %s\n", *username, id, pw)
		if *role != "" {
			if _, err := app.Auth.GrantRole(ctx, sys, id, auth.Role(*role), *orgID); err != nil {
				return err
			}
			fmt.Printf("granted %s on organization %d\n", *role, *orgID)
		}
	case "reset-password":
		id, err := app.Auth.UserID(ctx, *username)
		if err != nil {
			return err
		}
		unlock := true
		if _, err := app.Auth.UpdateUser(ctx, sys, id, auth.UserPatch{Password: &pw, Unlock: &unlock}); err != nil {
			return err
		}
		fmt.Printf("password of %s reset to %s\n", *username, pw)
	case "grant":
		id, err := app.Auth.UserID(ctx, *username)
		if err != nil {
			return err
		}
		if _, err := app.Auth.GrantRole(ctx, sys, id, auth.Role(*role), *orgID); err != nil {
			return err
		}
		fmt.Printf("granted %s on organization %d to %s\n", *role, *orgID, *username)
	case "list":
		users, _, err := app.Auth.ListUsers(ctx, sys, "", httpxPage(1000))
		if err != nil {
			return err
		}
		for _, u := range users {
			fmt.Printf("%-20s %-12s", u.Username, u.DisplayName)
			for _, g := range u.Grants {
				fmt.Printf(" %s@%d", g.Role, g.OrgID)
			}
			fmt.Println()
		}
	default:
		return fmt.Errorf("unknown user command %q", sub)
	}
	return nil
}

func httpxPage(n int) httpx.Page { return httpx.Page{Page: 1, Size: n} }

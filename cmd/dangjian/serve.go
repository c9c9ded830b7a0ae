package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/jobs"
)

func init() {
	register("serve", "run the web server (migrates the database first)", serve)
	register("migrate", "bring the database schema up to date", migrate)
	register("openapi", "print the OpenAPI 3.1 description of the API", openapi)
}

func serve(ctx context.Context, args []string) error {
	f := newFlags("serve", "Runs the HTTP server with the web application and the API.")
	dsn := f.dbFlag()
	addr := f.str("addr", "127.0.0.1:8080", "address to listen on")
	dataDir := f.str("data-dir", "data", "directory for uploads and import reports")
	idle := f.duration("idle-timeout", 30*time.Minute, "a session unused this long expires")
	maxAge := f.duration("session-max-age", 12*time.Hour, "a session expires this long after login")
	secure := f.Bool("secure-cookie", env("secure-cookie", "") == "true", "mark the session cookie Secure (behind HTTPS)")
	dupLimit := f.integer("duplicate-limit", member.DefaultDuplicateLimit, "ID numbers held outside their scope a user may hit per window before every ID number is refused alike")
	dupWindow := f.duration("duplicate-window", member.DefaultDuplicateWindow, "the window of --duplicate-limit")
	runJobs := f.Bool("jobs", env("jobs", "true") == "true", "run the scheduled jobs (reminders); safe on several instances")
	if err := f.Parse(args); err != nil {
		return err
	}
	app, err := openApp(ctx, *dsn, *dataDir)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	app.Auth.IdleTimeout, app.Auth.SessionMaxAge, app.Auth.SecureCookie = *idle, *maxAge, *secure
	app.Members.DuplicateLimit, app.Members.DuplicateWindow = *dupLimit, *dupWindow
	created, pw, err := app.Auth.EnsureAdmin(ctx, os.Getenv("DANGJIAN_ADMIN_PASSWORD"))
	if err != nil {
		return err
	}
	if created && os.Getenv("DANGJIAN_ADMIN_PASSWORD") == "" {
		fmt.Printf("Created the first administrator: username admin, password %s (shown once; change it after logging in)\n", pw)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           app.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // imports upload large files
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	url := "http://" + ln.Addr().String()
	fmt.Printf("dangjian is serving %s on %s (database: %s)\n", url, ln.Addr(), app.DB.Dialect())
	if b, err := os.ReadFile(filepath.Join(*dataDir, "demo-accounts.txt")); err == nil {
		fmt.Printf("Log in at %s with a demo account:\n%s", url, b)
	} else {
		fmt.Printf("Log in at %s\n", url)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if *runJobs {
		// Reminders once a day, cluster-wide (an advisory lock on PostgreSQL).
		runner := &jobs.Runner{DB: app.DB, Clock: clock.System{}}
		go runner.Daily(ctx, "life-remind", 10*time.Minute, app.Life.Remind)
		// The nightly full re-evaluation keeps the compliance rollup honest (from 02:00 CST).
		// A rebuild under a newly loaded rule pack that no instance finished (it crashed, or was
		// stopped) is done now; the job's key makes it once.
		go func() {
			if err := app.Life.RebuildForPack(ctx, app.Packs); err != nil {
				slog.ErrorContext(ctx, "rebuild under the rule pack failed", "err", err)
			}
		}()
		go runner.DailyAfter(ctx, life.RecountJob, 2, 10*time.Minute, func(ctx context.Context, _ time.Time) (string, error) {
			took, err := app.Life.Recount(ctx)
			return "rebuilt in " + took.String(), err
		})
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func migrate(ctx context.Context, args []string) error {
	f := newFlags("migrate", "Applies the database migrations that have not run yet.")
	dsn := f.dbFlag()
	recount := f.Bool("recount", false, "also rebuild the subtree rollups from the raw rows (repair)")
	if err := f.Parse(args); err != nil {
		return err
	}
	d, err := openDBOnly(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	done, err := d.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Printf("migrations applied: %v (engine %s)\n", done, d.Dialect())
	if *recount {
		took, err := org.RecountStats(ctx, d)
		if err != nil {
			return err
		}
		fmt.Printf("rollups rebuilt in %s\n", took.Round(time.Millisecond))
	}
	return nil
}

func openapi(ctx context.Context, args []string) error {
	f := newFlags("openapi", "Prints the OpenAPI 3.1 description (no database needed).")
	if err := f.Parse(args); err != nil {
		return err
	}
	_, err := os.Stdout.Write(specOnly())
	return err
}

package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/jobs"
	"dangjian/internal/platform/limit"
	"dangjian/internal/server"
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
	bodyTimeout := f.duration("body-timeout", 30*time.Second, "a request must arrive within this (routes taking large uploads get proportionally more)")
	maxConns := f.integer("max-conns", 1000, "connections open at once; more are answered 503 (0: no cap)")
	metricsToken := f.str("metrics-token", "", "lets /metrics be read from anywhere with Authorization: Bearer <token>; without it only from loopback")
	trusted := f.str("trusted-proxy", "", "comma-separated addresses or CIDRs of the reverse proxies in front: their X-Forwarded-For gives the client address, their X-Forwarded-Proto: https marks the cookie Secure")
	perIP := f.integer("login-rate-ip", 30, "login attempts a minute from one client address (0: no limit)")
	perUser := f.integer("login-rate-user", 10, "login attempts a minute for one username (0: no limit)")
	hashMB := f.integer("hash-memory-mb", 128, "memory for password hashes computed at once (19 MiB each; the rest queue or get 429)")
	dupLimit := f.integer("duplicate-limit", member.DefaultDuplicateLimit, "ID numbers held outside their scope a user may hit per window before every ID number is refused alike")
	dupWindow := f.duration("duplicate-window", member.DefaultDuplicateWindow, "the window of --duplicate-limit")
	runJobs := f.Bool("jobs", env("jobs", "true") == "true", "run the scheduled jobs (reminders); safe on several instances")
	heavySlots := f.integer("heavy-slots", limit.DefaultSlots, "how many heavy requests (imports, exports, record books, image uploads) run at once; more get 429")
	heavyRetry := f.duration("heavy-retry-after", limit.DefaultRetryAfter, "the Retry-After of a heavy request turned away")
	authTTL := f.duration("auth-cache-ttl", auth.DefaultCacheTTL, "how long a logged-in caller is reused without reading the database (0: never); logouts, password changes, disabling and grant changes take effect at once on every instance regardless")
	if err := f.Parse(args); err != nil {
		return err
	}
	// The log (the access log: a line per request) is written from memory every 200 ms, so
	// requests never queue behind a slow stderr; what waits is written at the end.
	logs := httpx.NewLogBuffer(os.Stderr, 200*time.Millisecond, 256<<10)
	defer logs.Close()
	slog.SetDefault(slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: logLevel()})))
	app, err := openApp(ctx, *dsn, *dataDir)
	if err != nil {
		return err
	}
	defer app.DB.Close()
	// An import a crash left half applied (SQLite commits imports in batches) is undone
	// before the first request: imports stay all or nothing across a crash.
	if n, err := app.Sheets.RecoverImports(ctx, time.Now()); err != nil {
		return fmt.Errorf("undo imports left half applied: %w", err)
	} else if n > 0 {
		fmt.Printf("undid %d import(s) a crash had left half applied (audit: import_undone)\n", n)
	}
	// After the last request: the sessions' last uses still waiting are written.
	defer app.Auth.Close()
	app.Auth.CacheTTL = *authTTL
	app.Auth.IdleTimeout, app.Auth.SessionMaxAge, app.Auth.SecureCookie = *idle, *maxAge, *secure
	app.MetricsToken = *metricsToken
	if app.Auth.TrustedProxies, err = httpx.ParseProxies(*trusted); err != nil {
		return fmt.Errorf("--trusted-proxy: %w", err)
	}
	app.Auth.LoginPerIP.Limit, app.Auth.LoginPerUser.Limit = *perIP, *perUser
	app.Auth.Hasher = auth.NewHasher(int64(*hashMB) << 20)
	app.LimitHeavy(*heavySlots, *heavyRetry)
	app.Members.DuplicateLimit, app.Members.DuplicateWindow = *dupLimit, *dupWindow
	created, pw, err := app.Auth.EnsureAdmin(ctx, os.Getenv("DANGJIAN_ADMIN_PASSWORD"))
	if err != nil {
		return err
	}
	if created && os.Getenv("DANGJIAN_ADMIN_PASSWORD") == "" {
		// serve's output usually ends up in a system log: the password goes to a file only the
		// server's account can read.
		file := filepath.Join(*dataDir, "initial-admin-password.txt")
		if err := os.MkdirAll(*dataDir, 0o700); err != nil {
			return err
		}
		if err := os.WriteFile(file, []byte(pw+"\n"), 0o600); err != nil {
			return err
		}
		fmt.Printf("Created the first administrator: username admin, password in %s (delete the file after logging in and changing it)\n", file)
	}
	limits := server.Limits{BodyTimeout: *bodyTimeout, MaxConns: *maxConns}
	ln, err := server.Listen(*addr, limits)
	if err != nil {
		return err
	}
	srv := app.HTTPServer(limits)
	url := "http://" + ln.Addr().String()
	fmt.Printf("dangjian is serving %s on %s (database: %s)\n", url, ln.Addr(), app.DB.Dialect())
	fmt.Print(loginHint(url, demoAccountsPath(*dsn, *dataDir)))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if *runJobs {
		// Reminders once a day, cluster-wide (an advisory lock on PostgreSQL).
		runner := &jobs.Runner{DB: app.DB, Clock: clock.System{}}
		go runner.Daily(ctx, "life-remind", 10*time.Minute, app.Compliance.Remind)
		go runner.Daily(ctx, "commitment-remind", 10*time.Minute, app.Commitments.Remind) // 公开承诺 due soon
		// Rectification items past due become overdue (the rollup) and reminders go out.
		go runner.Daily(ctx, "rectify-sweep", 10*time.Minute, app.Rectify.Sweep)
		go runner.Daily(ctx, "conversion-sweep", 10*time.Minute, app.Classify.Sweep)
		// The nightly recount keeps every rollup honest (from 02:00 CST): all the domains'
		// parts (server.Tree), the compliance rollup among them.
		// A rebuild under a newly loaded rule pack that no instance finished (it crashed, or was
		// stopped) is done now; the job's key makes it once.
		go func() {
			if err := app.Compliance.RebuildForPack(ctx, app.Packs); err != nil {
				slog.ErrorContext(ctx, "rebuild under the rule pack failed", "err", err)
			}
		}()
		go runner.DailyAfter(ctx, rules.RecountJob, 2, 10*time.Minute, func(ctx context.Context, _ time.Time) (string, error) {
			took, err := app.Tree.Recount(ctx, app.DB)
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

// loginHint says where to log in and, on a demo database, with which accounts (listed in
// accountsFile, see demoAccountsPath). It never shows a password: the demo command printed it
// once when it created the accounts.
func loginHint(url, accountsFile string) string {
	b, err := os.ReadFile(accountsFile)
	if err != nil {
		return fmt.Sprintf("Log in at %s\n", url)
	}
	return fmt.Sprintf("Log in at %s with a demo account (the password was printed by `dangjian demo`; "+
		"`dangjian user reset-password --username NAME` sets a new one):\n%s", url, b)
}

func migrate(ctx context.Context, args []string) error {
	f := newFlags("migrate", "Applies the database migrations that have not run yet.")
	dsn := f.dbFlag()
	recount := f.Bool("recount", false, "also rebuild the subtree rollups from the raw rows (repair)")
	if err := f.Parse(args); err != nil {
		return err
	}
	if err := createDatabase(ctx, *dsn); err != nil {
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
		// Every domain's part (server.Tree); no files are touched, so no data directory.
		took, err := server.New(d, clock.System{}, "").Tree.Recount(ctx, d)
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

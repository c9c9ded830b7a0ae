package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"dangjian/internal/bench"
)

func init() {
	register("bench", "measure statistics, roster, move, import and HTTP figures on a demo database", benchCmd)
}

func benchCmd(ctx context.Context, args []string) error {
	f := newFlags("bench", "Measures the figures of docs/PERFORMANCE.md on a database loaded with `dangjian demo`.\n"+
		"It moves the largest street away and back, and (last) imports 100,000 rows: into a copy of a SQLite\n"+
		"file, into the database itself on PostgreSQL (use --import=false to skip).")
	dsn := f.dbFlag()
	n := f.integer("n", 200, "iterations of each fast measurement")
	naiveN := f.integer("naive-n", 3, "iterations of each naive (slow) statistics query")
	clients := f.integer("clients", 32, "concurrent HTTP clients (0 skips the HTTP part)")
	dur := f.duration("duration", 10*time.Second, "duration of each HTTP measurement")
	addr := f.str("addr", "127.0.0.1:0", "loopback address of the internal server")
	password := f.str("password", os.Getenv("DANGJIAN_DEMO_PASSWORD"), "admin password (the demo password)")
	dataDir := f.str("data-dir", os.TempDir(), "data directory of the internal server")
	moves := f.integer("moves", 1, "round trips of the street move (0 skips)")
	imp := f.Bool("import", env("import", "true") == "true", "run the 100,000-row import last")
	md := f.Bool("markdown", false, "also print markdown rows for docs/PERFORMANCE.md")
	mode := f.str("mode", "all", "all (the figures above), endpoints (every request of the pages, --n each, at the root and below a street)\n"+
		"or mixed (--clients simulated users for --duration: login, dashboard, roster, a branch's year view, attendance saved)")
	if err := f.Parse(args); err != nil {
		return err
	}
	d, err := openDB(ctx, *dsn)
	if err != nil {
		return err
	}
	defer d.Close()
	opt := bench.Options{N: *n, NaiveN: *naiveN, Clients: *clients, Duration: *dur, Addr: *addr,
		Password: *password, DataDir: *dataDir, Moves: *moves, Import: *imp, DSN: *dsn, Out: os.Stdout}
	var rep *bench.Report
	switch *mode {
	case "all":
		rep, err = bench.Run(ctx, d, opt)
	case "endpoints":
		rep, err = bench.Endpoints(ctx, d, opt)
	case "mixed":
		rep, err = bench.Mixed(ctx, d, opt)
	default:
		err = fmt.Errorf("--mode: all, endpoints or mixed, not %q", *mode)
	}
	if err != nil {
		return err
	}
	fmt.Println()
	fmt.Print(rep.Table(false))
	if *md {
		fmt.Println()
		fmt.Print(rep.Table(true))
	}
	return nil
}

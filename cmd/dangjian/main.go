// Command dangjian is the grassroots Party-building platform: one binary with the server
// and the tools around it. Run `dangjian help` for the subcommands.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/server"
)

// command is one subcommand; files register theirs in init.
type command struct {
	summary string
	run     func(ctx context.Context, args []string) error
}

var commands = map[string]command{}

func register(name, summary string, run func(ctx context.Context, args []string) error) {
	commands[name] = command{summary: summary, run: run}
}

func main() {
	privateFiles()
	slog.SetDefault(slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: logLevel()})))
	if len(os.Args) < 2 || os.Args[1] == "help" || os.Args[1] == "-h" || os.Args[1] == "--help" {
		usage(os.Stdout)
		return
	}
	cmd, ok := commands[os.Args[1]]
	if !ok {
		fmt.Fprintf(os.Stderr, "dangjian: unknown command %q\n\n", os.Args[1])
		usage(os.Stderr)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd.run(ctx, os.Args[2:]); err != nil {
		if err == flag.ErrHelp {
			return
		}
		fmt.Fprintln(os.Stderr, "dangjian:", err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "dangjian — grassroots Party-building platform\n\nUsage: dangjian <command> [flags]   (dangjian <command> --help for its flags)\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nEvery flag can also be set by an environment variable DANGJIAN_<FLAG> (e.g. DANGJIAN_DB, DANGJIAN_ADDR).")
}

func logLevel() slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(env("LOG_LEVEL", "info"))); err != nil {
		return slog.LevelInfo
	}
	return l
}

// env reads DANGJIAN_<name>, or def.
func env(name, def string) string {
	if v, ok := os.LookupEnv("DANGJIAN_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))); ok {
		return v
	}
	return def
}

// flags is a flag set whose defaults come from the environment.
type flags struct{ *flag.FlagSet }

func newFlags(name, usage string) flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: dangjian %s [flags]\n\n%s\n\nFlags (each also DANGJIAN_<FLAG>):\n", name, usage)
		fs.PrintDefaults()
	}
	return flags{fs}
}

func (f flags) str(name, def, help string) *string { return f.String(name, env(name, def), help) }

func (f flags) integer(name string, def int, help string) *int {
	v := def
	if s := env(name, ""); s != "" {
		fmt.Sscan(s, &v)
	}
	return f.Int(name, v, help)
}

func (f flags) duration(name string, def time.Duration, help string) *time.Duration {
	v := def
	if s := env(name, ""); s != "" {
		if d, err := time.ParseDuration(s); err == nil {
			v = d
		}
	}
	return f.Duration(name, v, help)
}

func (f flags) dbFlag() *string {
	return f.str("db", "data/dangjian.db", "database: a SQLite file path, or a postgres:// URL")
}

// openDB opens and migrates the database.
func openDB(ctx context.Context, dsn string) (*db.DB, error) {
	d, err := db.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// openApp opens the database and assembles the application.
func openApp(ctx context.Context, dsn, dataDir string) (*server.App, error) {
	d, err := openDB(ctx, dsn)
	if err != nil {
		return nil, err
	}
	return server.New(d, clock.System{}, dataDir), nil
}

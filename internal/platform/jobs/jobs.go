// Package jobs runs scheduled work (reminders, nightly evaluations) once per run key across
// the whole cluster: a PostgreSQL advisory lock keeps two instances from running a job at
// once, and the job_runs table keeps a finished run from being repeated after a restart.
package jobs

import (
	"context"
	"log/slog"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// Failed starts the result of a run that stopped with an error (it stays unfinished).
const Failed = "failed: "

// Runner runs jobs against a database with a clock.
type Runner struct {
	DB    *db.DB
	Clock clock.Clock
}

// Once runs fn for (name, key) unless a run with that key has finished (or another instance
// holds the job's lock). It reports whether fn ran.
func (r *Runner) Once(ctx context.Context, name, key string, fn func(ctx context.Context) (string, error)) (bool, error) {
	ran := false
	_, err := r.DB.WithLock(ctx, "job:"+name, func(ctx context.Context) error {
		var done int
		if err := r.DB.QueryRow(ctx, `SELECT COUNT(*) FROM job_runs WHERE name = ? AND run_key = ? AND finished_at IS NOT NULL`, name, key).Scan(&done); err != nil {
			return err
		}
		if done > 0 {
			return nil
		}
		start := r.Clock.Now()
		if _, err := r.DB.Exec(ctx, `INSERT INTO job_runs (name, run_key, started_at) VALUES (?, ?, ?)
			ON CONFLICT (name, run_key) DO UPDATE SET started_at = excluded.started_at`, name, key, start); err != nil {
			return err
		}
		result, err := fn(ctx)
		if err != nil {
			// Kept unfinished, so the next attempt runs again; the error says why it stopped.
			_, _ = r.DB.Exec(context.WithoutCancel(ctx), `UPDATE job_runs SET result = ? WHERE name = ? AND run_key = ?`, Failed+err.Error(), name, key)
			return err
		}
		ran = true
		_, err = r.DB.Exec(ctx, `UPDATE job_runs SET finished_at = ?, result = ? WHERE name = ? AND run_key = ?`, r.Clock.Now(), result, name, key)
		return err
	})
	return ran, err
}

// Daily runs fn once per China Standard Time day, checking every interval until ctx ends.
func (r *Runner) Daily(ctx context.Context, name string, interval time.Duration, fn func(ctx context.Context, now time.Time) (string, error)) {
	r.DailyAfter(ctx, name, 0, interval, fn)
}

// DailyAfter is Daily, but a day's run starts only from the given hour (China Standard
// Time), for heavy work that belongs to the night.
func (r *Runner) DailyAfter(ctx context.Context, name string, hour int, interval time.Duration, fn func(ctx context.Context, now time.Time) (string, error)) {
	tick := func() {
		now := r.Clock.Now()
		if now.In(clock.CST).Hour() < hour {
			return
		}
		ran, err := r.Once(ctx, name, clock.Today(now), func(ctx context.Context) (string, error) { return fn(ctx, now) })
		if err != nil {
			slog.ErrorContext(ctx, "job failed", "job", name, "err", err)
		} else if ran {
			slog.InfoContext(ctx, "job ran", "job", name, "day", clock.Today(now))
		}
	}
	tick()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			tick()
		}
	}
}

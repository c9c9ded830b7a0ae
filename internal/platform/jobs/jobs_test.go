package jobs

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

func TestOncePerKey(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := &Runner{DB: d, Clock: clock.NewFake(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))}
		runs := 0
		job := func(context.Context) (string, error) { runs++; return "done", nil }
		for i := 0; i < 3; i++ {
			if _, err := r.Once(ctx, "remind", "2026-11-22", job); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := r.Once(ctx, "remind", "2026-11-23", job); err != nil {
			t.Fatal(err)
		}
		if runs != 2 {
			t.Fatalf("ran %d times, want once per key", runs)
		}
		// A failed run is not marked done and runs again.
		fails := 0
		failing := func(context.Context) (string, error) { fails++; return "", errors.New("boom") }
		_, _ = r.Once(ctx, "flaky", "k", failing)
		_, _ = r.Once(ctx, "flaky", "k", failing)
		if fails != 2 {
			t.Fatalf("failed job ran %d times", fails)
		}
		// ... and its row says why it stopped.
		var result string
		var finished *time.Time
		if err := d.QueryRow(ctx, `SELECT result, finished_at FROM job_runs WHERE name = 'flaky' AND run_key = 'k'`).Scan(&result, &finished); err != nil {
			t.Fatal(err)
		}
		if result != Failed+"boom" || finished != nil {
			t.Errorf("failed run recorded as %q, finished %v", result, finished)
		}
	})
}

// On PostgreSQL, while one instance holds a job's lock, another does not run it.
func TestAdvisoryLock(t *testing.T) {
	for _, e := range db.Engines() {
		if e != db.Postgres {
			continue
		}
		d := db.OpenTest(t, e)
		ctx := context.Background()
		inside := make(chan struct{})
		release := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = d.WithLock(ctx, "job:x", func(context.Context) error { close(inside); <-release; return nil })
		}()
		<-inside
		ok, err := d.WithLock(ctx, "job:x", func(context.Context) error { t.Error("ran while locked"); return nil })
		if err != nil || ok {
			t.Fatalf("second holder: ok %v err %v", ok, err)
		}
		close(release)
		wg.Wait()
		ok, err = d.WithLock(ctx, "job:x", func(context.Context) error { return nil })
		if err != nil || !ok {
			t.Fatalf("after release: ok %v err %v", ok, err)
		}
	}
}

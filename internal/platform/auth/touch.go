package auth

import (
	"context"
	"sync"
	"time"

	"dangjian/internal/platform/db"
)

// touches batches the writes of sessions' last_seen_at off the request path: a request only
// records that its session was used (at most once a minute per session, Authenticate), and
// flush writes what was recorded in one transaction — every few seconds, and at Close.
type touches struct {
	mu       sync.Mutex
	pending  map[int64]time.Time // session id → last use, not yet written
	inflight map[int64]time.Time // being written by flush now
	flushMu  sync.Mutex          // one flush at a time
}

func newTouches() *touches {
	return &touches{pending: map[int64]time.Time{}, inflight: map[int64]time.Time{}}
}

// add records a use of session id at t.
func (t *touches) add(id int64, at time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if at.After(t.pending[id]) {
		t.pending[id] = at
	}
}

// latest is the last recorded use of session id not yet in the database: a session read from
// the database must not look idle because its last use is still waiting here.
func (t *touches) latest(id int64) time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	p, f := t.pending[id], t.inflight[id]
	if f.After(p) {
		return f
	}
	return p
}

// flush writes the recorded uses. A use is never moved backwards (another instance may have
// written a later one); on failure the uses are kept for the next flush.
func (t *touches) flush(ctx context.Context, d *db.DB) error {
	t.flushMu.Lock()
	defer t.flushMu.Unlock()
	t.mu.Lock()
	batch := t.pending
	t.pending, t.inflight = map[int64]time.Time{}, batch
	t.mu.Unlock()
	if len(batch) == 0 {
		return nil
	}
	err := d.InTx(ctx, func(tx *db.Tx) error {
		for id, at := range batch {
			if _, err := tx.Exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?`, at, id, at); err != nil {
				return err
			}
		}
		return nil
	})
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		for id, at := range batch {
			if at.After(t.pending[id]) {
				t.pending[id] = at
			}
		}
	}
	t.inflight = map[int64]time.Time{}
	return err
}

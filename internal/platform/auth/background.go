package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"dangjian/internal/platform/db"
)

// channel carries the invalidations of cached credentials between instances (db.Listen).
// Payloads: "s:<session id>", "u:<user id>", "*" (everything), "sync:<nonce>" (Sync).
const channel = "dangjian_auth"

// background is what the service runs outside requests once it serves: the LISTEN loop that
// applies other instances' invalidations, and the flusher of last_seen_at (touches).
type background struct {
	once   sync.Once
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// listening: on PostgreSQL the cache is used only while invalidations can arrive; on
	// SQLite, one process, always.
	listening atomic.Bool
	running   atomic.Bool // the flusher runs: touches are recorded, not written
	closed    atomic.Bool

	mu      sync.Mutex
	waiters map[string]chan struct{} // Sync's nonces
}

// start launches the background work on first use (the first Authenticate), so every
// holder of a Service — the server, the bench, the tests — gets the cache without wiring;
// Close ends it.
func (s *Service) start() {
	s.bg.once.Do(func() {
		if s.bg.closed.Load() {
			return
		}
		ctx, cancel := context.WithCancel(context.Background())
		s.bg.cancel = cancel
		s.cache.configure(s.CacheTTL, s.CacheSize)
		s.bg.running.Store(true)
		s.bg.wg.Add(1)
		go func() {
			defer s.bg.wg.Done()
			s.flushEvery(ctx)
		}()
		if s.DB.Dialect() != db.Postgres {
			s.bg.listening.Store(true)
			return
		}
		ready := make(chan struct{})
		var first sync.Once
		s.bg.wg.Add(1)
		go func() {
			defer s.bg.wg.Done()
			s.DB.Listen(ctx, channel, func() {
				// First start or a reconnect: whatever was sent meanwhile is unknown.
				s.cache.drop(func(*session) bool { return true })
				s.bg.listening.Store(true)
				first.Do(func() { close(ready) })
			}, s.received)
		}()
		// The first request waits for the LISTEN (a connection's setup) so that the cache
		// serves from the start; without the database it goes on uncached.
		select {
		case <-ready:
		case <-time.After(5 * time.Second):
		}
	})
}

func (s *Service) flushEvery(ctx context.Context) {
	t := time.NewTicker(s.TouchEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.touch.flush(ctx, s.DB); err != nil && ctx.Err() == nil {
				slog.WarnContext(ctx, "writing sessions' last use failed; kept for the next flush", "err", err)
			}
		}
	}
}

// Close stops the background work and writes the sessions' last uses still recorded. Call it
// when the server has stopped taking requests.
func (s *Service) Close() error {
	s.bg.closed.Store(true)
	s.bg.once.Do(func() {}) // never start after Close
	if s.bg.cancel != nil {
		s.bg.cancel()
	}
	s.bg.wg.Wait()
	s.bg.listening.Store(false)
	s.bg.running.Store(false)
	return s.touch.flush(context.Background(), s.DB)
}

// cacheOn tells whether Authenticate may use the cache now.
func (s *Service) cacheOn() bool {
	return s.CacheTTL > 0 && s.bg.listening.Load() && !s.bg.closed.Load()
}

// received applies one invalidation sent by an instance (this one included).
func (s *Service) received(payload string) {
	if nonce, ok := strings.CutPrefix(payload, "sync:"); ok {
		s.bg.mu.Lock()
		if ch, ok := s.bg.waiters[nonce]; ok {
			close(ch)
			delete(s.bg.waiters, nonce)
		}
		s.bg.mu.Unlock()
		return
	}
	s.forgetHere(payload)
}

// forgetHere drops the cached credentials a payload names.
func (s *Service) forgetHere(key string) {
	kind, v, _ := strings.Cut(key, ":")
	id, _ := strconv.ParseInt(v, 10, 64)
	switch kind {
	case "s":
		s.cache.drop(func(e *session) bool { return e.id == id })
	case "u":
		s.cache.drop(func(e *session) bool { return e.userID == id })
	default:
		s.cache.drop(func(*session) bool { return true })
	}
}

// inTxForget runs fn in a transaction that also tells every instance to forget key (sent at
// commit), and forgets it here once committed — before the caller answers, so this
// instance's next request already reads the change.
func (s *Service) inTxForget(ctx context.Context, key func() string, fn func(tx *db.Tx) error) error {
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		if k := key(); k != "" {
			return tx.Notify(ctx, channel, k)
		}
		return nil
	})
	if err == nil {
		if k := key(); k != "" {
			s.forgetHere(k)
		}
	}
	return err
}

func sessionKey(id int64) func() string {
	return func() string { return "s:" + strconv.FormatInt(id, 10) }
}
func userKey(id int64) func() string {
	return func() string { return "u:" + strconv.FormatInt(id, 10) }
}

// Sync returns once this instance has applied every invalidation committed anywhere before
// the call: PostgreSQL delivers a channel's notifications in commit order, so when this
// instance hears its own "sync" it has heard all that came before. Notifications arrive
// within milliseconds anyway; Sync makes "at once" exact where a test needs it (the
// two-instance harness). It returns at once when the cache is not in use.
func (s *Service) Sync(ctx context.Context) error {
	if !s.cacheOn() || s.DB.Dialect() != db.Postgres {
		return nil
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	nonce := hex.EncodeToString(b)
	ch := make(chan struct{})
	s.bg.mu.Lock()
	if s.bg.waiters == nil {
		s.bg.waiters = map[string]chan struct{}{}
	}
	s.bg.waiters[nonce] = ch
	s.bg.mu.Unlock()
	if err := s.DB.Notify(ctx, channel, "sync:"+nonce); err != nil {
		return err
	}
	select {
	case <-ch:
		return nil
	case <-ctx.Done():
		s.bg.mu.Lock()
		delete(s.bg.waiters, nonce)
		s.bg.mu.Unlock()
		return ctx.Err()
	}
}

// FlushTouches writes the recorded last uses of sessions now (tests; Close does it too).
func (s *Service) FlushTouches(ctx context.Context) error { return s.touch.flush(ctx, s.DB) }

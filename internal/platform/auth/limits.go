package auth

import (
	"context"
	"math"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	i18n.Register(map[string][2]string{
		"code.rate_limited":   {"请求过于频繁", "Too many requests"},
		"detail.rate_limited": {"尝试次数过多，请%d秒后再试", "Too many attempts; try again in %d seconds"},
		"v.password_username": {"%s：不能与用户名相同", "%s: must not be the username"},
		"v.password_common":   {"%s：过于常见，容易被猜中，请换一个", "%s: too common, easily guessed; choose another"},
	})
}

// rateLimited is the 429 answer; retry is when a new attempt may succeed.
func rateLimited(retry time.Duration) *httpx.Error {
	secs := max(1, int(math.Ceil(retry.Seconds())))
	return &httpx.Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Detail: i18n.M("detail.rate_limited", secs),
		Extra: map[string]any{"retry_after_seconds": secs}}
}

// Hasher bounds the password hashes computed at once. An argon2id hash holds 19 MiB while it
// runs, so unbounded concurrent logins exhaust memory; a few run, a short queue waits, and
// the rest are refused with 429 at once (waiting costs no memory, hashing does).
type Hasher struct {
	slots    chan struct{} // one per hash that may run
	admitted chan struct{} // running or waiting
	inFlight atomic.Int64
	peak     atomic.Int64
	done     atomic.Int64
}

// hashMemory is what one hash holds (argonMemory KiB).
const hashMemory = argonMemory << 10

// NewHasher returns a hasher that runs as many hashes as fit in memoryBudget bytes (at least
// one) and lets four times as many wait.
func NewHasher(memoryBudget int64) *Hasher {
	n := max(1, int(memoryBudget/hashMemory))
	return &Hasher{slots: make(chan struct{}, n), admitted: make(chan struct{}, 5*n)}
}

// Slots is how many hashes may run at once.
func (h *Hasher) Slots() int { return cap(h.slots) }

// Peak is the most hashes that ran at once so far.
func (h *Hasher) Peak() int { return int(h.peak.Load()) }

// Hashes is how many hashes have run so far.
func (h *Hasher) Hashes() int64 { return h.done.Load() }

// Do runs f (which hashes) when a slot is free; it refuses with 429 when the queue is full.
func (h *Hasher) Do(ctx context.Context, f func() error) error {
	select {
	case h.admitted <- struct{}{}:
	default:
		return rateLimited(time.Second)
	}
	defer func() { <-h.admitted }()
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h.slots }()
	n := h.inFlight.Add(1)
	defer h.inFlight.Add(-1)
	defer h.done.Add(1)
	for p := h.peak.Load(); n > p && !h.peak.CompareAndSwap(p, n); p = h.peak.Load() {
	}
	return f()
}

// Hash is HashPassword within the bound.
func (h *Hasher) Hash(ctx context.Context, pw string) (hash string, err error) {
	err = h.Do(ctx, func() error {
		hash, err = HashPassword(pw)
		return err
	})
	return hash, err
}

// Check is CheckPassword within the bound.
func (h *Hasher) Check(ctx context.Context, hash, pw string) (ok bool, err error) {
	err = h.Do(ctx, func() error {
		ok, err = CheckPassword(hash, pw)
		return err
	})
	return ok, err
}

// Limiter allows Limit attempts per key in any sliding window of Per. It keeps the times of
// the last Limit attempts of each key, in memory: each instance counts its own requests.
type Limiter struct {
	Limit int
	Per   time.Duration
	mu    sync.Mutex
	seen  map[string][]time.Time
	sweep time.Time
}

// Allow records an attempt for key at now, or tells how long until one is allowed.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	if l == nil || l.Limit <= 0 {
		return true, 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen == nil {
		l.seen = map[string][]time.Time{}
	}
	if now.Sub(l.sweep) > l.Per { // forget quiet keys so the map stays small
		for k, ts := range l.seen {
			if now.Sub(ts[len(ts)-1]) >= l.Per {
				delete(l.seen, k)
			}
		}
		l.sweep = now
	}
	ts := l.seen[key]
	for len(ts) > 0 && now.Sub(ts[0]) >= l.Per {
		ts = ts[1:]
	}
	if len(ts) >= l.Limit {
		l.seen[key] = ts
		return false, ts[0].Add(l.Per).Sub(now)
	}
	l.seen[key] = append(ts, now)
	return true, 0
}

package auth

import (
	"sync"
	"time"
)

// session is a credential as Authenticate resolved it from the database: the session or API
// token row, its user and the user's grants.
type session struct {
	id, userID, memberID int64
	kind, username       string
	created, lastSeen    time.Time
	expires              time.Time // zero: none recorded
	revoked, disabled    bool
	grants               []Grant // shared by every copy: read only
	loaded               time.Time
}

// sessionCache keeps resolved credentials by token hash for a few seconds, so that a request
// costs no query to find its caller. Every write that ends or changes a session, a user or a
// user's grants drops the entries it touches (Service.forget), here at once and on the other
// instances through PostgreSQL NOTIFY; the TTL bounds how long an entry could outlive a change
// whose notification an instance missed (while its LISTEN connection was down, or a change
// made by a process that does not notify). Entries are bounded in number.
type sessionCache struct {
	mu      sync.Mutex
	ttl     time.Duration
	max     int
	entries map[string]*session
	// gen counts invalidations: a load that began before one may have read what it
	// invalidated, so it is not stored (put).
	gen uint64
}

func newSessionCache() *sessionCache { return &sessionCache{entries: map[string]*session{}} }

// configure sets the TTL and the bound (when the service starts serving).
func (c *sessionCache) configure(ttl time.Duration, max int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ttl, c.max = ttl, max
}

// get returns a copy of the entry of hash, unless there is none or it is older than the TTL
// (by the service's clock; an entry from the clock's future is stale too).
func (c *sessionCache) get(hash string, now time.Time) (session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[hash]
	if !ok {
		return session{}, false
	}
	if now.Sub(e.loaded) >= c.ttl || now.Before(e.loaded) {
		delete(c.entries, hash)
		return session{}, false
	}
	return *e, true
}

// generation is the invalidation count a load starts from.
func (c *sessionCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put stores an entry loaded from generation gen, unless something was invalidated since.
// A full cache first sheds its stale entries, then arbitrary ones (map order), down to
// three quarters.
func (c *sessionCache) put(hash string, e session, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.max <= 0 {
		return
	}
	if len(c.entries) >= c.max {
		for h, x := range c.entries {
			if e.loaded.Sub(x.loaded) >= c.ttl {
				delete(c.entries, h)
			}
		}
		for h := range c.entries {
			if len(c.entries) < c.max*3/4 {
				break
			}
			delete(c.entries, h)
		}
	}
	c.entries[hash] = &e
}

// seen records that the session of hash was used at t (its last_seen_at as written next).
func (c *sessionCache) seen(hash string, t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[hash]; ok && t.After(e.lastSeen) {
		e.lastSeen = t
	}
}

// drop removes the entries matching and counts an invalidation.
func (c *sessionCache) drop(match func(e *session) bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	for h, e := range c.entries {
		if match(e) {
			delete(c.entries, h)
		}
	}
}

// size is the number of entries (for tests).
func (c *sessionCache) size() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}

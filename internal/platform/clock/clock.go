// Package clock gives the time to code that must be testable at chosen instants
// (DESIGN principle 7): production uses the system clock, tests a Fake they move.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current instant.
type Clock interface{ Now() time.Time }

// System is the real clock, in UTC.
type System struct{}

func (System) Now() time.Time { return time.Now().UTC() }

// Fake is a clock that only moves when told to.
type Fake struct {
	mu sync.Mutex
	t  time.Time
}

// NewFake returns a fake clock stopped at t.
func NewFake(t time.Time) *Fake { return &Fake{t: t.UTC()} }

func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.t
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.t = f.t.Add(d)
	f.mu.Unlock()
}

// Set moves the clock to t (forward or back), for tests that walk across day boundaries.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.t = t.UTC()
	f.mu.Unlock()
}

// CST is China Standard Time, in which business dates and periods are reckoned.
var CST = time.FixedZone("CST", 8*3600)

// Today returns the business date (China Standard Time) of instant t as YYYY-MM-DD.
func Today(t time.Time) string { return t.In(CST).Format("2006-01-02") }

// Month returns the business month (China Standard Time) of instant t as YYYY-MM.
func Month(t time.Time) string { return t.In(CST).Format("2006-01") }

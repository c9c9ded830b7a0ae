package server

import (
	"testing"
	"time"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// TestCredentialCache: a request is authenticated from the cache (a change behind the
// service's back goes unseen) for at most the TTL; a logout through the service is refused
// at once.
func TestCredentialCache(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		oneInstance(t, "the cache is per instance (TestSessionEndsOnEveryInstance covers two)")
		f := newFixture(t, d)
		tok := f.login("viewerA", testPassword)
		if !f.tokenWorks(tok) {
			t.Fatal("fresh session refused")
		}
		if _, err := d.Exec(t0(), `UPDATE sessions SET revoked_at = ? WHERE id = (SELECT MAX(id) FROM sessions)`, fixtureNow); err != nil {
			t.Fatal(err)
		}
		if !f.tokenWorks(tok) {
			t.Fatal("the session was read again instead of taken from the cache")
		}
		f.clock.Advance(auth.DefaultCacheTTL)
		if f.tokenWorks(tok) {
			t.Fatal("a revoked session outlived the cache's TTL")
		}
		tok = f.login("viewerA", testPassword)
		f.tokens["viewerA"] = tok
		if !f.tokenWorks(tok) || f.do("viewerA", "POST", "/api/v1/auth/logout", nil).status != 204 || f.tokenWorks(tok) {
			t.Fatal("a logged-out session still works")
		}
	})
}

// TestLastSeenWrittenOffTheRequest: a request records its session's use (at most once a
// minute) and the flusher writes it — on its tick, or when the service closes.
func TestLastSeenWrittenOffTheRequest(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := New(d, f.clock, t.TempDir()) // an instance of its own: the flushes are the test's
		a.Auth.TouchEvery = time.Hour
		defer a.Auth.Close()
		res, err := a.Auth.Login(t0(), "viewerA", testPassword, "127.0.0.1", "test")
		if err != nil {
			t.Fatal(err)
		}
		use := func() {
			if _, err := a.Auth.Authenticate(t0(), res.Token, "127.0.0.1"); err != nil {
				t.Fatal(err)
			}
		}
		seen := func() time.Time {
			var ts time.Time
			if err := d.QueryRow(t0(), `SELECT last_seen_at FROM sessions WHERE id = (SELECT MAX(id) FROM sessions)`).Scan(&ts); err != nil {
				t.Fatal(err)
			}
			return ts.UTC()
		}
		login := seen()
		f.clock.Advance(2 * time.Minute)
		use()
		if !seen().Equal(login) {
			t.Fatal("last_seen_at written on the request path")
		}
		if err := a.Auth.FlushTouches(t0()); err != nil {
			t.Fatal(err)
		}
		if want := f.clock.Now(); !seen().Equal(want) {
			t.Fatalf("after the flush: last_seen_at %v, want %v", seen(), want)
		}
		f.clock.Advance(30 * time.Second)
		use() // within the minute: nothing to write
		f.clock.Advance(time.Minute)
		use()
		if err := a.Auth.Close(); err != nil {
			t.Fatal(err)
		}
		if want := f.clock.Now(); !seen().Equal(want) {
			t.Fatalf("after Close: last_seen_at %v, want %v", seen(), want)
		}
	})
}

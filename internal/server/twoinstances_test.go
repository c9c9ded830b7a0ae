package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/jobs"
)

// twoInstances makes every fixture two server instances on one PostgreSQL database, each with
// its own pools, credential cache, LISTEN connection, rule-pack cache and heavy slots, taking
// the fixture's requests in turn (alternate). TestTwoInstances sets it for the tests of
// sessions, rule packs, imports and jobs; DANGJIAN_TEST_TWO_INSTANCES=1 for the whole suite.
var twoInstances = os.Getenv("DANGJIAN_TEST_TWO_INSTANCES") != ""

// oneInstance skips a test of something each instance has of its own (hash slots, heavy
// slots, the cache) when the suite runs on two.
func oneInstance(t *testing.T, why string) {
	t.Helper()
	if twoInstances {
		t.Skip("one instance: " + why)
	}
}

// secondInstance builds the second instance on d's database and returns the handler that
// alternates between the two.
func (f *fixture) secondInstance(d *db.DB) http.Handler {
	t := f.t
	d2, err := d.Reopen(t0())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d2.Close() })
	app2 := New(d2, f.clock, f.app.Dir) // files on storage both reach, as OPERATIONS asks
	t.Cleanup(app2.Life.Wait)
	t.Cleanup(func() { _ = app2.Auth.Close() })
	// The login limiters are in memory, per instance (n instances allow n times the attempts):
	// shared here so that a test's limits and its counts hold across both.
	app2.Auth.LoginPerIP, app2.Auth.LoginPerUser = f.app.Auth.LoginPerIP, f.app.Auth.LoginPerUser
	// The rule pack in force is re-read by each instance every 10 s (rules.Packs.TTL): a test's
	// next request, on the other instance, comes sooner than that.
	f.app.Packs.TTL, app2.Packs.TTL = 0, 0
	f.apps = append(f.apps, app2)
	return &alternate{f: f, hs: []http.Handler{f.app.Handler(), app2.Handler()}, served: make([]atomic.Int64, 2)}
}

// alternate sends each request to the next instance.
type alternate struct {
	f      *fixture
	hs     []http.Handler
	n      atomic.Int64
	served []atomic.Int64
	mu     sync.Mutex
}

func (a *alternate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(a.n.Add(1)-1) % len(a.hs)
	a.settle(r.Context(), i)
	a.served[i].Add(1)
	a.hs[i].ServeHTTP(w, r)
}

// settle brings the instances to where a real deployment is between two requests of a user.
// A test's clock jumps days in no time, so what a server does every few seconds is done
// here before each request: the recorded last uses of sessions are written (a server: every
// 2 s), the background rebuilds have finished (the test waits for them on the first
// instance only), and the instance taking the request has applied every invalidation
// committed so far (a server: within milliseconds of the commit; auth.Service.Sync makes it
// exact). Settings a test changes on the first instance are copied to the second.
func (a *alternate) settle(ctx context.Context, target int) {
	a.mu.Lock()
	first, second := a.f.apps[0], a.f.apps[1]
	if !proxiesEqual(first.Auth.TrustedProxies, second.Auth.TrustedProxies) {
		second.Auth.TrustedProxies = first.Auth.TrustedProxies
	}
	if second.Life.CheckinLimits != first.Life.CheckinLimits {
		second.Life.CheckinLimits = first.Life.CheckinLimits
	}
	if second.Members.DuplicateLimit != first.Members.DuplicateLimit {
		second.Members.DuplicateLimit, second.Members.DuplicateWindow = first.Members.DuplicateLimit, first.Members.DuplicateWindow
	}
	a.mu.Unlock()
	for _, app := range a.f.apps {
		app.Life.Wait()
		if err := app.Auth.FlushTouches(ctx); err != nil {
			a.f.t.Errorf("flush touches: %v", err)
		}
	}
	sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := a.f.apps[target].Auth.Sync(sctx); err != nil {
		a.f.t.Errorf("instance %d did not hear the invalidations: %v", target+1, err)
	}
}

func proxiesEqual[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// at sends a request straight to instance i (0 or 1), without settle: what a real second
// instance sees, when it sees it.
func (f *fixture) at(i int, tok, method, path string) int {
	f.t.Helper()
	req := httptest.NewRequest(method, path, nil)
	req.RemoteAddr = "127.0.0.1:40000"
	req.Header.Set("Authorization", "Bearer "+tok)
	w := httptest.NewRecorder()
	f.srv.Config.Handler.(*alternate).hs[i].ServeHTTP(w, req)
	return w.Code
}

// TestTwoInstances runs the tests of sessions, rule-pack changes, imports and jobs with their
// requests alternating between two instances on one PostgreSQL database (CI sets
// DANGJIAN_TEST_POSTGRES), and checks that both instances took requests.
func TestTwoInstances(t *testing.T) {
	if os.Getenv("DANGJIAN_TEST_POSTGRES") == "" {
		t.Skip("DANGJIAN_TEST_POSTGRES not set")
	}
	if twoInstances {
		t.Skip("the whole suite runs on two instances (DANGJIAN_TEST_TWO_INSTANCES)")
	}
	twoInstances = true
	defer func() { twoInstances = false }()
	for _, tc := range []struct {
		name string
		fn   func(*testing.T)
	}{
		{"sessions", TestLoginLockoutAndSessions},
		{"password change", TestPasswordChangeRevokesSessions},
		{"api tokens", TestAPITokenLife},
		{"lockout", TestLockoutPerAddress},
		{"rule pack load", TestLoadRulePack},
		{"local rule pack", TestExampleLocalPackLectures},
		{"import and export", TestEveryExportAudited},
		{"import duplicates", TestDuplicateIDNoOracle},
		{"jobs: reminders", TestReminders},
		{"jobs: once", TestJobsRunOnceAcrossInstances},
		{"invalidation", TestSessionEndsOnEveryInstance},
	} {
		t.Run(tc.name, tc.fn)
	}
}

// TestSessionEndsOnEveryInstance: a logout, a password reset, disabling an account, a revoked
// grant and a revoked API token on one instance are refused on the other at once — by the
// NOTIFY, not the cache's TTL: the test's clock stands still, so no cached entry ages out.
func TestSessionEndsOnEveryInstance(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		if d.Dialect() != db.Postgres {
			t.Skip("one instance on SQLite")
		}
		old := twoInstances
		twoInstances = true
		defer func() { twoInstances = old }()
		f := newFixture(t, d)
		f.app.Auth.LoginPerUser.Limit = 0
		// refused waits for instance 2 to refuse tok, at most 2 s, and says how long it took.
		refused := func(what, tok, path string, want int) {
			t.Helper()
			start := time.Now()
			for f.at(1, tok, "GET", path) != want {
				if time.Since(start) > 2*time.Second {
					t.Fatalf("%s: instance 2 still accepts after %s", what, time.Since(start))
				}
				time.Sleep(time.Millisecond)
			}
			t.Logf("%s: refused on instance 2 after %s", what, time.Since(start).Round(time.Microsecond))
		}
		tok := f.login("viewerA", testPassword)
		if f.at(1, tok, "GET", "/api/v1/me") != 200 {
			t.Fatal("instance 2 refused a fresh session")
		}
		// Instance 2 answers from its cache: a change made behind the service's back (no
		// notification) goes unnoticed until the TTL…
		if _, err := d.Exec(t0(), `UPDATE sessions SET revoked_at = ? WHERE token_hash IS NOT NULL AND id = (SELECT MAX(id) FROM sessions)`, fixtureNow); err != nil {
			t.Fatal(err)
		}
		if f.at(1, tok, "GET", "/api/v1/me") != 200 {
			t.Fatal("instance 2 read the session again instead of using its cache")
		}
		// …a logout through the service on instance 1 is refused on instance 2 at once.
		tok = f.login("viewerA", testPassword)
		if f.at(1, tok, "GET", "/api/v1/me") != 200 || f.at(0, tok, "POST", "/api/v1/auth/logout") != 204 {
			t.Fatal("log in and out")
		}
		refused("logout", tok, "/api/v1/me", 401)

		tok = f.login("viewerA", testPassword)
		_ = f.at(1, tok, "GET", "/api/v1/me")
		if _, err := f.app.Auth.UpdateUser(t0(), auth.System(), f.users["viewerA"], auth.UserPatch{Password: ptr("reset-by-staff-1")}); err != nil {
			t.Fatal(err)
		}
		refused("password reset", tok, "/api/v1/me", 401)

		tok = f.login("secA", testPassword)
		_ = f.at(1, tok, "GET", "/api/v1/me")
		if _, err := f.app.Auth.UpdateUser(t0(), auth.System(), f.users["secA"], auth.UserPatch{Disabled: ptr(true)}); err != nil {
			t.Fatal(err)
		}
		refused("disabled account", tok, "/api/v1/me", 401)

		tok = f.login("staffB", testPassword)
		orgB := fmt.Sprintf("/api/v1/orgs/%d", f.orgs["B"])
		if f.at(1, tok, "GET", orgB) != 200 {
			t.Fatal("staffB cannot read B")
		}
		u, err := f.app.Auth.GetUser(t0(), auth.System(), f.users["staffB"])
		if err != nil || len(u.Grants) != 1 {
			t.Fatalf("grants of staffB: %v %v", u, err)
		}
		if err := f.app.Auth.RevokeGrant(t0(), auth.System(), f.users["staffB"], u.Grants[0].ID); err != nil {
			t.Fatal(err)
		}
		refused("revoked grant", tok, orgB, 404)

		var tk struct{ Token string }
		f.tokens["admin"] = f.login("admin", testPassword)
		f.do("admin", "POST", "/api/v1/tokens", map[string]any{"name": "script"}).decode(t, &tk)
		if f.at(1, tk.Token, "GET", "/api/v1/me") != 200 {
			t.Fatal("token refused")
		}
		var list struct{ Items []auth.Token }
		f.do("admin", "GET", "/api/v1/tokens", nil).decode(t, &list)
		if len(list.Items) != 1 || f.at(0, f.tokens["admin"], "DELETE", fmt.Sprintf("/api/v1/tokens/%d", list.Items[0].ID)) != 204 {
			t.Fatalf("revoke token: %+v", list)
		}
		refused("revoked token", tk.Token, "/api/v1/me", 401)
		a := f.srv.Config.Handler.(*alternate)
		if a.served[0].Load() == 0 || a.served[1].Load() == 0 {
			t.Errorf("requests served: %d and %d", a.served[0].Load(), a.served[1].Load())
		}
	})
}

// TestJobsRunOnceAcrossInstances: two instances (pools of their own on one PostgreSQL
// database) start the same job for the same day at the same moment, again and again; it runs
// once, and a rebuild under a loaded rule pack asked of both at start runs once.
func TestJobsRunOnceAcrossInstances(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		if d.Dialect() != db.Postgres {
			t.Skip("one instance on SQLite")
		}
		d2, err := d.Reopen(t0())
		if err != nil {
			t.Fatal(err)
		}
		defer d2.Close()
		c := clock.NewFake(fixtureNow)
		var runs atomic.Int64
		var wg sync.WaitGroup
		for i := 0; i < 20; i++ {
			for _, dd := range []*db.DB{d, d2} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := &jobs.Runner{DB: dd, Clock: c}
					if _, err := r.Once(t0(), "two-instances", "2026-11-22", func(ctx context.Context) (string, error) {
						runs.Add(1)
						time.Sleep(20 * time.Millisecond)
						return "ok", nil
					}); err != nil {
						t.Error(err)
					}
				}()
			}
		}
		wg.Wait()
		var rows int
		_ = d.QueryRow(t0(), `SELECT COUNT(*) FROM job_runs WHERE name = 'two-instances' AND finished_at IS NOT NULL`).Scan(&rows)
		if runs.Load() != 1 || rows != 1 {
			t.Errorf("the job ran %d times (%d finished rows), want once", runs.Load(), rows)
		}

		old := twoInstances
		twoInstances = true
		defer func() { twoInstances = old }()
		f := newFixture(t, d)
		if r := f.do("admin", "POST", "/api/v1/rulepacks", rawBody(stricterPack)); r.status != 201 {
			t.Fatalf("load: %d %s", r.status, r.body)
		}
		for _, app := range f.apps {
			app.Life.Wait()
		}
		var started1, started2 time.Time
		_ = d.QueryRow(t0(), `SELECT started_at FROM job_runs WHERE name = 'life-recount'`).Scan(&started1)
		f.clock.Advance(time.Minute)
		wg = sync.WaitGroup{}
		for _, app := range f.apps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := app.Compliance.RebuildForPack(t0(), app.Packs); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		_ = d.QueryRow(t0(), `SELECT started_at FROM job_runs WHERE name = 'life-recount'`).Scan(&started2)
		if n := f.count(`SELECT COUNT(*) FROM job_runs WHERE name = 'life-recount'`); n != 1 || !started1.Equal(started2) {
			t.Errorf("the rebuild under the pack: %d runs, started %v then %v", n, started1, started2)
		}
	})
}

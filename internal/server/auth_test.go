package server

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// loginAt logs in through the real handler as a client at address ip (the test server's
// clients are all 127.0.0.1).
func (f *fixture) loginAt(ip, user, pw string, headers ...string) response {
	body, _ := json.Marshal(map[string]string{"username": user, "password": pw})
	req := httptest.NewRequest("POST", "/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = ip + ":40000"
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	f.srv.Config.Handler.ServeHTTP(w, req)
	b, _ := io.ReadAll(w.Result().Body)
	return response{status: w.Code, body: b, header: w.Header()}
}

// tokenWorks tells whether a session or API token is accepted.
func (f *fixture) tokenWorks(tok string) bool {
	f.t.Helper()
	req, _ := http.NewRequest("GET", f.srv.URL+"/api/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == 200
}

func loginToken(t *testing.T, r response) string {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("login: %d %s", r.status, r.body)
	}
	var lr struct{ Token string }
	r.decode(t, &lr)
	return lr.Token
}

// TestLoginHashesBounded fires 200 concurrent logins at the real handler while every hash
// slot is taken: exactly the queue's worth wait, the rest get 429 with Retry-After at once,
// and no more hashes than the bound ever run together. (Memory: docs/PERFORMANCE.md.)
func TestLoginHashesBounded(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		oneInstance(t, "the password-hash slots are per instance")
		f := newFixture(t, d)
		a := f.app.Auth
		a.LoginPerUser.Limit = 0
		a.Hasher = auth.NewHasher(4 * 19 << 20)
		slots := a.Hasher.Slots()
		release := make(chan struct{})
		var held sync.WaitGroup
		for i := 0; i < slots; i++ {
			held.Add(1)
			go func() { _ = a.Hasher.Do(context.Background(), func() error { held.Done(); <-release; return nil }) }()
		}
		held.Wait()
		const n = 200
		results := make(chan response, n)
		for i := 0; i < n; i++ {
			go func(i int) { results <- f.loginAt(fmt.Sprintf("10.0.%d.%d", i/250, i%250+1), "secA", "wrong-password") }(i)
		}
		queued := 4 * slots
		for refused := 0; refused < n-queued; refused++ {
			r := <-results
			if p := decodeProblem(t, r); r.status != 429 || p.Code != "rate_limited" || r.header.Get("Retry-After") != "1" {
				t.Fatalf("while every slot is taken: %d %s (Retry-After %q)", r.status, r.body, r.header.Get("Retry-After"))
			}
		}
		close(release)
		for i := 0; i < queued; i++ {
			if r := <-results; r.status != 401 {
				t.Errorf("a queued login: %d %s", r.status, r.body)
			}
		}
		if a.Hasher.Peak() > slots {
			t.Errorf("%d hashes ran at once, bound %d", a.Hasher.Peak(), slots)
		}
	})
}

// TestLockoutCannotBeRaced: 40 parallel wrong passwords from one address give exactly
// LockAfter-1 401s, one lock, and 423 for all the rest.
func TestLockoutCannotBeRaced(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.app.Auth
		a.LoginPerUser.Limit = 0
		a.Hasher = auth.NewHasher(8 * 19 << 20) // 40 admitted: none refused for load
		const n = 40
		var wg sync.WaitGroup
		statuses := make(chan int, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() { defer wg.Done(); statuses <- f.loginAt("10.1.1.1", "secA", "wrong-password").status }()
		}
		wg.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[401] != a.LockAfter-1 || count[423] != n-(a.LockAfter-1) {
			t.Errorf("statuses %v, want %d×401 and %d×423", count, a.LockAfter-1, n-a.LockAfter+1)
		}
		if locks := f.count(`SELECT locks FROM login_failures WHERE username = 'secA' AND ip = '10.1.1.1'`); locks != 1 {
			t.Errorf("%d locks, want 1", locks)
		}
		if r := f.loginAt("10.1.1.1", "secA", testPassword); r.status != 423 {
			t.Errorf("right password while locked: %d", r.status)
		}
	})
}

// TestLockoutPerAddress: a lock shuts out one address only, leaves sessions alone, doubles
// each time, and an administrator can lift it.
func TestLockoutPerAddress(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.app.Auth.LoginPerUser.Limit = 0
		fail := func(ip string, times int) response {
			var r response
			for i := 0; i < times; i++ {
				r = f.loginAt(ip, "secA", "wrong-password")
			}
			return r
		}
		if r := fail("10.2.0.1", 5); r.status != 423 || decodeProblem(t, r).RetryAfterSeconds != 900 || r.header.Get("Retry-After") != "900" {
			t.Fatalf("fifth failure: %d %s", r.status, r.body)
		}
		if !f.tokenWorks(f.tokens["secA"]) {
			t.Error("the account's open session ended with the lock")
		}
		loginToken(t, f.loginAt("10.2.0.2", "secA", testPassword)) // another address is not locked out
		// The next lock of the same address lasts twice as long.
		f.clock.Advance(15*time.Minute + time.Second)
		if r := fail("10.2.0.1", 5); r.status != 423 || decodeProblem(t, r).RetryAfterSeconds != 1800 {
			t.Fatalf("second lock: %d %s", r.status, r.body)
		}
		var u struct {
			LockedUntil *time.Time `json:"locked_until"`
		}
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/users/%d", f.users["secA"]), nil).decode(t, &u)
		if u.LockedUntil == nil || !u.LockedUntil.Equal(f.clock.Now().Add(30*time.Minute).Truncate(time.Second)) {
			t.Errorf("locked_until shown to staff: %v", u.LockedUntil)
		}
		if r := f.do("staffA", "PATCH", fmt.Sprintf("/api/v1/users/%d", f.users["secA"]), map[string]any{"unlock": true}); r.status != 200 {
			t.Fatalf("unlock: %d %s", r.status, r.body)
		}
		loginToken(t, f.loginAt("10.2.0.1", "secA", testPassword))
		// A day without failures forgets a pair; new pairs sweep the forgotten ones away.
		fail("10.2.0.3", 1)
		f.clock.Advance(24*time.Hour + time.Second)
		fail("10.2.0.4", 1)
		if n := f.count(`SELECT COUNT(*) FROM login_failures WHERE ip IN ('10.2.0.3', '10.2.0.4')`); n != 1 {
			t.Errorf("%d rows of failures kept, want only the recent one", n)
		}
	})
}

// TestUnknownUserAnswersLikeKnown: the same statuses, bodies, headers and work (one hash per
// attempt) for an unknown username as for a known one, lockout included; a disabled account
// answers like a wrong password until the password is right.
func TestUnknownUserAnswersLikeKnown(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		oneInstance(t, "it counts the hashes of one instance")
		f := newFixture(t, d)
		f.app.Auth.LoginPerUser.Limit = 0
		h := f.app.Auth.Hasher
		for i := 1; i <= 6; i++ {
			before := h.Hashes()
			known := f.loginAt("10.3.0.1", "secA", "wrong-password")
			mid := h.Hashes()
			unknown := f.loginAt("10.3.0.1", "no.such.user", "wrong-password")
			if known.status != unknown.status || !bytes.Equal(known.body, unknown.body) || known.header.Get("Retry-After") != unknown.header.Get("Retry-After") {
				t.Fatalf("attempt %d: known %d %s, unknown %d %s", i, known.status, known.body, unknown.status, unknown.body)
			}
			if want := map[bool]int{true: 401, false: 423}[i < 5]; known.status != want {
				t.Errorf("attempt %d: %d, want %d", i, known.status, want)
			}
			if hashes := []int64{mid - before, h.Hashes() - mid}; i < 6 && (hashes[0] != 1 || hashes[1] != 1) {
				t.Errorf("attempt %d: hashes known/unknown %v, want one each", i, hashes)
			}
		}
		uid := f.users["viewerA"]
		if r := f.do("admin", "PATCH", fmt.Sprintf("/api/v1/users/%d", uid), map[string]any{"disabled": true}); r.status != 200 {
			t.Fatal(r.status)
		}
		wrong := f.loginAt("10.3.0.2", "viewerA", "wrong-password")
		unknown := f.loginAt("10.3.0.2", "no.such.user", "wrong-password")
		if wrong.status != 401 || !bytes.Equal(wrong.body, unknown.body) {
			t.Errorf("disabled, wrong password: %d %s", wrong.status, wrong.body)
		}
		if r := f.loginAt("10.3.0.2", "viewerA", testPassword); r.status != 403 || decodeProblem(t, r).Code != "account_disabled" {
			t.Errorf("disabled, right password: %d %s", r.status, r.body)
		}
	})
}

// TestLoginRateLimits: per address and per username, in a sliding window, 429 with the wait.
func TestLoginRateLimits(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.app.Auth
		a.LoginPerIP.Limit, a.LoginPerUser.Limit = 3, 5
		for i := 0; i < 3; i++ {
			f.loginAt("10.4.0.1", fmt.Sprintf("someone%d", i), "wrong-password")
			f.clock.Advance(10 * time.Second)
		}
		r := f.loginAt("10.4.0.1", "secA", testPassword)
		p := decodeProblem(t, r)
		if r.status != 429 || p.Code != "rate_limited" || p.RetryAfterSeconds != 30 || r.header.Get("Retry-After") != "30" || p.Detail != "尝试次数过多，请30秒后再试" {
			t.Fatalf("fourth attempt from one address in a minute: %d %s", r.status, r.body)
		}
		loginToken(t, f.loginAt("10.4.0.2", "secA", testPassword)) // another address
		f.clock.Advance(30 * time.Second)
		loginToken(t, f.loginAt("10.4.0.1", "secA", testPassword)) // the first attempt left the window
		// Per username, from anywhere: secA has had 2 attempts; 3 more, then refused.
		for i := 0; i < 3; i++ {
			f.loginAt(fmt.Sprintf("10.5.0.%d", i+1), "secA", "wrong-password")
		}
		if r := f.loginAt("10.5.0.9", "secA", testPassword); r.status != 429 {
			t.Errorf("sixth attempt on one username in a minute: %d %s", r.status, r.body)
		}
		if n := f.count(`SELECT COUNT(*) FROM login_failures WHERE ip = '10.5.0.9'`); n != 0 {
			t.Error("a refused attempt was counted as a failure")
		}
		// Guessing the old password through a session is limited the same way.
		f.clock.Advance(time.Minute)
		var last response
		for i := 0; i <= a.LoginPerUser.Limit; i++ {
			last = f.do("viewerA", "POST", "/api/v1/me/password", map[string]string{"old_password": fmt.Sprintf("guess-%d", i), "new_password": "a-new-secret-7"})
		}
		if last.status != 429 || decodeProblem(t, last).Code != "rate_limited" {
			t.Errorf("old-password guesses past the limit: %d %s", last.status, last.body)
		}
	})
}

// TestPasswordChangeRevokesSessions: a reset by anyone, a change, or "sign out everywhere"
// ends every session and token of the account except the one making the change.
func TestPasswordChangeRevokesSessions(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.app.Auth.LoginPerUser.Limit = 0
		sessions := func(user string) (a, b, api string) {
			a, b = f.login(user, currentPw(f, user)), f.login(user, currentPw(f, user))
			f.tokens[user] = a
			var tk struct{ Token string }
			f.do(user, "POST", "/api/v1/tokens", map[string]any{"name": "script"}).decode(t, &tk)
			if tk.Token == "" {
				t.Fatalf("%s could not make a token", user)
			}
			return a, b, tk.Token
		}
		// Own change: the session that made it stays.
		s1, s2, api := sessions("viewerA")
		f.tokens["viewerA"] = s1
		if r := f.do("viewerA", "POST", "/api/v1/me/password", map[string]string{"old_password": testPassword, "new_password": "a-new-secret-7"}); r.status != 204 {
			t.Fatalf("change: %d %s", r.status, r.body)
		}
		if !f.tokenWorks(s1) || f.tokenWorks(s2) || f.tokenWorks(api) {
			t.Errorf("after a change: own %v, other session %v, token %v", f.tokenWorks(s1), f.tokenWorks(s2), f.tokenWorks(api))
		}
		// Reset by staff: all of them.
		s1, s2, api = sessions("viewerA")
		if r := f.do("staffA", "PATCH", fmt.Sprintf("/api/v1/users/%d", f.users["viewerA"]), map[string]any{"password": "reset-by-staff-1"}); r.status != 200 {
			t.Fatalf("reset: %d %s", r.status, r.body)
		}
		if f.tokenWorks(s1) || f.tokenWorks(s2) || f.tokenWorks(api) {
			t.Error("a session or token outlived a password reset")
		}
		if !f.tokenWorks(f.tokens["staffA"]) {
			t.Error("the resetting staff member was logged out")
		}
		// Sign out everywhere, without a password change.
		s1, _, api = sessions("viewerA")
		if r := f.do("staffA", "PATCH", fmt.Sprintf("/api/v1/users/%d", f.users["viewerA"]), map[string]any{"revoke_sessions": true}); r.status != 200 {
			t.Fatalf("revoke: %d %s", r.status, r.body)
		}
		if f.tokenWorks(s1) || f.tokenWorks(api) {
			t.Error("revoke_sessions left a session or token")
		}
	})
}

func currentPw(f *fixture, user string) string {
	var h string
	_ = f.app.DB.QueryRow(t0(), `SELECT password_hash FROM users WHERE username = ?`, user).Scan(&h)
	for _, pw := range []string{testPassword, "a-new-secret-7", "reset-by-staff-1"} {
		if ok, _ := auth.CheckPassword(h, pw); ok {
			return pw
		}
	}
	return testPassword
}

// TestAPITokenLife: tokens expire (90 days unless asked, at most a year), idle out after 30
// days unused, and a plain member cannot make one.
func TestAPITokenLife(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mk := func(body map[string]any) (response, string) {
			r := f.do("viewerA", "POST", "/api/v1/tokens", body)
			var tk struct {
				Token     string
				ExpiresAt time.Time `json:"expires_at"`
			}
			if r.status == 201 {
				r.decode(t, &tk)
				if want := f.clock.Now().AddDate(0, 0, map[bool]int{true: 90, false: 365}[body["expires_in_days"] == nil]); !tk.ExpiresAt.Equal(want) {
					t.Errorf("expires_at %v, want %v", tk.ExpiresAt, want)
				}
			}
			return r, tk.Token
		}
		for _, days := range []int{366, -1} {
			r, _ := mk(map[string]any{"name": "x", "expires_in_days": days})
			p := decodeProblem(t, r)
			if r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "expires_in_days" || p.Errors[0].Message != "有效天数：应在1到365之间" {
				t.Errorf("%d days: %d %s", days, r.status, r.body)
			}
		}
		_, def := mk(map[string]any{"name": "default"})
		_, year := mk(map[string]any{"name": "year", "expires_in_days": 365})
		_, idle := mk(map[string]any{"name": "idle"})
		// Used every 20 days, the default token lives its 90 days; the unused one idles out.
		for day := 20; day <= 80; day += 20 {
			f.clock.Advance(20 * 24 * time.Hour)
			if !f.tokenWorks(def) || !f.tokenWorks(year) {
				t.Fatalf("day %d: a used token was refused", day)
			}
		}
		if f.tokenWorks(idle) {
			t.Error("a token unused for 80 days still works")
		}
		f.clock.Advance(10 * 24 * time.Hour)
		if f.tokenWorks(def) {
			t.Error("a 90-day token works on day 90")
		}
		if !f.tokenWorks(year) {
			t.Error("a one-year token refused on day 90")
		}
		// A token made before expiry was required lives at most a year.
		var old struct{ Token string }
		f.tokens["viewerA"] = f.login("viewerA", testPassword)
		f.do("viewerA", "POST", "/api/v1/tokens", map[string]any{"name": "old"}).decode(t, &old)
		if _, err := d.Exec(t0(), `UPDATE sessions SET expires_at = NULL WHERE name = 'old'`); err != nil {
			t.Fatal(err)
		}
		for day := 20; day < 365; day += 20 {
			f.clock.Advance(20 * 24 * time.Hour)
			if !f.tokenWorks(old.Token) {
				t.Fatalf("day %d: the old token was refused", day)
			}
		}
		f.clock.Advance(5 * 24 * time.Hour)
		if f.tokenWorks(old.Token) {
			t.Error("a token without an expiry outlived a year")
		}
		f.tokens["memA"] = f.login("memA", testPassword)
		if r := f.do("memA", "POST", "/api/v1/tokens", map[string]any{"name": "mine"}); r.status != 403 {
			t.Errorf("member made a token: %d", r.status)
		}
	})
}

// TestPasswordStrength: weak new passwords are refused at their field, in Chinese and
// English, and nothing changes.
func TestPasswordStrength(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		hash := func() string {
			var h string
			_ = d.QueryRow(t0(), `SELECT password_hash FROM users WHERE username = 'secA'`).Scan(&h)
			return h
		}
		before := hash()
		for _, c := range []struct{ pw, zh, en string }{
			{"short-pw1", "新密码：至少10个字符", "New password: at least 10 characters"},
			{"Password123", "新密码：过于常见，容易被猜中，请换一个", "New password: too common, easily guessed; choose another"},
			{"SECA", "新密码：至少10个字符", "New password: at least 10 characters"},
		} {
			for lang, want := range map[string]string{"zh-CN": c.zh, "en": c.en} {
				r := f.do("secA", "POST", "/api/v1/me/password", map[string]string{"old_password": testPassword, "new_password": c.pw}, "Accept-Language", lang)
				p := decodeProblem(t, r)
				if r.status != 422 || len(p.Errors) != 1 || p.Errors[0].Field != "new_password" || p.Errors[0].Message != want {
					t.Errorf("%q (%s): %d %s", c.pw, lang, r.status, r.body)
				}
			}
		}
		r := f.do("staffA", "PATCH", fmt.Sprintf("/api/v1/users/%d", f.users["secA"]), map[string]any{"password": "seca-branch"})
		if r.status != 200 {
			t.Fatalf("a fine password: %d %s", r.status, r.body)
		}
		before = hash()
		uid := f.newUser("A1")
		var name string
		_ = d.QueryRow(t0(), `SELECT username FROM users WHERE id = ?`, uid).Scan(&name)
		r = f.do("staffA", "PATCH", fmt.Sprintf("/api/v1/users/%d", uid), map[string]any{"password": strings.ToUpper(name) + "-longer-pw"})
		if r.status != 200 {
			t.Errorf("username plus more is allowed: %d %s", r.status, r.body)
		}
		r = f.do("admin", "POST", "/api/v1/users", map[string]any{"username": "long.name.x", "password": "LONG.NAME.X", "org_id": f.orgs["A1"]})
		if p := decodeProblem(t, r); r.status != 422 || p.Errors[0].Field != "password" || p.Errors[0].Message != "密码：不能与用户名相同" {
			t.Errorf("password = username: %d %s", r.status, r.body)
		}
		if hash() != before || f.count(`SELECT COUNT(*) FROM users WHERE username = 'long.name.x'`) != 0 {
			t.Error("a refused password changed something")
		}
	})
}

// TestSecureCookie: Secure over TLS, or when a trusted proxy says https; a client's own
// X-Forwarded-Proto is not believed.
func TestSecureCookie(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.app.Auth.LoginPerUser.Limit = 0
		f.app.Auth.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}
		secure := func(r response) bool {
			c := (&http.Response{Header: r.header}).Cookies()
			if len(c) != 1 || c[0].Name != auth.CookieName || !c[0].HttpOnly {
				t.Fatalf("cookies %v", c)
			}
			return c[0].Secure
		}
		if secure(f.loginAt("10.8.0.1", "secA", testPassword)) {
			t.Error("Secure over plain http")
		}
		if secure(f.loginAt("10.8.0.1", "secA", testPassword, "X-Forwarded-Proto", "https")) {
			t.Error("an untrusted client's X-Forwarded-Proto was believed")
		}
		if !secure(f.loginAt("10.9.3.4", "secA", testPassword, "X-Forwarded-Proto", "https")) {
			t.Error("not Secure behind a trusted proxy on https")
		}
		if secure(f.loginAt("10.9.3.4", "secA", testPassword, "X-Forwarded-Proto", "http")) {
			t.Error("Secure behind a trusted proxy on http")
		}
		body, _ := json.Marshal(map[string]string{"username": "secA", "password": testPassword})
		req := httptest.NewRequest("POST", "/api/v1/auth/login", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.TLS = &tls.ConnectionState{}
		w := httptest.NewRecorder()
		f.srv.Config.Handler.ServeHTTP(w, req)
		if c := w.Result().Cookies(); w.Code != 200 || len(c) != 1 || !c[0].Secure {
			t.Errorf("over TLS: %d %v", w.Code, c)
		}
	})
}

// TestLockoutBehindProxy: behind a trusted reverse proxy the lockout and the rate limit count
// the client the proxy saw, not the proxy, so one client's wrong guesses do not lock everyone
// out; a client's own X-Forwarded-For, sent without the proxy, changes nothing.
func TestLockoutBehindProxy(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.app.Auth.LoginPerUser.Limit = 0
		f.app.Auth.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.9.0.0/16")}
		var r response
		for i := 0; i < 5; i++ {
			r = f.loginAt("10.9.0.1", "secA", "wrong-password", "X-Forwarded-For", "198.51.100.1")
		}
		if r.status != 423 {
			t.Fatalf("fifth failure behind the proxy: %d %s", r.status, r.body)
		}
		// Another client through the same proxy is not locked out …
		loginToken(t, f.loginAt("10.9.0.1", "secA", testPassword, "X-Forwarded-For", "198.51.100.2"))
		// … the locked one is, whichever proxy it comes through …
		if r := f.loginAt("10.9.7.7", "secA", testPassword, "X-Forwarded-For", "198.51.100.1"); r.status != 423 {
			t.Errorf("the locked client through another proxy: %d", r.status)
		}
		if n := f.count(`SELECT COUNT(*) FROM login_failures WHERE ip = '198.51.100.1'`); n != 1 {
			t.Errorf("failures kept under the client's address: %d rows, want 1", n)
		}
		// … and a header sent straight to the server is the client's own word: not believed.
		for i := 0; i < 5; i++ {
			r = f.loginAt("203.0.113.5", "secA", "wrong-password", "X-Forwarded-For", "198.51.100.3")
		}
		if r.status != 423 || f.count(`SELECT COUNT(*) FROM login_failures WHERE ip = '198.51.100.3'`) != 0 {
			t.Errorf("a spoofed X-Forwarded-For was believed: %d", r.status)
		}
	})
}

package server

import (
	"bufio"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// TestBrowserHeaders: every answer carries the browser policy; API answers with personal data
// (the record book, exports, attachments, the calendar feed included) are never cached.
func TestBrowserHeaders(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var tok struct{ URL string }
		f.do("secA", "POST", fmt.Sprintf("/api/v1/orgs/%d/calendar-token", f.orgs["A1"]), nil).decode(t, &tok)
		att := f.newAttachment()
		api := map[string]string{
			"me":          "/api/v1/me",
			"record book": fmt.Sprintf("/api/v1/orgs/%d/record-book?year=2026", f.orgs["A1"]),
			"export":      fmt.Sprintf("/api/v1/members/export?org=%d", f.orgs["A1"]),
			"attachment":  fmt.Sprintf("/api/v1/attachments/%d", att),
			"calendar":    tok.URL,
			"not found":   "/api/v1/nothing-here",
		}
		other := map[string]string{"app": "/", "client route": "/members", "docs": "/api/docs", "health": "/healthz"}
		check := func(name, path string, noStore bool) response {
			r := f.do("admin", "GET", path, nil)
			h := r.header
			if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "object-src 'none'") {
				t.Errorf("%s: CSP %q", name, csp)
			}
			if src := directive(h.Get("Content-Security-Policy"), "script-src"); !strings.HasPrefix(src, "script-src 'self'") ||
				strings.Contains(src, "'unsafe-inline'") || strings.Contains(src, "'unsafe-eval'") {
				t.Errorf("%s: %q", name, src)
			}
			for k, v := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff"} {
				if h.Get(k) != v {
					t.Errorf("%s: %s = %q, want %q", name, k, h.Get(k), v)
				}
			}
			if noStore && h.Get("Cache-Control") != "no-store" {
				t.Errorf("%s (%d): Cache-Control %q", name, r.status, h.Get("Cache-Control"))
			}
			return r
		}
		for name, p := range api {
			check(name, p, true)
		}
		for name, p := range other {
			check(name, p, false)
		}
		// The record book's one inline handler (its print button) is allowed by its hash, and
		// only that: another inline script on the page would be refused.
		book := check("record book", api["record book"], true)
		m := regexp.MustCompile(`onclick="([^"]+)"`).FindAllStringSubmatch(string(book.body), -1)
		if len(m) != 1 {
			t.Fatalf("record book handlers: %v", m)
		}
		sum := sha256.Sum256([]byte(m[0][1]))
		src := directive(book.header.Get("Content-Security-Policy"), "script-src")
		if want := "script-src 'self' 'unsafe-hashes' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; src != want {
			t.Errorf("record book: %q, want %q", src, want)
		}
		if strings.Contains(string(book.body), "<script") {
			t.Error("record book has a script element")
		}
	})
}

// directive is one directive of a policy ("" when absent).
func directive(csp, name string) string {
	for _, d := range strings.Split(csp, ";") {
		if d = strings.TrimSpace(d); strings.HasPrefix(d, name+" ") {
			return d
		}
	}
	return ""
}

// TestMetricsGuarded: /metrics answers a direct loopback caller or the token's bearer; anyone
// else (another address, or a proxy on the same host) gets 404.
func TestMetricsGuarded(t *testing.T) {
	a := New(db.OpenTest(t, db.SQLite), clock.NewFake(fixtureNow), t.TempDir())
	a.MetricsToken = "s3cret-metrics"
	h := a.Handler()
	cases := []struct {
		name, remote string
		headers      []string
		want         int
	}{
		{"loopback", "127.0.0.1:5000", nil, 200},
		{"loopback v6", "[::1]:5000", nil, 200},
		{"other address", "192.0.2.7:5000", nil, 404},
		{"proxied from loopback", "127.0.0.1:5000", []string{"X-Forwarded-For", "198.51.100.2"}, 404},
		{"proxied (Forwarded)", "127.0.0.1:5000", []string{"Forwarded", "for=198.51.100.2"}, 404},
		{"token", "192.0.2.7:5000", []string{"Authorization", "Bearer s3cret-metrics"}, 200},
		{"token through a proxy", "127.0.0.1:5000", []string{"Authorization", "Bearer s3cret-metrics", "X-Forwarded-For", "198.51.100.2"}, 200},
		{"wrong token", "192.0.2.7:5000", []string{"Authorization", "Bearer guess"}, 404},
		{"wrong token from loopback", "127.0.0.1:5000", []string{"Authorization", "Bearer guess"}, 404},
	}
	for _, c := range cases {
		req := httptest.NewRequest("GET", "/metrics", nil)
		req.RemoteAddr = c.remote
		for i := 0; i+1 < len(c.headers); i += 2 {
			req.Header.Set(c.headers[i], c.headers[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != c.want {
			t.Errorf("%s: %d, want %d", c.name, w.Code, c.want)
		}
		if w.Code == 200 && !strings.Contains(w.Body.String(), "dangjian_http_requests_total") {
			t.Errorf("%s: no metrics in %.200s", c.name, w.Body.String())
		}
	}
	a.MetricsToken = ""
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = "192.0.2.7:5000"
	req.Header.Set("Authorization", "Bearer ")
	w := httptest.NewRecorder()
	a.Handler().ServeHTTP(w, req)
	if w.Code != 404 {
		t.Errorf("empty token when none is configured: %d", w.Code)
	}
}

// realServer serves a on a real loopback listener with the given limits.
func realServer(t *testing.T, l Limits) string {
	t.Helper()
	a := New(db.OpenTest(t, db.SQLite), clock.NewFake(fixtureNow), t.TempDir())
	ln, err := Listen("127.0.0.1:0", l)
	if err != nil {
		t.Fatal(err)
	}
	srv := a.HTTPServer(l)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// guard bounds how long a test waits on a connection: a server that never cuts the client off
// fails the test instead of hanging it.
const guard = 10 * time.Second

// TestSlowBodyCutOff: a client that sends its headers and then trickles the body is answered
// 408 and disconnected at the body deadline, however steadily it trickles.
func TestSlowBodyCutOff(t *testing.T) {
	addr := realServer(t, Limits{BodyTimeout: 100 * time.Millisecond})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	defer close(done)
	go func() { // one byte every 20 ms, until the server hangs up
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
			}
		}
	}()
	_ = c.SetReadDeadline(time.Now().Add(guard))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer to a trickled body: %v", err)
	}
	rest, err := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusRequestTimeout || err != nil || !strings.Contains(string(rest), "request_timeout") {
		t.Fatalf("trickled body: %d %v %s", res.StatusCode, err, rest)
	}
	// Closed is EOF, or a reset when the trickling writer's byte reached the closed socket.
	if _, err := c.Read(make([]byte, 1)); err != io.EOF && !errors.Is(err, syscall.ECONNRESET) {
		t.Errorf("connection still open after the deadline: %v", err)
	}
}

// TestConnectionCap: past the cap a new connection is answered 503 at once; a freed slot is
// taken by the next client.
func TestConnectionCap(t *testing.T) {
	addr := realServer(t, Limits{BodyTimeout: 5 * time.Second, MaxConns: 1})
	get := func(c net.Conn, closeAfter bool) *http.Response {
		t.Helper()
		_ = c.SetDeadline(time.Now().Add(guard))
		req, _ := http.NewRequest("GET", "http://"+addr+"/healthz", nil)
		req.Close = closeAfter
		if err := req.Write(c); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(c), req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.ReadAll(res.Body)
		return res
	}
	dial := func() net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		return c
	}
	first := dial()
	if res := get(first, false); res.StatusCode != 200 { // held open (keep-alive)
		t.Fatalf("first: %d", res.StatusCode)
	}
	second := dial()
	_ = second.SetReadDeadline(time.Now().Add(guard))
	res, err := http.ReadResponse(bufio.NewReader(second), nil)
	if err != nil || res.StatusCode != 503 || res.Header.Get("Retry-After") == "" {
		t.Fatalf("over the cap: %v %v", res, err)
	}
	// The first client's last request closes its connection, which frees the slot.
	if res := get(first, true); res.StatusCode != 200 {
		t.Fatalf("first, again: %d", res.StatusCode)
	}
	if _, err := first.Read(make([]byte, 1)); err != io.EOF {
		t.Fatalf("first not closed: %v", err)
	}
	if res := get(dial(), false); res.StatusCode != 200 {
		t.Errorf("after the slot was freed: %d", res.StatusCode)
	}
}

package httpx

import (
	"crypto/sha256"
	"encoding/base64"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"dangjian/internal/platform/i18n"
)

// CSP is the Content-Security-Policy of every answer. Scripts only from the server's own
// files (no inline script, no eval); styles also inline, because Element Plus and ECharts
// position things through the style attribute; images also from data: (the QR code, the
// favicon) and blob: (thumbnails and downloads made in the page). Nothing may frame the
// pages, and forms and <base> cannot point elsewhere.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
	"font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secureHeaders are set on every answer before its handler runs. API answers carry personal
// data (the roster, record books, exports, attachments): no cache may keep them.
func secureHeaders(h http.Header, path string) {
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasPrefix(path, "/api/v1/") {
		h.Set("Cache-Control", "no-store")
	}
}

// AllowInlineHandlers lets a server-rendered page (the printable record book) run exactly the
// given inline event handlers, by their hashes ('unsafe-hashes' allows only those texts).
func AllowInlineHandlers(w http.ResponseWriter, handlers ...string) {
	src := "script-src 'self' 'unsafe-hashes'"
	for _, js := range handlers {
		sum := sha256.Sum256([]byte(js))
		src += " 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	w.Header().Set("Content-Security-Policy", strings.Replace(CSP, "script-src 'self'", src, 1))
}

// bodyDeadline is how long a request's body may take to arrive: base for the default 1 MiB
// limit, proportionally more for routes that take larger uploads (a minimum rate of 1 MiB per
// base), so a slow client cannot hold a connection for minutes on an ordinary route.
func bodyDeadline(base time.Duration, limit int64) time.Duration {
	if limit <= defaultMaxBody {
		return base
	}
	return time.Duration(float64(base) * float64(limit) / defaultMaxBody)
}

// LimitListener accepts at most n connections at once. Past that a connection is answered
// 503 with Retry-After and closed at once, so a flood of (slow) clients fails fast instead of
// queueing everyone else behind it in the kernel.
func LimitListener(ln net.Listener, n int) net.Listener {
	return &limitListener{Listener: ln, sem: make(chan struct{}, n)}
}

type limitListener struct {
	net.Listener
	sem chan struct{}
}

const busyText = "服务繁忙，请稍后再试 / server busy, try again\n"

var busyAnswer = []byte("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + strconv.Itoa(len(busyText)) + "\r\n\r\n" + busyText)

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.sem <- struct{}{}:
			return &limitConn{Conn: c, sem: l.sem}, nil
		default:
			go func() {
				_ = c.SetWriteDeadline(time.Now().Add(time.Second))
				_, _ = c.Write(busyAnswer)
				_ = c.Close()
			}()
		}
	}
}

type limitConn struct {
	net.Conn
	once sync.Once
	sem  chan struct{}
}

// Close frees the slot before closing, so a client that sees the close can connect again.
func (c *limitConn) Close() error {
	c.once.Do(func() { <-c.sem })
	return c.Conn.Close()
}

func init() {
	i18n.Register(map[string][2]string{
		"code.request_timeout":   {"请求超时", "Request timeout"},
		"detail.request_timeout": {"请求内容未在规定时间内传完，请检查网络后重试", "The request did not arrive in time; check the connection and try again"},
	})
}

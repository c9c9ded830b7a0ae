package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/server"
)

// site is the real handler served on loopback for the HTTP measurements.
type site struct {
	base string
	c    *http.Client
	stop func()
}

// serve starts the application on a loopback address. Login limits per address and per user
// are off (as `serve --login-rate-ip 0 --login-rate-user 0`): every simulated user comes from
// 127.0.0.1, which the limits would take for one attacker.
func serve(d *db.DB, opt Options, conns int) (*site, error) {
	app := server.New(d, clock.System{}, opt.DataDir)
	app.Auth.LoginPerIP.Limit, app.Auth.LoginPerUser.Limit = 0, 0
	ln, err := net.Listen("tcp", opt.Addr)
	if err != nil {
		return nil, err
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, fmt.Errorf("--addr must be a loopback address, got %s", ln.Addr())
	}
	srv := &http.Server{Handler: app.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	c := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2}}
	return &site{base: "http://" + ln.Addr().String(), c: c, stop: func() { srv.Close() }}, nil
}

// login signs in and returns the bearer token.
func (s *site) login(ctx context.Context, user, password string) (string, error) {
	token, status, err := s.tryLogin(ctx, user, password)
	if err == nil && (status != http.StatusOK || token == "") {
		err = fmt.Errorf("login as %s: HTTP %d (give the demo password with --password or DANGJIAN_DEMO_PASSWORD)", user, status)
	}
	return token, err
}

// tryLogin signs in and returns the token and the status (429 when the password hashes are
// all busy).
func (s *site) tryLogin(ctx context.Context, user, password string) (string, int, error) {
	var lr struct {
		Token string `json:"token"`
	}
	status, err := s.do(ctx, "", http.MethodPost, "/api/v1/auth/login", map[string]string{"username": user, "password": password}, &lr)
	return lr.Token, status, err
}

// do sends one request (body as JSON when not nil) and decodes a 200 answer into out when
// not nil; it returns the status. A transport error is an error, an HTTP status is not.
func (s *site) do(ctx context.Context, token, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, rd)
	if err != nil {
		return 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := s.c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK && out != nil {
		return resp.StatusCode, json.NewDecoder(resp.Body).Decode(out)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, nil
}

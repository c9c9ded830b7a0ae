package bench

import (
	"bytes"
	"context"
	"dangjian/internal/life/compliance"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/server"
)

// listBench times the first page (50) of the root's roster: active members, by name.
func listBench(ctx context.Context, d *db.DB, root Target, n int) (Row, error) {
	st := &member.Store{DB: d, Clock: clock.System{}}
	f := member.Filter{OrgID: root.ID, Subtree: true, Statuses: []string{"active"}, Sort: "name"}
	var total int
	ds, err := timeN(n, func() error {
		ms, t, err := st.List(ctx, auth.System(), f, httpx.Page{Page: 1, Size: 50})
		if err == nil && len(ms) != 50 {
			err = fmt.Errorf("member list: %d rows", len(ms))
		}
		total = t
		return err
	})
	return row("member list, root subtree, status=active, by name, page 1 (50)", ds, fmt.Sprintf("total %d", total)), err
}

// moveBench moves the street under other and back, rounds times, timing each move.
func moveBench(ctx context.Context, d *db.DB, street, other Target, rounds int) (Row, error) {
	st := &org.Store{DB: d, Clock: clock.System{}}
	st.Tree = server.Tree(st, &compliance.Store{Store: &life.Store{DB: d, Clock: clock.System{}}})
	o, err := st.Get(ctx, auth.System(), street.ID)
	if err != nil {
		return Row{}, err
	}
	home := o.ParentID
	var ds []time.Duration
	var orgsMoved int
	for i := 0; i < rounds; i++ {
		for _, to := range []int64{other.ID, home} {
			t := time.Now()
			res, err := st.Move(ctx, auth.System(), street.ID, to)
			if err != nil {
				return Row{}, fmt.Errorf("move #%d to %d: %w", street.ID, to, err)
			}
			ds = append(ds, time.Since(t))
			orgsMoved = res.OrgsMoved
		}
	}
	return row("move the largest street to another parent (each way)", ds,
		fmt.Sprintf("%d members, %d organizations rewritten per move", street.Members, orgsMoved)), nil
}

type loadResult struct {
	ds  []time.Duration
	rps float64
	err error
}

// load runs clients concurrent GET loops on url for dur.
func load(ctx context.Context, c *http.Client, url, token string, clients int, dur time.Duration) loadResult {
	ctx, cancel := context.WithTimeout(ctx, dur)
	defer cancel()
	var mu sync.Mutex
	var all []time.Duration
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for i := 0; i < clients; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
				req.Header.Set("Authorization", "Bearer "+token)
				t := time.Now()
				resp, err := c.Do(req)
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					firstErr.CompareAndSwap(nil, fmt.Errorf("GET %s: %s", url, resp.Status))
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	res := loadResult{ds: all, rps: float64(len(all)) / el.Seconds()}
	if e, ok := firstErr.Load().(error); ok {
		res.err = e
	}
	return res
}

// httpBench serves the real handler on loopback, logs in as admin and loads two endpoints.
func httpBench(ctx context.Context, d *db.DB, root Target, opt Options, say func(string, ...any)) ([]Row, error) {
	app := server.New(d, clock.System{}, opt.DataDir)
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
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	c := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConns: opt.Clients * 2, MaxIdleConnsPerHost: opt.Clients * 2}}
	body, _ := json.Marshal(map[string]string{"username": "admin", "password": opt.Password})
	resp, err := c.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	var lr struct {
		Token string `json:"token"`
	}
	err = json.NewDecoder(resp.Body).Decode(&lr)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || err != nil || lr.Token == "" {
		return nil, fmt.Errorf("login as admin: %s (give the demo password with --password or DANGJIAN_DEMO_PASSWORD)", resp.Status)
	}
	var out []Row
	for _, ep := range []struct{ name, path string }{
		{"HTTP GET /api/v1/orgs/{root}/stats", "/api/v1/orgs/" + strconv.FormatInt(root.ID, 10) + "/stats"},
		{"HTTP GET /api/v1/members?org={root}&status=active&page_size=50", "/api/v1/members?org=" + strconv.FormatInt(root.ID, 10) + "&status=active&page_size=50"},
	} {
		say("%s, %d clients for %s …", ep.name, opt.Clients, opt.Duration)
		res := load(ctx, c, base+ep.path, lr.Token, opt.Clients, opt.Duration)
		if res.err != nil {
			return nil, res.err
		}
		r := row(ep.name, res.ds, fmt.Sprintf("%d clients, %s", opt.Clients, opt.Duration))
		r.RPS = res.rps
		out = append(out, r)
	}
	return out, nil
}

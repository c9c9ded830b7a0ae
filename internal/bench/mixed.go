package bench

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"sync"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/platform/db"
)

// mixedUser is a demo account a simulated user signs in as, with the organization of its
// grant and the held activities (editable) of branches in its scope it records attendance on.
type mixedUser struct {
	name string
	org  int64
	acts [][2]int64 // (activity, branch)
}

// mixedUsers reads the demo's staff accounts (admin, street, community, branch secretary).
func mixedUsers(ctx context.Context, d *db.DB) ([]*mixedUser, error) {
	root, _, _, err := targets(ctx, d)
	if err != nil {
		return nil, err
	}
	users, err := db.All(ctx, d, `SELECT u.username, COALESCE(g.org_id, 0) FROM users u JOIN grants g ON g.user_id = u.id
		WHERE g.role IN ('admin', 'org_staff', 'secretary') AND u.disabled = ? ORDER BY u.id`, []any{false}, func(r db.Scanner) (*mixedUser, error) {
		u := &mixedUser{}
		return u, r.Scan(&u.name, &u.org)
	})
	if err != nil {
		return nil, err
	}
	var out []*mixedUser
	for _, u := range users {
		if u.org == 0 {
			u.org = root.ID
		}
		var path string
		if err := d.QueryRow(ctx, `SELECT path FROM orgs WHERE id = ?`, u.org).Scan(&path); err != nil {
			return nil, err
		}
		lo, hi := db.SubtreeRange(path)
		u.acts, err = db.All(ctx, d, `SELECT a.id, a.org_id FROM activities a JOIN orgs o ON o.id = a.org_id
			WHERE o.path >= ? AND o.path < ? AND o.kind IN ('branch', 'joint_branch') AND a.state = 'held' AND a.superseded_by IS NULL
			ORDER BY a.id LIMIT 200`, []any{lo, hi}, func(r db.Scanner) (x [2]int64, err error) {
			return x, r.Scan(&x[0], &x[1])
		})
		if err != nil {
			return nil, err
		}
		if len(u.acts) > 0 {
			out = append(out, u)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no demo staff account with a held activity in scope (load a demo first)")
	}
	return out, nil
}

// The steps of a visit, in order.
var mixedSteps = []string{"login", "dashboard", "roster page", "branch's year view", "activity: attendance read and saved", "logout"}

// stepLog collects each step's durations and failures across the clients.
type stepLog struct {
	mu   sync.Mutex
	ds   map[string][]time.Duration
	errs map[string]map[string]int // step → "HTTP 429" / error text → count
}

func (l *stepLog) add(step string, d time.Duration, fail string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if fail != "" {
		if l.errs[step] == nil {
			l.errs[step] = map[string]int{}
		}
		l.errs[step][fail]++
		return
	}
	l.ds[step] = append(l.ds[step], d)
}

// Mixed runs opt.Clients simulated users for opt.Duration, each visiting in a loop as a
// district's staff do: sign in, the dashboard (me, the stats and the month's compliance
// summary of their organization), the first roster page, a branch's year view (its activities
// and findings of the year), an activity's attendance read and one member's attendance saved
// (present ↔ on leave, so every save writes), sign out. Clients take the demo's staff
// accounts in turn, each its own branch and activity where the account's scope has several.
// It reports p50/p90/p99 per step and every failed request (status or error) per step.
func Mixed(ctx context.Context, d *db.DB, opt Options) (*Report, error) {
	say := sayer(opt)
	users, err := mixedUsers(ctx, d)
	if err != nil {
		return nil, err
	}
	s, err := serve(d, opt, opt.Clients)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	log := &stepLog{ds: map[string][]time.Duration{}, errs: map[string]map[string]int{}}
	runCtx, cancel := context.WithTimeout(ctx, opt.Duration)
	defer cancel()
	say("%d clients as %d accounts for %s …", opt.Clients, len(users), opt.Duration)
	var wg sync.WaitGroup
	var visits int
	var vmu sync.Mutex
	start := time.Now()
	for i := 0; i < opt.Clients; i++ {
		u := users[i%len(users)]
		act := u.acts[(i/len(users))%len(u.acts)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			n := 0
			for runCtx.Err() == nil {
				visit(runCtx, s, opt.Password, u, act, n, log)
				n++
			}
			vmu.Lock()
			visits += n
			vmu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	rep := &Report{Engine: string(d.Dialect())}
	total := 0
	for _, st := range mixedSteps {
		r := row("mixed: "+st, log.ds[st], "")
		r.RPS = float64(len(log.ds[st])) / el.Seconds()
		nerr := 0
		var kinds []string
		for k, c := range log.errs[st] {
			nerr += c
			kinds = append(kinds, fmt.Sprintf("%d× %s", c, k))
		}
		sort.Strings(kinds)
		total += nerr
		r.Note = fmt.Sprintf("%d errors %v", nerr, kinds)
		rep.Rows = append(rep.Rows, r)
	}
	names := make([]string, len(users))
	for i, u := range users {
		names[i] = u.name
	}
	rep.Notes = append(rep.Notes, fmt.Sprintf("%d clients, %s, accounts %v; %d visits (%.1f a second), %d failed requests",
		opt.Clients, opt.Duration, names, visits, float64(visits)/el.Seconds(), total))
	return rep, nil
}

// visit is one user's visit; a step that fails is logged and the visit goes on where it can.
func visit(ctx context.Context, s *site, password string, u *mixedUser, act [2]int64, n int, log *stepLog) {
	step := func(name string, fn func() (int, error)) bool {
		t := time.Now()
		status, err := fn()
		switch {
		case ctx.Err() != nil:
			return false // the run ended during the step: not a failure, not a figure
		case err != nil:
			log.add(name, 0, err.Error())
			return false
		case status != http.StatusOK && status != http.StatusNoContent:
			log.add(name, 0, "HTTP "+strconv.Itoa(status))
			return false
		}
		log.add(name, time.Since(t), "")
		return true
	}
	var token string
	if !step("login", func() (st int, err error) {
		token, st, err = s.tryLogin(ctx, u.name, password)
		return st, err
	}) {
		return
	}
	get := func(paths ...string) func() (int, error) {
		return func() (int, error) {
			for _, p := range paths {
				if st, err := s.do(ctx, token, http.MethodGet, p, nil, nil); err != nil || st != http.StatusOK {
					return st, err
				}
			}
			return http.StatusOK, nil
		}
	}
	o, b := strconv.FormatInt(u.org, 10), strconv.FormatInt(act[1], 10)
	now := time.Now()
	y := now.Year()
	month := rules.PeriodOf(rules.Month, now).String()
	step("dashboard", get("/api/v1/me", "/api/v1/orgs/"+o+"/stats", "/api/v1/compliance/summary?org="+o+"&period="+month))
	step("roster page", get("/api/v1/members?org="+o+"&subtree=true&status=active&sort=name&page_size=50"))
	step("branch's year view", get("/api/v1/activities?org="+b+"&from="+strconv.Itoa(y)+"-01-01&to="+strconv.Itoa(y+1)+"-01-01&page_size=500",
		"/api/v1/compliance?org="+b+"&period="+strconv.Itoa(y)))
	step("activity: attendance read and saved", func() (int, error) { return saveAttendance(ctx, s, token, act[0], n) })
	step("logout", func() (int, error) { return s.do(ctx, token, http.MethodPost, "/api/v1/auth/logout", nil, nil) })
}

// saveAttendance reads an activity's attendance and records one member of its roster present
// or on leave (alternately, so each save appends a row).
func saveAttendance(ctx context.Context, s *site, token string, activity int64, n int) (int, error) {
	var att life.Attendance
	path := "/api/v1/activities/" + strconv.FormatInt(activity, 10) + "/attendance"
	if st, err := s.do(ctx, token, http.MethodGet, path, nil, &att); err != nil || st != http.StatusOK {
		return st, err
	}
	if len(att.Items) == 0 {
		return 0, fmt.Errorf("activity %d has no roster", activity)
	}
	it := att.Items[n%len(att.Items)]
	state, reason := "present", ""
	if it.State == "present" {
		state, reason = "leave", "单位值班"
	}
	body := life.AttendanceUpdate{Items: []life.AttendanceItem{{MemberID: it.MemberID, State: state, Reason: reason}}}
	return s.do(ctx, token, http.MethodPut, path, body, nil)
}

package bench

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"dangjian/internal/life/rules"
	"dangjian/internal/platform/db"
)

// Per-page targets of issue 13: p50 under 100 ms at the root, under 50 ms below a street.
const (
	rootTarget   = 100 * time.Millisecond
	streetTarget = 50 * time.Millisecond
)

// pageTargets are what the endpoints of the pages are measured on: the root (as admin), the
// street of the demo's street account (as that account, so its scope conditions are in every
// query), the largest branch below that street, one of its members and its latest activity.
type pageTargets struct {
	root, street Target
	streetUser   string
	branch       int64
	member       int64
	activity     int64
	task         int64 // the district's first task (0 before the demo had tasks)
	year         int
}

func findPageTargets(ctx context.Context, d *db.DB) (*pageTargets, error) {
	root, _, _, err := targets(ctx, d)
	if err != nil {
		return nil, err
	}
	t := &pageTargets{root: root, year: time.Now().Year()}
	err = d.QueryRow(ctx, `SELECT u.username, o.id, o.path, o.name FROM users u JOIN grants g ON g.user_id = u.id JOIN orgs o ON o.id = g.org_id
		WHERE g.role = 'org_staff' AND o.depth = 1 ORDER BY u.id LIMIT 1`).Scan(&t.streetUser, &t.street.ID, &t.street.Path, &t.street.Name)
	if err != nil {
		return nil, fmt.Errorf("no street account (load a demo first): %w", err)
	}
	lo, hi := db.SubtreeRange(t.street.Path)
	if err := d.QueryRow(ctx, `SELECT id FROM orgs WHERE path >= ? AND path < ? AND kind IN ('branch', 'joint_branch') AND dissolved_at IS NULL
		ORDER BY direct_members DESC, id LIMIT 1`, lo, hi).Scan(&t.branch); err != nil {
		return nil, fmt.Errorf("no branch below the street: %w", err)
	}
	if err := d.QueryRow(ctx, `SELECT id FROM members WHERE org_id = ? AND status = 'active' ORDER BY id LIMIT 1`, t.branch).Scan(&t.member); err != nil {
		return nil, fmt.Errorf("no member in branch %d: %w", t.branch, err)
	}
	if err := d.QueryRow(ctx, `SELECT id FROM activities WHERE org_id = ? ORDER BY starts_at DESC, id DESC LIMIT 1`, t.branch).Scan(&t.activity); err != nil {
		return nil, fmt.Errorf("no activity of branch %d: %w", t.branch, err)
	}
	_ = d.QueryRow(ctx, `SELECT COALESCE(MIN(id), 0) FROM tasks WHERE org_id = ?`, t.root.ID).Scan(&t.task)
	return t, nil
}

// taskEndpoints are the requests of the 任务落实 pages for an organization's subtree: the
// year's completion with its children, the task list, and one task's figures, drill-down and
// assignments (none without a task).
func taskEndpoints(id int64, t *pageTargets) []endpoint {
	if t.task == 0 {
		return nil
	}
	o, y, k := strconv.FormatInt(id, 10), strconv.Itoa(t.year), strconv.FormatInt(t.task, 10)
	return []endpoint{
		{"tasks: year completion and first 10 children", "/api/v1/orgs/" + o + "/tasks/completion?year=" + y + "&page_size=10"},
		{"tasks: the year's tasks with figures, first 20", "/api/v1/orgs/" + o + "/tasks?year=" + y + "&page_size=20"},
		{"tasks: one task's figures", "/api/v1/tasks/" + k + "?org=" + o},
		{"tasks: one task's drill-down, first 10 children", "/api/v1/tasks/" + k + "/children?org=" + o + "&page_size=10"},
		{"tasks: one task's assignments, first 20", "/api/v1/tasks/" + k + "/assignments?org=" + o + "&page_size=20"},
		{"tasks: one task's overdue assignments, first 20", "/api/v1/tasks/" + k + "/assignments?org=" + o + "&overdue=true&page_size=20"},
	}
}

// endpoint is one request a page makes.
type endpoint struct {
	name, path string
}

// orgEndpoints are the district pages' requests for an organization's subtree.
func orgEndpoints(id int64, quarter string) []endpoint {
	o := strconv.FormatInt(id, 10)
	return []endpoint{
		{"stats", "/api/v1/orgs/" + o + "/stats"},
		{"compliance summary, last quarter", "/api/v1/compliance/summary?org=" + o + "&period=" + quarter},
		{"drill-down: unmet organizations, last quarter, first 20", "/api/v1/compliance?org=" + o + "&period=" + quarter + "&subtree=true&unmet=true&page=1&page_size=20"},
		{"drill-down: unmet theme_day.month, last quarter, first 20", "/api/v1/compliance?org=" + o + "&period=" + quarter + "&subtree=true&unmet=true&rule=theme_day.month&page=1&page_size=20"},
		{"lapse list: members at risk, first 20", "/api/v1/compliance/members?org=" + o + "&page=1&page_size=20"},
		{"roster: active, by name, first 50", "/api/v1/members?org=" + o + "&subtree=true&status=active&sort=name&page_size=50"},
		{"points: distribution of proposed stars (summary)", "/api/v1/orgs/" + o + "/points/summary"},
		{"points: drill-down by child organization, first 20", "/api/v1/orgs/" + o + "/points/children?page_size=20"},
	}
}

// branchEndpoints are the requests of a branch's, a member's and an activity's pages.
func branchEndpoints(t *pageTargets) []endpoint {
	b, y := strconv.FormatInt(t.branch, 10), strconv.Itoa(t.year)
	return []endpoint{
		{"member's own activities", "/api/v1/members/" + strconv.FormatInt(t.member, 10) + "/activities"},
		{"activity's attendance", "/api/v1/activities/" + strconv.FormatInt(t.activity, 10) + "/attendance"},
		{"year view: the branch's activities of the year", "/api/v1/activities?org=" + b + "&from=" + y + "-01-01&to=" + strconv.Itoa(t.year+1) + "-01-01&page_size=500"},
		{"year view: the branch's findings of the year", "/api/v1/compliance?org=" + b + "&period=" + y},
		{"record book of the year (html)", "/api/v1/orgs/" + b + "/record-book?year=" + y},
		{"member's points page of the year", "/api/v1/members/" + strconv.FormatInt(t.member, 10) + "/points?year=" + y},
		{"branch's claims inbox (pending)", "/api/v1/orgs/" + b + "/points/claims"},
		{"branch's members' points totals, first 20", "/api/v1/orgs/" + b + "/points/members?year=" + y + "&page_size=20"},
	}
}

// Endpoints measures every request the pages make, sequentially (opt.N each, p50 against the
// issue's targets), at the root as admin and below the street as the street's account.
func Endpoints(ctx context.Context, d *db.DB, opt Options) (*Report, error) {
	say := sayer(opt)
	t, err := findPageTargets(ctx, d)
	if err != nil {
		return nil, err
	}
	s, err := serve(d, opt, 2)
	if err != nil {
		return nil, err
	}
	defer s.stop()
	admin, err := s.login(ctx, "admin", opt.Password)
	if err != nil {
		return nil, err
	}
	staff, err := s.login(ctx, t.streetUser, opt.Password)
	if err != nil {
		return nil, err
	}
	var acts, att int64
	_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM activities`).Scan(&acts)
	_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM attendance`).Scan(&att)
	rep := &Report{Engine: string(d.Dialect())}
	rep.Notes = append(rep.Notes, fmt.Sprintf("root %s (%d members), street %s #%d as %s, branch #%d, member #%d, activity #%d; %d activities, %d attendance rows",
		t.root.Name, t.root.Members, t.street.Name, t.street.ID, t.streetUser, t.branch, t.member, t.activity, acts, att))
	quarter := rules.PeriodOf(rules.Quarter, time.Now().AddDate(0, -3, 0)).String()
	for _, run := range []struct {
		where, token string
		target       time.Duration
		eps          []endpoint
	}{
		{"root", admin, rootTarget, append(append(orgEndpoints(t.root.ID, quarter), branchEndpoints(t)...), taskEndpoints(t.root.ID, t)...)},
		{"street", staff, streetTarget, append(append(orgEndpoints(t.street.ID, quarter), branchEndpoints(t)...), taskEndpoints(t.street.ID, t)...)},
	} {
		for _, ep := range run.eps {
			say("%s: %s …", run.where, ep.name)
			r, err := timeEndpoint(ctx, s, run.token, ep, opt.N)
			if err != nil {
				return nil, fmt.Errorf("%s %s: %w", run.where, ep.path, err)
			}
			r.Name = run.where + ": " + ep.name
			verdict := "met"
			if r.P50 >= run.target {
				verdict = "MISSED"
			}
			r.Note = fmt.Sprintf("target p50 < %d ms: %s · GET %s", run.target.Milliseconds(), verdict, ep.path)
			rep.Rows = append(rep.Rows, r)
		}
	}
	return rep, nil
}

// timeEndpoint GETs the endpoint n times in a row after one untimed request (which warms the
// connection and the caches a first visit would).
func timeEndpoint(ctx context.Context, s *site, token string, ep endpoint, n int) (Row, error) {
	get := func() error {
		status, err := s.do(ctx, token, http.MethodGet, ep.path, nil, nil)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("HTTP %d", status)
		}
		return err
	}
	if err := get(); err != nil {
		return Row{}, err
	}
	ds, err := timeN(n, get)
	return row(ep.name, ds, ""), err
}

func sayer(opt Options) func(string, ...any) {
	return func(f string, a ...any) {
		if opt.Out != nil {
			fmt.Fprintf(opt.Out, f+"\n", a...)
		}
	}
}

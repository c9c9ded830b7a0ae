// Package demo generates a realistic, deterministic demo district — organizations from the
// district committee down to 党小组, members with valid ID numbers, and one account per role —
// and loads it in bulk, keeping every derived column and rollup exactly as the API would.
package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/tree"
)

// Options of a generation.
type Options struct {
	Members  int       // number of members (default 20000)
	Seed     uint64    // same seed, same district
	Password string    // password of the demo accounts
	Now      time.Time // the present (default time.Now())
	Progress io.Writer // progress lines, or nil
}

// Account is a demo login.
type Account struct {
	Username string
	Role     auth.Role
	OrgID    int64
	OrgName  string
	MemberID int64
	Password string
}

// Result is what a generation made.
type Result struct {
	Orgs, Branches, Groups, Members int
	Activities, Attendance          int
	PointsEntries                   int64 // the year's ledger so far (≈ 30 a member by December)
	Assignments                     int   // task assignments (tasks issued by the district to every branch)
	Accounts                        []Account
	Elapsed                         time.Duration
}

// ErrNotEmpty is returned for a database that already has organizations.
var ErrNotEmpty = errors.New("the database already has organizations; the demo loads only into an empty database (use a new --db)")

// Generate builds the district and loads it into d (which must hold no organizations), then
// creates the demo accounts through a.
func Generate(ctx context.Context, d *db.DB, a *auth.Service, opt Options) (*Result, error) {
	start := time.Now()
	if opt.Members <= 0 {
		opt.Members = 20000
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	var n int
	if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM orgs`).Scan(&n); err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, ErrNotEmpty
	}
	todayStr := clock.Today(opt.Now)
	today, _ := time.Parse("2006-01-02", todayStr)
	g := newGen(opt.Seed, today)
	p := &planner{g: g, today: todayStr}
	p.plan(opt.Members)
	res := &Result{Orgs: len(p.nodes), Branches: len(p.branches)}
	for _, x := range p.nodes {
		if x.kind == org.Group {
			res.Groups++
		}
	}
	progress := func(format string, args ...any) {
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, "[%6.1fs] "+format+"\n", append([]any{time.Since(start).Seconds()}, args...)...)
		}
	}
	progress("planned %d organizations (%d branches, %d 党小组) for %d members", len(p.nodes), len(p.branches), res.Groups, opt.Members)
	now := opt.Now.UTC()
	err := d.InTx(ctx, func(tx *db.Tx) error {
		if err := insertOrgs(ctx, tx, p.nodes, now); err != nil {
			return fmt.Errorf("organizations: %w", err)
		}
		progress("organizations written")
		r := tree.Rollup{}
		count, err := insertMembers(ctx, tx, g, p.branches, now, r, func(n int) { progress("%d members", n) })
		if err != nil {
			return fmt.Errorf("members: %w", err)
		}
		// Each current member at their branch since joining the Party, as the migration seeds it.
		if _, err := tx.Exec(ctx, `INSERT INTO memberships (member_id, org_id, kind, from_date)
			SELECT id, org_id, 'home', join_date FROM members WHERE status IN (`+db.Placeholders(len(member.CurrentStatuses))+`)`, anys(member.CurrentStatuses)...); err != nil {
			return fmt.Errorf("memberships: %w", err)
		}
		res.Members = count
		if err := tx.Analyze(ctx, "members", "memberships"); err != nil {
			return err
		}
		progress("%d members written", count)
		if err := insertStatusHistory(ctx, tx); err != nil {
			return fmt.Errorf("status history: %w", err)
		}
		if err := insertCommittees(ctx, tx, p.nodes, p.today, now); err != nil {
			return fmt.Errorf("committees: %w", err)
		}
		progress("status history and branch committees written")
		if err := finishOrgs(ctx, tx, p.nodes, r); err != nil {
			return fmt.Errorf("counts and checks: %w", err)
		}
		// The full-members history starts with today's counts (the 支委会 rule reads it).
		if err := org.RecountFull(ctx, tx, now); err != nil {
			return fmt.Errorf("full members: %w", err)
		}
		if err := tx.Analyze(ctx, "orgs", "member_status_history", "committee_members", "org_checks"); err != nil {
			return err
		}
		res.Activities, res.Attendance, err = insertLife(ctx, tx, g, p, now, r, progress)
		if err != nil {
			return fmt.Errorf("organizational life: %w", err)
		}
		progress("%s written (lapse figures counted)", lifeSummaryLine(res.Activities, res.Attendance))
		if res.Assignments, err = insertTasks(ctx, tx, g, p, now); err != nil {
			return fmt.Errorf("tasks: %w", err)
		}
		progress("%d task assignments written", res.Assignments)
		if err := r.Flush(ctx, tx); err != nil {
			return fmt.Errorf("rollups: %w", err)
		}
		progress("counts, checks and rollups written")
		if tx.Dialect() == db.Postgres {
			for _, t := range []string{"orgs", "members", "activities", "tasks", "task_assignments"} {
				if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('`+t+`', 'id'), (SELECT COALESCE(MAX(id), 1) FROM `+t+`))`); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if d.Dialect() == db.Postgres {
		_, _ = d.Exec(ctx, `ANALYZE`)
	} else {
		_, _ = d.Exec(ctx, `ANALYZE`)
		_, _ = d.Exec(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	}
	progress("analyzed")
	if res.Accounts, err = createAccounts(ctx, d, a, p, opt.Password); err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	if err := showcasePoints(ctx, d, p, opt.Now); err != nil {
		return nil, err
	}
	progress("points scheme published, the showcase branch's points derived")
	if res.PointsEntries, err = ledgerYear(ctx, d, opt.Seed, opt.Now, progress); err != nil {
		return nil, fmt.Errorf("points ledger: %w", err)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// insertOrgs writes the planned organizations with their ids, in id order (parents first).
func insertOrgs(ctx context.Context, tx *db.Tx, nodes []*node, now time.Time) error {
	th, err := org.CurrentThresholds(ctx, tx)
	if err != nil {
		return err
	}
	const cols = 20
	const chunk = 500
	for s := 0; s < len(nodes); s += chunk {
		e := min(s+chunk, len(nodes))
		args := make([]any, 0, (e-s)*cols)
		for _, x := range nodes[s:e] {
			var parent any
			if x.parent != nil {
				parent = x.parent.id
			}
			args = append(args, x.id, parent, x.path, x.depth, x.name, x.short, string(x.kind), x.field, x.unit, x.unitKind,
				x.setup, x.secret, x.contact, x.phone, x.address, x.sort, x.code, strings.Join(org.Flags(x.kind, x.secret, org.Counts{}, th), ","), now, now)
		}
		q := `INSERT INTO orgs (id, parent_id, path, depth, name, short_name, kind, field, unit_name, unit_kind, setup_date,
			secretary, contact, phone, address, sort_order, code, flags, created_at, updated_at) VALUES ` + rows(e-s, cols)
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

var rowsCache = map[[2]int]string{}

// rows is "(?, ?), (?, ?)" for n rows of c columns.
func rows(n, c int) string {
	if s, ok := rowsCache[[2]int{n, c}]; ok {
		return s
	}
	one := "(" + db.Placeholders(c) + ")"
	s := strings.Repeat(one+", ", n-1) + one
	rowsCache[[2]int{n, c}] = s
	return s
}

const memberCols = 24

// batch is a ready multi-row INSERT of members.
type batch struct {
	n    int
	args []any
}

// insertMembers generates the members of every branch (in a goroutine, so generation and
// writing overlap) and writes them 500 rows per statement; it counts each branch's direct
// members and adds every member to r.
func insertMembers(ctx context.Context, tx *db.Tx, g *gen, branches []*node, now time.Time, r tree.Rollup, tick func(int)) (int, error) {
	const chunk = 500
	ch := make(chan batch, 4)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(ch)
		keys := map[string]string{}
		b := batch{args: make([]any, 0, chunk*memberCols)}
		send := func() bool {
			select {
			case ch <- b:
			case <-done:
				return false
			}
			b = batch{args: make([]any, 0, chunk*memberCols)}
			return true
		}
		agg := map[member.MemberRollup]int{}
		for _, br := range branches {
			clear(agg)
			for i := 0; i < br.size; i++ {
				p := g.member(br.prof, br.address)
				if br.anomaly == anomalySmall || (br.showcase && i < 8) {
					p.Status, p.StatusNote = "active", ""
				}
				if br.showcase && i == 0 && p.Category != "full" {
					// the demo member account should be an ordinary full member
					birth, _ := time.Parse("2006-01-02", p.BirthDate)
					join := birth.AddDate(18, 0, 1)
					if t := g.today.AddDate(-5, 0, 0); t.After(join) {
						join = t
					}
					p.Category, p.JoinDate, p.FullDate = "full", day(join), day(join.AddDate(1, 0, 0))
				}
				var group any
				if len(br.groups) > 0 {
					group = br.groups[i%len(br.groups)].id
				}
				key, ok := keys[p.Name]
				if !ok {
					key = member.NameKey(p.Name)
					keys[p.Name] = key
				}
				f := &p.Fields
				b.args = append(b.args, br.id, br.path, group, f.Name, key, f.Sex, f.Ethnicity, f.IDNumber, f.IDNumber[14:], f.BirthDate,
					f.Education, f.NativePlace, f.Category, f.JoinDate, f.FullDate, f.Position, f.Phone, tail4(f.Phone), f.Address,
					f.Status, f.StatusNote, statusSince(g.today, f.JoinDate, f.Status, i), now, now)
				b.n++
				agg[member.MemberRollup{Status: f.Status, Category: f.Category, Sex: f.Sex, BirthMonth: f.BirthDate[:7],
					Education: f.Education, Ethnicity: f.Ethnicity, Field: br.field}]++
				if member.IsCurrent(f.Status) {
					br.dm++
					if f.Category == "full" {
						br.df++
						if f.Status == "active" || f.Status == "mobile" {
							br.good++
						}
					}
				}
				if b.n == chunk && !send() {
					return
				}
			}
			// Sums: the order of the map does not matter.
			for k, n := range agg {
				k.Add(r, br.path, n)
			}
		}
		if b.n > 0 {
			send()
		}
	}()
	cols := []string{"org_id", "org_path", "group_id", "name", "name_key", "sex", "ethnicity", "id_number", "id_tail", "birth_date",
		"education", "native_place", "category", "join_date", "full_date", "position", "phone", "phone_tail", "address", "status",
		"status_note", "status_since", "created_at", "updated_at"}
	var cur batch
	pos, total, next := 0, 0, 100000
	src := func() ([]any, error) {
		for pos == cur.n {
			b, ok := <-ch
			if !ok {
				return nil, ctx.Err()
			}
			cur, pos = b, 0
		}
		row := cur.args[pos*memberCols : (pos+1)*memberCols]
		pos++
		if total++; total >= next {
			tick(total)
			next += 100000
		}
		return row, nil
	}
	err := tx.WithoutForeignKeys(ctx, "members", func() error {
		_, err := tx.Copy(ctx, "members", cols, src)
		return err
	})
	if err != nil {
		return total, err
	}
	return total, ctx.Err()
}

func tail4(s string) string {
	if len(s) <= 4 {
		return s
	}
	return s[len(s)-4:]
}

// finishOrgs writes the direct counts and flags of member-holding organizations, the
// org_checks rows, and adds kinds and checks to the rollup.
func finishOrgs(ctx context.Context, tx *db.Tx, nodes []*node, r tree.Rollup) error {
	th, err := org.CurrentThresholds(ctx, tx)
	if err != nil {
		return err
	}
	upd, err := tx.Prepare(ctx, `UPDATE orgs SET direct_members = ?, direct_full = ?, committee_size = ?, secretary = ?, flags = ? WHERE id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	var checks []any
	nChecks := 0
	flush := func() error {
		if nChecks == 0 {
			return nil
		}
		_, err := tx.Exec(ctx, `INSERT INTO org_checks (check_name, path, org_id) VALUES `+rows(nChecks, 3), checks...)
		checks, nChecks = checks[:0], 0
		return err
	}
	for _, x := range nodes {
		flags := org.Flags(x.kind, x.secret, org.Counts{Members: x.dm, Full: x.df, Good: x.good, Committee: x.committee}, th)
		if x.kind.HoldsMembers() {
			if _, err := upd.ExecContext(ctx, x.dm, x.df, x.committee, x.secret, strings.Join(flags, ","), x.id); err != nil {
				return err
			}
		}
		r.Add(x.path, org.DimKind, string(x.kind), 1)
		for _, f := range flags {
			r.Add(x.path, org.DimCheck, f, 1)
			checks = append(checks, f, x.path, x.id)
			nChecks++
			if nChecks == 500 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
	}
	return flush()
}

// createAccounts makes the five demo accounts through the auth service, as an administrator
// would. An existing account of the same name (the first admin of `serve`) gets the demo
// password and the grant.
func createAccounts(ctx context.Context, d *db.DB, a *auth.Service, p *planner, password string) ([]Account, error) {
	var street, community, branch *node
	for _, x := range p.nodes {
		if !x.showcase {
			continue
		}
		switch {
		case x.depth == 1:
			street = x
		case x.kind == org.Committee:
			community = x
		case x.kind.HoldsMembers():
			branch = x
		}
	}
	if street == nil || community == nil || branch == nil {
		return nil, errors.New("no showcase branch was planned")
	}
	var memberID int64
	var memberName string
	if err := d.QueryRow(ctx, `SELECT id, name FROM members WHERE org_id = ? AND status = 'active' AND category = 'full' ORDER BY id LIMIT 1`, branch.id).
		Scan(&memberID, &memberName); err != nil {
		return nil, err
	}
	secretaryID, err := secretaryMember(ctx, d, branch.id, memberID)
	if err != nil {
		return nil, err
	}
	root := p.nodes[0]
	accounts := []Account{
		{Username: "admin", Role: auth.RoleAdmin, OrgName: root.name},
		{Username: "jiedao", Role: auth.RoleStaff, OrgID: street.id, OrgName: street.name},
		{Username: "shequ", Role: auth.RoleStaff, OrgID: community.id, OrgName: community.name},
		{Username: "zhibu", Role: auth.RoleSecretary, OrgID: branch.id, OrgName: community.name + branch.name, MemberID: secretaryID},
		{Username: "dangyuan", Role: auth.RoleMember, OrgID: branch.id, OrgName: community.name + branch.name, MemberID: memberID},
	}
	display := map[string]string{"admin": "系统管理员", "jiedao": street.contact, "shequ": community.contact, "zhibu": branch.secret, "dangyuan": memberName}
	sys := auth.System()
	for i := range accounts {
		ac := &accounts[i]
		ac.Password = password
		var id int64
		err := d.QueryRow(ctx, `SELECT id FROM users WHERE username = ?`, ac.Username).Scan(&id)
		if err == nil {
			pw := password
			patch := auth.UserPatch{Password: &pw}
			if ac.MemberID != 0 {
				patch.MemberID = &ac.MemberID
			}
			if _, err := a.UpdateUser(ctx, sys, id, patch); err != nil {
				return nil, err
			}
		} else {
			id, err = a.CreateUser(ctx, sys, auth.NewUser{Username: ac.Username, DisplayName: display[ac.Username], Password: password,
				OrgID: ac.OrgID, MemberID: ac.MemberID})
			if err != nil {
				return nil, fmt.Errorf("%s: %w", ac.Username, err)
			}
		}
		u, err := a.GetUser(ctx, sys, id)
		if err != nil {
			return nil, err
		}
		has := false
		for _, gr := range u.Grants {
			has = has || (gr.Role == ac.Role && gr.OrgID == ac.OrgID)
		}
		if !has {
			if _, err := a.GrantRole(ctx, sys, id, ac.Role, ac.OrgID); err != nil {
				return nil, fmt.Errorf("%s: %w", ac.Username, err)
			}
		}
	}
	return accounts, nil
}

// AccountsTable is the table of the demo accounts, with their password for the terminal
// when they are created, without it for demo-accounts.txt.
func AccountsTable(accs []Account, withPassword bool) string {
	var b strings.Builder
	row := func(user, role, org, pw string) {
		if !withPassword {
			pw = ""
		}
		fmt.Fprintln(&b, strings.TrimRight(fmt.Sprintf("  %-9s %-10s %s%s", user, role, pad(org, 40), pw), " "))
	}
	row("username", "role", "organization", "password")
	for _, a := range accs {
		name := a.OrgName + " (#" + strconv.FormatInt(a.OrgID, 10) + ")"
		if a.Role == auth.RoleAdmin {
			name = "全系统 / whole system"
		}
		row(a.Username, string(a.Role), name, a.Password)
	}
	return b.String()
}

// pad fills s to w terminal columns, counting CJK characters as two.
func pad(s string, w int) string {
	n := 0
	for _, r := range s {
		if r >= 0x1100 {
			n += 2
		} else {
			n++
		}
	}
	if n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s + " "
}

func anys(xs []string) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

package points

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/life/compliance"
	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/files"
	"dangjian/internal/tree"
)

// env is a district on a real database: R › A (street) › A1 (branch, members m1–m3, m3 流动).
type env struct {
	t       testing.TB
	ctx     context.Context
	db      *db.DB
	clock   *clock.Fake
	pts     *Store
	life    *life.Store
	orgs    map[string]int64
	members map[string]int64
	reg     *tree.Registry
}

var envNow = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)

func newEnv(t testing.TB, d *db.DB) *env {
	t.Helper()
	ctx := context.Background()
	c := clock.NewFake(envNow)
	os := &org.Store{DB: d, Clock: c}
	ms := &member.Store{DB: d, Clock: c}
	packs := &rules.Packs{DB: d, Clock: c, TTL: time.Second}
	ls := &life.Store{DB: d, Clock: c, Pack: packs.Current, Files: files.Disk{Dir: t.TempDir()}, Members: ms}
	cs := &compliance.Store{Store: ls, Appraisal: &appraisal.Store{Store: ls}}
	ls.Hooks = cs
	pts := &Store{DB: d, Clock: c}
	ls.Followers = []life.Follower{pts}
	reg := tree.New(os.Part(), member.Part(), cs.Part(), Part())
	os.Tree = reg
	e := &env{t: t, ctx: ctx, db: d, clock: c, pts: pts, life: ls, orgs: map[string]int64{}, members: map[string]int64{}, reg: reg}
	t.Cleanup(ls.Wait)
	mk := func(key, parent string, kind org.Kind) {
		o, err := os.Create(ctx, auth.System(), org.Fields{ParentID: e.orgs[parent], Name: "组织" + key, Kind: kind, Field: "community", Secretary: "书记"})
		if err != nil {
			t.Fatal(err)
		}
		e.orgs[key] = o.ID
	}
	mk("R", "", org.Committee)
	mk("A", "R", org.Committee)
	mk("A1", "A", org.Branch)
	mk("A2", "A", org.Branch)
	for i, k := range []string{"m1", "m2", "m3", "b1"} {
		branch := map[bool]string{true: "A2", false: "A1"}[k == "b1"]
		first := fmt.Sprintf("330602198001%02d%03d", i+1, 101+2*i)
		m, err := ms.Create(ctx, auth.System(), member.Fields{OrgID: e.orgs[branch], Name: "党员" + k, Ethnicity: "01",
			IDNumber: first + string(member.IDCheckChar(first)), Category: "full", JoinDate: "2005-07-01", FullDate: "2006-07-01", Education: "bachelor"})
		if err != nil {
			t.Fatal(err)
		}
		e.members[k] = m.ID
	}
	if _, err := d.Exec(ctx, `UPDATE members SET status = 'mobile' WHERE id = ?`, e.members["m3"]); err != nil {
		t.Fatal(err)
	}
	return e
}

// publish publishes text for an organization as the system; it fails the test on an error.
func (e *env) publish(orgKey string, text []byte) *SchemeVersion {
	e.t.Helper()
	v, err := e.pts.Publish(e.ctx, auth.System(), e.orgs[orgKey], text)
	if err != nil {
		e.t.Fatal(err)
	}
	return v
}

// edit is the example scheme with replacements (old, new, old, new …).
func edit(pairs ...string) []byte {
	return []byte(strings.NewReplacer(pairs...).Replace(string(ExampleText())))
}

// secretary is a scope writing A1's subtree.
func (e *env) secretary(orgKey string) *auth.Scope {
	var path string
	if err := e.db.QueryRow(e.ctx, `SELECT path FROM orgs WHERE id = ?`, e.orgs[orgKey]).Scan(&path); err != nil {
		e.t.Fatal(err)
	}
	return &auth.Scope{UserID: 900, Username: "sec", Grants: []auth.Grant{{Role: auth.RoleSecretary, OrgID: e.orgs[orgKey], OrgPath: path}}}
}

// own is the scope of a member acting for themselves (an account linked to their record).
func (e *env) own(memberKey string) *auth.Scope {
	return &auth.Scope{UserID: 901, Username: "mem", MemberID: e.members[memberKey], Grants: []auth.Grant{{Role: auth.RoleMember}}}
}

// enter writes a branch entry as the system and returns it.
func (e *env) enter(memberKey, item, day string) *Entry {
	e.t.Helper()
	en, err := e.pts.Enter(e.ctx, auth.System(), NewEntry{MemberID: e.members[memberKey], Item: item, EventDate: day})
	if err != nil {
		e.t.Fatalf("enter %s %s: %v", item, day, err)
	}
	return en
}

// approve files a claim for a member and approves it as the system; it returns the entry.
func (e *env) approve(memberKey, item, day string) *Entry {
	e.t.Helper()
	c, err := e.pts.File(e.ctx, e.own(memberKey), NewClaim{Item: item, EventDate: day})
	if err != nil {
		e.t.Fatalf("claim %s %s: %v", item, day, err)
	}
	out, err := e.pts.Decide(e.ctx, auth.System(), Decision{IDs: []int64{c.ID}, Action: "approve"})
	if err != nil {
		e.t.Fatal(err)
	}
	var en Entry
	if err := e.db.QueryRow(e.ctx, `SELECT id, requested, applied, reason, reason_en, scheme_id FROM points_entries WHERE id = ?`, out[0].EntryID).
		Scan(&en.ID, &en.Requested, &en.Applied, &en.Reason, &en.ReasonEN, &en.SchemeID); err != nil {
		e.t.Fatal(err)
	}
	return &en
}

// year reads a member's year as the system.
func (e *env) year(memberKey string, y int) *MemberYear {
	e.t.Helper()
	my, err := e.pts.Year(e.ctx, auth.System(), e.members[memberKey], y)
	if err != nil {
		e.t.Fatal(err)
	}
	return my
}

func (my *MemberYear) item(code string) Figure {
	for _, f := range my.Items {
		if f.Code == code {
			return f
		}
	}
	return Figure{}
}

func (my *MemberYear) cat(code string) Figure {
	for _, f := range my.Categories {
		if f.Code == code {
			return f
		}
	}
	return Figure{}
}

// snapshot is every row of a query, one line each, sorted.
func (e *env) snapshot(q string) string {
	e.t.Helper()
	var out []string
	err := db.Each(e.ctx, e.db, q, nil, func(r db.Scanner) error {
		var a, b, c, d any
		if err := r.Scan(&a, &b, &c, &d); err != nil {
			return err
		}
		out = append(out, fmt.Sprint(a, " ", b, " ", c, " ", d))
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// assertRecount fails unless the maintained totals and rollups equal a recount from the
// ledger and the claims.
func (e *env) assertRecount() {
	e.t.Helper()
	const totals = `SELECT member_id, year, bucket, points || ':' || times FROM points_totals WHERE points <> 0 OR times <> 0`
	const stats = `SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0 AND dim LIKE 'pts:%'`
	mt, ms := e.snapshot(totals), e.snapshot(stats)
	if _, err := e.reg.Recount(e.ctx, e.db); err != nil {
		e.t.Fatal(err)
	}
	if rt, rs := e.snapshot(totals), e.snapshot(stats); mt != rt || ms != rs {
		e.t.Fatalf("maintained ≠ recount\ntotals:\n%s\nvs\n%s\nstats:\n%s\nvs\n%s", mt, rt, ms, rs)
	}
	if ms == "" {
		e.t.Fatal("no points rollups at all")
	}
}

package assess

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"dangjian/internal/calendar"
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
	"dangjian/internal/platform/httpx"
	"dangjian/internal/publicity"
	"dangjian/internal/tree"
)

// env is a district on a real database: R › A (street) › A1, A2 (village branches; A1 with
// members m1–m3 and one activity in March), and B (another street) › B1.
type env struct {
	t       testing.TB
	ctx     context.Context
	db      *db.DB
	clock   *clock.Fake
	as      *Store
	life    *life.Store
	orgs    map[string]int64
	members map[string]int64
}

var envNow = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC) // a Friday

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
	os.Tree = tree.New(os.Part(), member.Part(), cs.Part())
	pub := &publicity.Store{DB: d, Clock: c, Cal: &calendar.Store{DB: d, Clock: c}}
	e := &env{t: t, ctx: ctx, db: d, clock: c, as: &Store{DB: d, Clock: c, Pack: packs.Current, Pub: pub}, life: ls, orgs: map[string]int64{}, members: map[string]int64{}}
	t.Cleanup(ls.Wait)
	mk := func(key, parent string, kind org.Kind) {
		o, err := os.Create(ctx, auth.System(), org.Fields{ParentID: e.orgs[parent], Name: "组织" + key, Kind: kind, Field: "rural", Secretary: "书记", SetupDate: "2020-01-01"})
		if err != nil {
			t.Fatal(err)
		}
		e.orgs[key] = o.ID
	}
	mk("R", "", org.Committee)
	mk("A", "R", org.Committee)
	mk("A1", "A", org.Branch)
	mk("A2", "A", org.Branch)
	mk("B", "R", org.Committee)
	mk("B1", "B", org.Branch)
	for i, k := range []string{"m1", "m2", "m3"} {
		first := fmt.Sprintf("330602198001%02d%03d", i+1, 101+2*i)
		m, err := ms.Create(ctx, auth.System(), member.Fields{OrgID: e.orgs["A1"], Name: "党员" + k, Ethnicity: "01",
			IDNumber: first + string(member.IDCheckChar(first)), Category: "full", JoinDate: "2005-07-01", FullDate: "2006-07-01", Education: "bachelor"})
		if err != nil {
			t.Fatal(err)
		}
		e.members[k] = m.ID
	}
	a, err := ls.Create(ctx, auth.System(), life.ActivityFields{OrgID: e.orgs["A1"], Kinds: []string{"theme_day", "party_lecture", "branch_general_meeting"}, Topic: "学习党章", Speaker: "书记",
		StartsAt: time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC), Held: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ls.SetAttendance(ctx, auth.System(), a.ID, life.AttendanceUpdate{Items: []life.AttendanceItem{
		{MemberID: e.members["m1"], State: "present"}, {MemberID: e.members["m2"], State: "present"}, {MemberID: e.members["m3"], State: "absent"}}}); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) path(key string) string {
	var p string
	if err := e.db.QueryRow(e.ctx, `SELECT path FROM orgs WHERE id = ?`, e.orgs[key]).Scan(&p); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// staff is org_staff on key's subtree; secretary a secretary there.
func (e *env) staff(key string) *auth.Scope {
	return &auth.Scope{UserID: 900, Username: "staff" + key, Grants: []auth.Grant{{Role: auth.RoleStaff, OrgID: e.orgs[key], OrgPath: e.path(key)}}}
}

func (e *env) secretary(key string) *auth.Scope {
	return &auth.Scope{UserID: 901, Username: "sec" + key, Grants: []auth.Grant{{Role: auth.RoleSecretary, OrgID: e.orgs[key], OrgPath: e.path(key)}}}
}

// open publishes the village example at R and opens a round at A.
func (e *env) open() *Round {
	e.t.Helper()
	v, err := e.as.PublishSet(e.ctx, auth.System(), e.orgs["R"], Examples()["village"])
	if err != nil {
		e.t.Fatal(err)
	}
	r, err := e.as.Open(e.ctx, e.staff("A"), e.orgs["A"], NewRound{SetID: v.RowID, Name: "2026年度五星争创", SelfTo: "2026-11-25", ReviewTo: "2026-11-27", AwardOn: "2026-12-10"})
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// status is the HTTP status an error answers with (200 for nil).
func status(err error) int {
	if err == nil {
		return 200
	}
	var he *httpx.Error
	if ok := asHTTP(err, &he); ok {
		return he.Status
	}
	return 500
}

func asHTTP(err error, he **httpx.Error) bool {
	for err != nil {
		if h, ok := err.(*httpx.Error); ok {
			*he = h
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}

func fieldsOf(err error) string {
	var he *httpx.Error
	if !asHTTP(err, &he) {
		return ""
	}
	var fs []string
	for _, is := range he.Issues {
		fs = append(fs, is.Field+": "+is.Msg.Render("zh-CN"))
	}
	return strings.Join(fs, "; ")
}

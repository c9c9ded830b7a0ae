package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// fixture is a small district on a real database behind a real HTTP server:
//
//	R 区委
//	├── A 街道党工委 ── A1 党支部 (members a1m1…a1m4, group A1g) · A2 党支部 · AG 党总支
//	└── B 街道党工委 ── B1 党支部 (member b1m1)
//
// with one account per role: admin, staffA (org_staff on A), viewerA (viewer on A),
// secA (secretary on A1), memA (member, own record a1m1), staffB (org_staff on B).
type fixture struct {
	t       *testing.T
	app     *App
	srv     *httptest.Server
	clock   *clock.Fake
	orgs    map[string]int64
	members map[string]int64
	users   map[string]int64
	tokens  map[string]string
	seq     int
	// apps are the server instances: app alone, or app and a second one on the same
	// PostgreSQL database taking every other request (twoinstances_test.go).
	apps []*App
}

const testPassword = "correct-horse-9"

var fixtureNow = time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)

// validID makes a valid ID number for a birth date and a sequence.
func validID(birth string, seq int, male bool) string {
	d := 2*(seq%400) + 100
	if male {
		d++
	}
	first := fmt.Sprintf("330602%s%03d", strings.ReplaceAll(birth, "-", ""), d%1000)
	return first + string(member.IDCheckChar(first))
}

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	c := clock.NewFake(fixtureNow)
	if twoInstances && d.Dialect() != db.Postgres {
		t.Skip("two instances: PostgreSQL only (SQLite is one process)")
	}
	f := &fixture{t: t, app: New(d, c, t.TempDir()), clock: c, orgs: map[string]int64{}, members: map[string]int64{},
		users: map[string]int64{}, tokens: map[string]string{}}
	t.Cleanup(f.app.Life.Wait) // background rebuilds end before the database closes
	t.Cleanup(func() { _ = f.app.Auth.Close() })
	f.apps = []*App{f.app}
	sys := auth.System()
	mk := func(key, parent string, kind org.Kind, field, name string) {
		o, err := f.app.Orgs.Create(ctx, sys, org.Fields{ParentID: f.orgs[parent], Name: name, Kind: kind, Field: field, Secretary: "书记" + key})
		if err != nil {
			t.Fatalf("create org %s: %v", key, err)
		}
		f.orgs[key] = o.ID
	}
	mk("R", "", org.Committee, "government", "中共测试区委员会")
	mk("A", "R", org.Committee, "community", "中共城南街道工作委员会")
	mk("A1", "A", org.Branch, "community", "中共和平社区第一支部委员会")
	mk("A1g", "A1", org.Group, "community", "第一党小组")
	mk("A2", "A", org.Branch, "community", "中共和平社区第二支部委员会")
	mk("AG", "A", org.GeneralBranch, "community", "中共和平社区总支部委员会")
	mk("B", "R", org.Committee, "rural", "中共城北镇委员会")
	mk("B1", "B", org.Branch, "rural", "中共李家村支部委员会")
	for i, m := range []struct{ key, org string }{{"a1m1", "A1"}, {"a1m2", "A1"}, {"a1m3", "A1"}, {"a1m4", "A1"}, {"b1m1", "B1"}} {
		f.members[m.key] = f.addMember(m.org, fmt.Sprintf("测试%d", i), validID("1980-05-0"+fmt.Sprint(i+1), i, true))
	}
	f.addUser("admin", auth.RoleAdmin, "")
	f.addUser("staffA", auth.RoleStaff, "A")
	f.addUser("viewerA", auth.RoleViewer, "A")
	f.addUser("secA", auth.RoleSecretary, "A1")
	f.addUser("memA", auth.RoleMember, "A1")
	f.addUser("staffB", auth.RoleStaff, "B")
	if _, err := f.app.Auth.UpdateUser(ctx, sys, f.users["memA"], auth.UserPatch{MemberID: ptr(f.members["a1m1"])}); err != nil {
		t.Fatal(err)
	}
	// Every request of a test comes from 127.0.0.1: the per-address login limit would count
	// the fixture's own logins (auth_test.go tests the limits themselves).
	f.app.Auth.LoginPerIP.Limit = 0
	handler := f.app.Handler()
	if twoInstances {
		handler = f.secondInstance(d)
	}
	f.srv = httptest.NewServer(handler)
	t.Cleanup(f.srv.Close)
	for name := range f.users {
		f.tokens[name] = f.login(name, testPassword)
	}
	return f
}

func ptr[T any](v T) *T { return &v }

func (f *fixture) addMember(orgKey, name, id string) int64 {
	f.t.Helper()
	m, err := f.app.Members.Create(context.Background(), auth.System(), member.Fields{OrgID: f.orgs[orgKey], Name: name, Ethnicity: "01",
		IDNumber: id, Category: "full", JoinDate: "2005-07-01", FullDate: "2006-07-01", Education: "bachelor", Phone: "13800001111"})
	if err != nil {
		f.t.Fatalf("create member %s: %v", name, err)
	}
	return m.ID
}

// newMember adds a fresh member to a branch and returns its id.
func (f *fixture) newMember(orgKey string) int64 {
	f.seq++
	return f.addMember(orgKey, fmt.Sprintf("新党员%d", f.seq), validID("1970-01-15", 100+f.seq, true))
}

func (f *fixture) addUser(name string, role auth.Role, orgKey string) {
	f.t.Helper()
	ctx := context.Background()
	id, err := f.app.Auth.CreateUser(ctx, auth.System(), auth.NewUser{Username: name, DisplayName: name, Password: testPassword, OrgID: f.orgs[orgKey]})
	if err != nil {
		f.t.Fatalf("create user %s: %v", name, err)
	}
	if _, err := f.app.Auth.GrantRole(ctx, auth.System(), id, role, f.orgs[orgKey]); err != nil {
		f.t.Fatalf("grant %s: %v", name, err)
	}
	f.users[name] = id
}

// newOrg creates an organization under parent and returns its id.
func (f *fixture) newOrg(parent string, kind org.Kind) int64 {
	f.t.Helper()
	f.seq++
	o, err := f.app.Orgs.Create(context.Background(), auth.System(), org.Fields{ParentID: f.orgs[parent], Name: fmt.Sprintf("新组织%d", f.seq), Kind: kind, Field: "community"})
	if err != nil {
		f.t.Fatal(err)
	}
	return o.ID
}

// newUser creates an account managed in orgKey and returns its id.
func (f *fixture) newUser(orgKey string) int64 {
	f.t.Helper()
	f.seq++
	id, err := f.app.Auth.CreateUser(context.Background(), auth.System(), auth.NewUser{Username: fmt.Sprintf("user%d", f.seq), Password: testPassword, OrgID: f.orgs[orgKey]})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

func (f *fixture) login(name, pw string) string {
	f.t.Helper()
	res := f.do("", "POST", "/api/v1/auth/login", map[string]string{"username": name, "password": pw})
	if res.status != 200 {
		f.t.Fatalf("login %s: %d %s", name, res.status, res.body)
	}
	var lr struct{ Token string }
	res.decode(f.t, &lr)
	return lr.Token
}

// rawBody is sent as it is (a YAML rule pack).
type rawBody string

// upload is a file sent as the multipart field "file".
type upload struct {
	name string
	data []byte
}

// rosterCSV is an import file with one member row (bad: a wrong check digit).
func (f *fixture) rosterCSV(bad bool) upload {
	f.seq++
	id := validID("1985-03-03", 500+f.seq, true)
	if bad {
		id = id[:17] + map[bool]string{true: "1", false: "2"}[id[17] != '1']
	}
	csv := "姓名,性别,民族,公民身份号码,出生日期,学历,籍贯,人员类别,所在党支部,党小组,入党日期,转正日期,工作岗位,手机号码,家庭住址,党籍状态\n" +
		fmt.Sprintf("导入%d,男,汉族,%s,1985-03-03,大学本科,浙江绍兴,正式党员,,,2010-07-01,2011-07-01,职员,13800002222,某地,在册\n", f.seq, id)
	return upload{name: "roster.csv", data: []byte(csv)}
}

type response struct {
	status int
	body   []byte
	header http.Header
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// do sends a request as user (by name; "" anonymous) with an optional JSON body.
func (f *fixture) do(user, method, path string, body any, headers ...string) response {
	f.t.Helper()
	var rd io.Reader
	contentType := "application/json"
	switch b := body.(type) {
	case nil:
	case rawBody:
		rd, contentType = strings.NewReader(string(b)), "application/yaml"
	case upload:
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile("file", b.name)
		_, _ = fw.Write(b.data)
		_ = mw.Close()
		rd, contentType = &buf, mw.FormDataContentType()
	default:
		j, _ := json.Marshal(body)
		rd = bytes.NewReader(j)
	}
	req, _ := http.NewRequest(method, f.srv.URL+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", contentType)
	}
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[user])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, body: b, header: resp.Header}
}

// count returns a single number from SQL, for "nothing changed" checks.
func (f *fixture) count(q string, args ...any) int {
	f.t.Helper()
	var n int
	if err := f.app.DB.QueryRow(context.Background(), q, args...).Scan(&n); err != nil {
		f.t.Fatal(err)
	}
	return n
}

// stateDigest summarises every table a write could touch except the audit trail.
func (f *fixture) stateDigest() string {
	f.t.Helper()
	var parts []string
	for _, q := range []string{
		`SELECT COUNT(*) FROM orgs`, `SELECT COUNT(*) FROM members`, `SELECT COALESCE(SUM(n), 0) FROM org_stats`,
		`SELECT COUNT(*) FROM org_checks`, `SELECT COUNT(*) FROM grants`, `SELECT COUNT(*) FROM users`,
		`SELECT COUNT(*) FROM tasks`, `SELECT COUNT(*) FROM task_assignments WHERE state <> 'issued'`,
		`SELECT COUNT(*) FROM rectify_notes`, `SELECT COUNT(*) FROM level_rules`, `SELECT COUNT(*) FROM secreport_rounds`,
		`SELECT COUNT(*) FROM secreport_votes`, `SELECT COUNT(*) FROM classify_decisions`, `SELECT COUNT(*) FROM classify_plans`,
		`SELECT COUNT(*) FROM rectify_items`, `SELECT COUNT(*) FROM secreport_reports WHERE state = 'submitted'`,
	} {
		parts = append(parts, fmt.Sprint(f.count(q)))
	}
	rows, err := f.app.DB.Query(context.Background(), `SELECT id, path, name, secretary FROM orgs ORDER BY id`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var p, n, s string
		_ = rows.Scan(&id, &p, &n, &s)
		parts = append(parts, fmt.Sprint(id, p, n, s))
	}
	mrows, err := f.app.DB.Query(context.Background(), `SELECT id, org_id, name, id_number, status, category FROM members ORDER BY id`)
	if err != nil {
		f.t.Fatal(err)
	}
	defer mrows.Close()
	for mrows.Next() {
		var id, o int64
		var n, idn, st, c string
		_ = mrows.Scan(&id, &o, &n, &idn, &st, &c)
		parts = append(parts, fmt.Sprint(id, o, n, idn, st, c))
	}
	return strings.Join(parts, "|")
}

func t0() context.Context { return context.Background() }

// newActivity records a held 主题党日 of orgKey and brings it to state (held, submitted, accepted).
func (f *fixture) newActivity(orgKey, state string) int64 {
	return f.newActivityOf(orgKey, state, "theme_day")
}

// newActivityOf is newActivity for other kinds.
func (f *fixture) newActivityOf(orgKey, state string, kinds ...string) int64 {
	f.t.Helper()
	ctx := context.Background()
	sys := auth.System()
	f.seq++
	a, err := f.app.Life.Create(ctx, sys, life.ActivityFields{OrgID: f.orgs[orgKey], Kinds: kinds,
		Topic: fmt.Sprintf("主题党日%d", f.seq), StartsAt: fixtureNow.Add(-48 * time.Hour), Held: true})
	if err != nil {
		f.t.Fatal(err)
	}
	for _, step := range map[string][]string{"held": nil, "submitted": {"submit"}, "accepted": {"submit", "accept"}}[state] {
		if _, err := f.app.Life.Transition(ctx, sys, a.ID, step, life.Review{Confirm: true}); err != nil {
			f.t.Fatal(err)
		}
	}
	return a.ID
}

// newExemption exempts a member of A1 and returns the exemption's id.
func (f *fixture) newExemption() int64 {
	f.t.Helper()
	e, err := f.app.Life.CreateExemption(context.Background(), auth.System(), life.NewExemption{MemberID: f.members["a1m4"], Reason: "病休", FromDate: "2026-01-01"})
	if err != nil {
		f.t.Fatal(err)
	}
	return e.ID
}

// pngFile is a real PNG image of w×h pixels, as an upload.
func pngFile(name string, w, h int) upload {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 200, 255})
		}
	}
	var buf bytes.Buffer
	_ = png.Encode(&buf, img)
	return upload{name: name, data: buf.Bytes()}
}

// newAttachment attaches a photo to a fresh held activity of A1 and returns its id.
func (f *fixture) newAttachment() int64 {
	f.t.Helper()
	id := f.newActivity("A1", "held")
	var a struct{ ID int64 }
	r := f.do("admin", "POST", fmt.Sprintf("/api/v1/activities/%d/attachments", id), pngFile("photo.png", 40, 30))
	if r.status != 201 {
		f.t.Fatalf("attach: %d %s", r.status, r.body)
	}
	r.decode(f.t, &a)
	return a.ID
}

// newCheckin opens sign-in for a fresh held activity of A1 and returns the activity and code.
func (f *fixture) newCheckin() (int64, string) {
	f.t.Helper()
	id := f.meetingNow()
	c, err := f.app.Signin.NewCheckinCode(t0(), auth.System(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return id, c.Code
}

// meetingNow records a 主题党日 of A1 that started ten minutes ago and ends in an hour: its
// sign-in window is open.
func (f *fixture) meetingNow() int64 {
	f.t.Helper()
	end := fixtureNow.Add(time.Hour)
	a, err := f.app.Life.Create(context.Background(), auth.System(), life.ActivityFields{OrgID: f.orgs["A1"], Kinds: []string{"theme_day"},
		Topic: "学习党章", StartsAt: fixtureNow.Add(-10 * time.Minute), EndsAt: &end, Place: "社区党群服务中心", Held: true})
	if err != nil {
		f.t.Fatal(err)
	}
	return a.ID
}

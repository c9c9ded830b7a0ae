package demo

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/compliance"
	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/points"
	"dangjian/internal/tasks"
	"dangjian/internal/tree"
)

var testNow = time.Date(2026, 3, 15, 2, 0, 0, 0, time.UTC)

func generate(t *testing.T, d *db.DB) (*auth.Service, *Result) {
	t.Helper()
	a := auth.NewService(d, clock.NewFake(testNow))
	res, err := Generate(context.Background(), d, a, Options{Members: 2000, Seed: 7, Password: "demo-pass-123", Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return a, res
}

type statKey struct {
	org      int64
	dim, key string
}

func snapshot(t *testing.T, d *db.DB) map[statKey]int {
	t.Helper()
	rows, err := d.Query(context.Background(), `SELECT org_id, dim, key, n FROM org_stats WHERE n <> 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[statKey]int{}
	for rows.Next() {
		var k statKey
		var n int
		if err := rows.Scan(&k.org, &k.dim, &k.key, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

func digest(t *testing.T, d *db.DB) string {
	t.Helper()
	h := sha256.New()
	for _, q := range []string{
		`SELECT id, path, name, kind, field, secretary, direct_members, direct_full, flags FROM orgs ORDER BY id`,
		`SELECT id, org_id, name, id_number, birth_date, join_date, full_date, status, phone, COALESCE(group_id, 0) FROM members ORDER BY id`,
	} {
		rows, err := d.Query(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				fmt.Fprintf(h, "%v|", v)
			}
		}
		rows.Close()
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestGenerate(t *testing.T) {
	var digests []string
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a, res := generate(t, d)
		if res.Members != 2000 {
			t.Errorf("members = %d, want 2000", res.Members)
		}
		t.Logf("%d orgs, %d branches, %d groups, %d members in %s", res.Orgs, res.Branches, res.Groups, res.Members, res.Elapsed)
		// The example points scheme is published at the district, and the showcase branch's
		// records of the year yielded points to its members only (zhibu's and dangyuan's pages).
		var schemes, entries, outside, imported, importedMembers int
		if err := d.QueryRow(ctx, `SELECT (SELECT COUNT(*) FROM points_schemes), (SELECT COUNT(*) FROM points_entries WHERE source_kind = 'attendance'),
			(SELECT COUNT(*) FROM points_entries e JOIN users u ON u.username = 'zhibu' JOIN grants g ON g.user_id = u.id
			 JOIN members m ON m.id = e.member_id WHERE m.org_id <> g.org_id AND e.source_kind = 'attendance'),
			(SELECT COUNT(*) FROM points_entries WHERE source_kind = 'import'),
			(SELECT COUNT(DISTINCT member_id) FROM points_entries WHERE source_kind = 'import')`).Scan(&schemes, &entries, &outside, &imported, &importedMembers); err != nil {
			t.Fatal(err)
		}
		if schemes != 1 || entries == 0 || outside != 0 {
			t.Errorf("points: %d schemes, %d derived entries, %d outside the showcase branch", schemes, entries, outside)
		}
		// Everyone else has the year's ledger so far (≈ 30 a member by December, 6 by 15 March),
		// as source import.
		if importedMembers < res.Members*9/10 || imported < importedMembers*5 || imported > importedMembers*7 || int64(imported) != res.PointsEntries {
			t.Errorf("points ledger: %d entries for %d members (result says %d)", imported, importedMembers, res.PointsEntries)
		}

		// (a) the bulk loader keeps the rollups exactly as a recount from the raw rows (the
		// organization's, the roster's and the tasks' parts; life's below).
		if res.Assignments == 0 {
			t.Errorf("task assignments: %d", res.Assignments)
		}
		before := snapshot(t, d)
		if _, err := tree.New((&org.Store{DB: d, Clock: clock.NewFake(testNow)}).Part(), member.Part(), points.Part(), tasks.Part()).Recount(ctx, d); err != nil {
			t.Fatal(err)
		}
		after := snapshot(t, d)
		if len(before) != len(after) {
			t.Errorf("rollup rows: loaded %d, recounted %d", len(before), len(after))
		}
		for k, n := range after {
			if before[k] != n {
				t.Errorf("rollup %v: loaded %d, recounted %d", k, before[k], n)
			}
		}
		// The compliance rollup of the generated year equals a recount from the raw records.
		pack := rules.DefaultPack()
		ls := &compliance.Store{Store: &life.Store{DB: d, Clock: clock.NewFake(testNow), Pack: func() *rules.Pack { return pack }}}
		// The loader's last participation is what life computes from the attendance rows.
		activeLoaded := lastActive(t, d)
		if err := d.InTx(ctx, func(tx *db.Tx) error { return compliance.RefreshAllLastActive(ctx, tx) }); err != nil {
			t.Fatal(err)
		}
		if n := lastActive(t, d); n != activeLoaded || res.Attendance == 0 {
			t.Errorf("last participation: loaded %s, recomputed %s (%d attendance rows)", activeLoaded, n, res.Attendance)
		}
		before = snapshot(t, d)
		metLoaded := metCount(t, d)
		lapseLoaded := lapseFigures(t, d)
		if _, err := ls.Recount(ctx); err != nil {
			t.Fatal(err)
		}
		after = snapshot(t, d)
		if n := lapseFigures(t, d); n != lapseLoaded || n == "0:0:0" {
			t.Errorf("lapse figures (members with months missed : total months): loaded %s, recounted %s", lapseLoaded, n)
		}
		if n := metCount(t, d); n != metLoaded || n == "" {
			t.Errorf("life_met rows: loaded %s, recounted %s", metLoaded, n)
		}
		lifeRows := 0
		for k, n := range after {
			if strings.HasPrefix(k.dim, "life:") {
				lifeRows++
			}
			if before[k] != n {
				t.Errorf("compliance rollup %v: loaded %d, recounted %d", k, before[k], n)
			}
		}
		if len(before) != len(after) || lifeRows == 0 || res.Activities == 0 {
			t.Errorf("compliance rows: loaded %d, recounted %d, life rows %d, activities %d", len(before), len(after), lifeRows, res.Activities)
		}
		// Realistic gaps: some branches missed a theme day, most did not; some members stopped coming.
		sum, err := ls.Summary(ctx, auth.System(), &org.Store{DB: d, Clock: clock.NewFake(testNow)}, 1, rules.PeriodOf(rules.Month, testNow.AddDate(0, -1, 0)))
		if err != nil {
			t.Fatal(err)
		}
		for _, rs := range sum.Rules {
			if rs.RuleID == "theme_day.month" && (rs.Share < 0.6 || rs.Share > 0.99) {
				t.Errorf("theme day share last month %.2f: want gaps, but not many", rs.Share)
			}
		}
		risk, nRisk, err := ls.AtRiskMembers(ctx, auth.System(), 1, 4, i18n.ZH, httpx.Page{Page: 1, Size: 5})
		if err != nil || nRisk == 0 || len(risk) == 0 {
			t.Errorf("no members at risk of the 6-month rule (%d, %v)", nRisk, err)
		}

		// and the direct counts and flags match the members.
		var bad int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM orgs o WHERE o.direct_members <> (SELECT COUNT(*) FROM members m
			WHERE m.org_id = o.id AND m.status IN ('active','mobile','lost','suspended'))`).Scan(&bad); err != nil || bad != 0 {
			t.Errorf("direct_members wrong on %d orgs (%v)", bad, err)
		}
		var total int
		if err := d.QueryRow(ctx, `SELECT n FROM org_stats WHERE org_id = 1 AND dim = 'total' AND key = ''`).Scan(&total); err != nil {
			t.Fatal(err)
		}
		var current int
		_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM members WHERE status IN ('active','mobile','lost','suspended')`).Scan(&current)
		if total != current {
			t.Errorf("root total %d, current members %d", total, current)
		}

		// Branches with 7 full members in good standing mostly have their committee (书记 the
		// organization's secretary); members have a status history from status_since.
		var bound, without, posts, sizes, noSince, hist, members int
		for q, v := range map[string]*int{
			`SELECT COUNT(*) FROM orgs WHERE kind IN ('branch', 'joint_branch') AND dissolved_at IS NULL AND (SELECT COUNT(*) FROM members m
				WHERE m.org_id = orgs.id AND m.category = 'full' AND m.status IN ('active', 'mobile')) >= 7`: &bound,
			`SELECT COUNT(*) FROM orgs WHERE flags LIKE '%no_committee%'`:                &without,
			`SELECT COUNT(DISTINCT member_id) FROM committee_members WHERE to_date = ''`: &posts,
			`SELECT COALESCE(SUM(committee_size), 0) FROM orgs`:                          &sizes,
			`SELECT COUNT(*) FROM members WHERE status_since = ''`:                       &noSince,
			`SELECT COUNT(DISTINCT member_id) FROM member_status_history`:                &hist,
			`SELECT COUNT(*) FROM members`:                                               &members,
		} {
			if err := d.QueryRow(ctx, q).Scan(v); err != nil {
				t.Fatal(err)
			}
		}
		if without == 0 || without*5 > bound || posts != sizes || posts < 3*(bound-without) || noSince != 0 || hist != members {
			t.Errorf("committees: %d bound, %d without, %d posts, sizes %d; status_since missing %d, history of %d of %d members",
				bound, without, posts, sizes, noSince, hist, members)
		}
		var wrongSecretary int
		if err := d.QueryRow(ctx, `SELECT COUNT(*) FROM committee_members c JOIN orgs o ON o.id = c.org_id JOIN members m ON m.id = c.member_id
			WHERE c.role = 'secretary' AND o.secretary <> m.name`).Scan(&wrongSecretary); err != nil || wrongSecretary != 0 {
			t.Errorf("%d committees whose 书记 is not the organization's secretary (%v)", wrongSecretary, err)
		}

		// (b) every member passes the API's validation.
		st := &member.Store{DB: d, Clock: clock.NewFake(testNow)}
		n := 0
		today := clock.Today(testNow)
		rows, err := d.Query(ctx, `SELECT org_id, COALESCE(group_id, 0), name, sex, ethnicity, id_number, birth_date, education, native_place,
			category, join_date, full_date, position, phone, address, status, status_note FROM members`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var f member.Fields
			if err := rows.Scan(&f.OrgID, &f.GroupID, &f.Name, &f.Sex, &f.Ethnicity, &f.IDNumber, &f.BirthDate, &f.Education, &f.NativePlace,
				&f.Category, &f.JoinDate, &f.FullDate, &f.Position, &f.Phone, &f.Address, &f.Status, &f.StatusNote); err != nil {
				t.Fatal(err)
			}
			if is := f.Validate(today); len(is) > 0 && n < 10 {
				n++
				t.Errorf("member %s (%s) invalid: %v", f.Name, f.IDNumber, is)
			}
		}
		rows.Close()

		// (c) the checks find something.
		stats, err := org.ReadStats(ctx, d, 1, "/1/", today, member.FillStats)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range org.Checks {
			if stats.Checks[c].Count == 0 {
				t.Errorf("no organization fails %s", c)
			}
		}
		if stats.ByCategory["probationary"] == 0 || stats.BySex["female"] == 0 || stats.ByEthnicity["minority"] == 0 {
			t.Errorf("implausible stats: %+v", stats)
		}

		// (e) the accounts log in, and the secretary sees their branch.
		for _, ac := range res.Accounts {
			lr, err := a.Login(ctx, ac.Username, "demo-pass-123", "127.0.0.1", "test")
			if err != nil {
				t.Errorf("login %s: %v", ac.Username, err)
				continue
			}
			if lr.User.OrgID != ac.OrgID {
				t.Errorf("%s: org %d, want %d", ac.Username, lr.User.OrgID, ac.OrgID)
			}
			if ac.Username == "zhibu" {
				// The secretary's account is linked to the secretary's own member record in the branch.
				var n int
				_ = d.QueryRow(ctx, `SELECT COUNT(*) FROM users u JOIN members m ON m.id = u.member_id JOIN orgs o ON o.id = m.org_id
					WHERE u.username = 'zhibu' AND o.id = ? AND m.name = o.secretary`, ac.OrgID).Scan(&n)
				if n != 1 {
					t.Errorf("zhibu is not linked to its branch's secretary's member record")
				}
				sc, err := a.Authenticate(ctx, lr.Token, "127.0.0.1")
				if err != nil {
					t.Fatal(err)
				}
				ostore := &org.Store{DB: d, Clock: clock.NewFake(testNow)}
				o, err := ostore.Get(ctx, sc, ac.OrgID)
				if err != nil {
					t.Fatalf("zhibu cannot read its branch: %v", err)
				}
				if o.DirectMembers < 5 {
					t.Errorf("zhibu's branch has %d members", o.DirectMembers)
				}
				ms, total, err := st.List(ctx, sc, member.Filter{OrgID: ac.OrgID, Subtree: true}, httpx.Page{Page: 1, Size: 50})
				if err != nil || total < 5 || len(ms) < 5 {
					t.Errorf("zhibu lists %d of %d members (%v)", len(ms), total, err)
				}
				if _, err := ostore.Get(ctx, sc, 1); err == nil {
					t.Errorf("zhibu can read the root")
				}
			}
			if ac.Username == "dangyuan" && lr.User.MemberID == 0 {
				t.Errorf("dangyuan has no member record")
			}
		}
		digests = append(digests, digest(t, d))
	})
	// (d) same seed, same district — on a second database (and across engines).
	d2 := db.OpenTest(t, db.SQLite)
	generate(t, d2)
	want := digest(t, d2)
	for i, got := range digests {
		if got != want {
			t.Errorf("digest %d = %s, want %s", i, got, want)
		}
	}
}

func TestRefusesNonEmpty(t *testing.T) {
	d := db.OpenTest(t, db.SQLite)
	generate(t, d)
	_, err := Generate(context.Background(), d, auth.NewService(d, clock.NewFake(testNow)), Options{Members: 100, Password: "demo-pass-123", Now: testNow})
	if err != ErrNotEmpty {
		t.Fatalf("err = %v, want ErrNotEmpty", err)
	}
}

// metCount counts life_met's rows with a checksum of their contents, so a loader that writes
// other rows than the recount is caught.
func metCount(t *testing.T, d *db.DB) string {
	t.Helper()
	var n, sum int64
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*), COALESCE(SUM(org_id * LENGTH(rule_id || period)), 0) FROM life_met`).Scan(&n, &sum); err != nil {
		t.Fatal(err)
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n, "/", sum)
}

// lapseFigures summarizes members.lapse_months so a load and a recount can be compared.
func lapseFigures(t *testing.T, d *db.DB) string {
	t.Helper()
	var n, sum, weighted int64
	if err := d.QueryRow(context.Background(), `SELECT COUNT(*), COALESCE(SUM(lapse_months), 0), COALESCE(SUM(lapse_months * id), 0) FROM members WHERE lapse_months > 0`).Scan(&n, &sum, &weighted); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d:%d:%d", n, sum, weighted)
}

// lastActive summarizes members.last_active_at: how many members have one, and a checksum of
// the instants by member.
func lastActive(t *testing.T, d *db.DB) string {
	t.Helper()
	var n, sum int64
	err := db.Each(context.Background(), d, `SELECT id, last_active_at FROM members WHERE last_active_at IS NOT NULL`, nil, func(r db.Scanner) error {
		var id int64
		var at time.Time
		if err := r.Scan(&id, &at); err != nil {
			return err
		}
		n++
		sum += id * (at.Unix() % 100003)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprint(n, "/", sum)
}

package points

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// bandLine is a summary's distribution as "5:0 4:0 3:1 2:0 1:1 0:1".
func bandLine(s *PointsSummary) string {
	var parts []string
	for _, b := range s.Bands {
		parts = append(parts, fmt.Sprintf("%d:%d", b.Stars, b.Members))
	}
	return strings.Join(parts, " ")
}

func (e *env) summary(orgKey string) *PointsSummary {
	e.t.Helper()
	s, err := e.pts.Summary(e.ctx, auth.System(), e.orgs[orgKey], 2026)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// TestBandsFollowTheLedger: the maintained distribution of proposed stars follows claims,
// deductions, a veto, a reversal and a new version published mid-way, and equals a recount
// at each step; the drill-down, the members' list and the export read the same figures.
func TestBandsFollowTheLedger(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", ExampleText()) // base 60; 65 二星, 75 三星 …
		for _, day := range []string{"2026-02-01", "2026-03-01", "2026-04-01"} {
			e.approve("m1", "volunteer", day) // +6: 66, 二星
		}
		if s := e.summary("R"); bandLine(s) != "5:0 4:0 3:0 2:1 1:0 0:0" || s.Members != 1 || s.Base != 60 {
			t.Fatalf("after three claims: %s (%d members, base %d)", bandLine(s), s.Members, s.Base)
		}
		e.approve("m1", "honour", "2026-05-01")               // 71
		commit := e.approve("m1", "commitment", "2026-06-01") // 75: 三星
		e.enter("m2", "absence", "2026-06-02")                // 55: none
		e.approve("b1", "volunteer", "2026-06-03")            // 62: 一星
		s := e.summary("R")
		if bandLine(s) != "5:0 4:0 3:1 2:0 1:1 0:1" || s.Members != 3 || s.Points != 12 || s.Average != 4 {
			t.Fatalf("root: %s members %d points %d average %v", bandLine(s), s.Members, s.Points, s.Average)
		}
		if s.Bands[2].Name != "三星" {
			t.Errorf("band names: %+v", s.Bands)
		}
		e.assertRecount()
		e.enter("m2", "discipline", "2026-07-01") // 一票否决: 0, still none
		if _, err := e.pts.Reverse(e.ctx, auth.System(), commit.ID, Reversal{Reason: "重复"}); err != nil {
			t.Fatal(err)
		} // m1 back to 71: 二星
		if s := e.summary("A"); bandLine(s) != "5:0 4:0 3:0 2:1 1:1 0:1" || s.Members != 3 {
			t.Fatalf("street after the veto and the reversal: %s", bandLine(s))
		}
		e.assertRecount()

		// The street publishes its own version with base 70: its subtree is judged again in the
		// publishing transaction (m1 81 三星, b1 72 二星, m2 vetoed).
		e.publish("A", edit(`version: "2026.1"`, `version: "2026.2"`, "base: 60", "base: 70"))
		if s := e.summary("A"); bandLine(s) != "5:0 4:0 3:1 2:1 1:0 0:1" || s.Base != 70 {
			t.Fatalf("street after its own version: %s base %d", bandLine(s), s.Base)
		}
		if s := e.summary("A2"); bandLine(s) != "5:0 4:0 3:0 2:1 1:0 0:0" || s.Average != 2 {
			t.Fatalf("A2 after the street's version: %s average %v", bandLine(s), s.Average)
		}
		e.assertRecount()

		kids, err := e.pts.Children(e.ctx, auth.System(), e.orgs["A"], 2026, httpx.Page{Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		if kids.Total != 2 || kids.Items[0].OrgID != e.orgs["A1"] || kids.Items[0].Members != 2 || kids.Items[1].Members != 1 {
			t.Fatalf("children: %+v", kids)
		}
		ms, err := e.pts.Members(e.ctx, auth.System(), e.orgs["A1"], 2026, httpx.Page{Page: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		got := map[int64]MemberTotal{}
		for _, m := range ms.Items {
			got[m.MemberID] = m
		}
		if m := got[e.members["m1"]]; m.Total != 81 || m.Stars != 3 || m.Earned != 11 {
			t.Errorf("m1: %+v", m)
		}
		if m := got[e.members["m2"]]; m.Total != 0 || !m.Vetoed || m.Stars != 0 {
			t.Errorf("m2: %+v", m)
		}
		if m := got[e.members["m3"]]; m.HasPoints || m.Stars != 0 || m.Total != 70 {
			t.Errorf("m3: %+v", m)
		}
		if ms.Total != 3 || len(ms.Items) != 3 {
			t.Errorf("members of A1: %d/%d", len(ms.Items), ms.Total)
		}

		// Out of scope: A1's secretary sees neither A2 nor its drill-down.
		if _, err := e.pts.Summary(e.ctx, e.secretary("A1"), e.orgs["A2"], 2026); status(err) != 404 && status(err) != 403 {
			t.Errorf("A2's summary from A1: %v", err)
		}
		if _, err := e.pts.Members(e.ctx, e.secretary("A1"), e.orgs["A"], 2026, httpx.Page{Page: 1, Size: 10}); status(err) != 404 && status(err) != 403 {
			t.Errorf("A's members from A1: %v", err)
		}

		x, err := e.pts.Export(e.ctx, auth.System(), e.orgs["R"], 2026)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := x.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		x.Close()
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("党员积分")
		if len(rows) != 5 || rows[0][0] != "姓名" {
			t.Fatalf("export rows: %v", rows)
		}
		found := false
		for _, r := range rows {
			if r[0] == "党员m1" && r[6] == "81" && r[7] == "三星" {
				found = true
			}
		}
		if !found {
			t.Errorf("m1 not in the export as 81 三星: %v", rows)
		}
		var audited int
		_ = d.QueryRow(e.ctx, `SELECT COUNT(*) FROM audit WHERE action = 'export' AND entity = 'points'`).Scan(&audited)
		if audited != 1 {
			t.Errorf("export audited %d times", audited)
		}
	})
}

// TestBandsUnderConcurrentWrites: entries and reversals for the same members at once keep the
// bands equal to a recount (PostgreSQL: the member-year's totals are locked before the
// standing is read).
func TestBandsUnderConcurrentWrites(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", ExampleText())
		var firsts []*Entry
		for _, m := range []string{"m1", "m2"} {
			firsts = append(firsts, e.enter(m, "absence", "2026-02-01"), e.enter(m, "dues_late", "2026-02-02"))
		}
		errs := make(chan error, 16)
		for i := 0; i < 8; i++ {
			go func(i int) {
				m := []string{"m1", "m2"}[i%2]
				var err error
				if i < 4 {
					_, err = e.pts.Reverse(e.ctx, auth.System(), firsts[i].ID, Reversal{Reason: "并发"})
				} else {
					_, err = e.pts.Enter(e.ctx, auth.System(), NewEntry{MemberID: e.members[m], Item: "absence", EventDate: "2026-03-01"})
				}
				errs <- err
			}(i)
		}
		for i := 0; i < 8; i++ {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
		e.assertRecount()
	})
}

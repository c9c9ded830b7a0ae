package server

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/life"
	"dangjian/internal/life/compliance"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/quarterly"
)

// heldOn records a held activity of kinds for an organization at 10:00 CST on day, with its
// members present.
func (f *fixture) heldOn(orgKey, day string, present []string, kinds ...string) {
	f.t.Helper()
	ctx, sys := context.Background(), auth.System()
	at, _ := time.ParseInLocation("2006-01-02 15:04", day+" 10:00", clock.CST)
	a, err := f.app.Life.Create(ctx, sys, life.ActivityFields{OrgID: f.orgs[orgKey], Kinds: kinds, Topic: "活动 " + day, StartsAt: at, Held: true})
	if err != nil {
		f.t.Fatal(err)
	}
	var items []life.AttendanceItem
	for _, k := range present {
		items = append(items, life.AttendanceItem{MemberID: f.members[k], State: "present"})
	}
	if _, err := f.app.Life.SetAttendance(ctx, sys, a.ID, life.AttendanceUpdate{Items: items}); err != nil {
		f.t.Fatal(err)
	}
}

// TestQuarterlyPack: a street's children measured for a quarter with the dashboards' figures,
// ranked on each measure with the reasons, commented on by the street, and the same in the
// workbook.
func TestQuarterlyPack(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		// A1 holds its 主题党日 in July and August and its quarterly meeting; A2 holds nothing.
		f.heldOn("A1", "2026-07-10", []string{"a1m1", "a1m2"}, "theme_day")
		f.heldOn("A1", "2026-08-10", []string{"a1m1"}, "theme_day", "branch_general_meeting")
		f.newClaim("a1m2")
		var p quarterly.ReviewPack
		r := f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d/quarterly?quarter=2026-Q3", f.orgs["A"]), nil)
		if r.status != 200 {
			t.Fatalf("pack: %d %s", r.status, r.body)
		}
		r.decode(t, &p)
		rows := map[string]quarterly.ReviewRow{}
		for _, row := range p.Rows {
			for k, id := range f.orgs {
				if id == row.OrgID {
					rows[k] = row
				}
			}
		}
		if len(p.Rows) != 3 || rows["A1"].OrgID == 0 || rows["A2"].OrgID == 0 || rows["AG"].OrgID == 0 || !p.CanComment {
			t.Fatalf("rows: %+v", p.Rows)
		}
		// The figures are the compliance summary's: ended periods' required and met, summed.
		for _, k := range []string{"A1", "A2", "A"} {
			var sum compliance.Summary
			f.do("staffA", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2026-Q3", f.orgs[k]), nil).decode(t, &sum)
			var req, met int
			for _, rs := range sum.Rules {
				if rs.Status == "ended" {
					req, met = req+rs.Required, met+rs.Met
				}
			}
			fig := rows[k].Figures["life"]
			if k == "A" {
				fig = p.Level["life"]
			}
			if fig.Den != req || fig.Num != met || req == 0 {
				t.Errorf("%s: pack %d/%d, dashboard %d/%d", k, fig.Num, fig.Den, met, req)
			}
			if k != "A" && (fig.Num == fig.Den) != (len(fig.Reasons) == 0) {
				t.Errorf("%s: reasons %v for %d/%d", k, fig.Reasons, fig.Num, fig.Den)
			}
		}
		a1, a2 := rows["A1"], rows["A2"]
		if !(a1.Figures["life"].Value > a2.Figures["life"].Value) || a1.Ranks["life"] != 1 || a2.Ranks["life"] <= 1 {
			t.Errorf("life ranks: A1 %v #%d, A2 %v #%d", a1.Figures["life"].Value, a1.Ranks["life"], a2.Figures["life"].Value, a2.Ranks["life"])
		}
		if why := strings.Join(a1.Figures["life"].Reasons, "\n"); !strings.Contains(why, "主题党日（2026-09）") || strings.Contains(why, "主题党日（2026-07）") || strings.Contains(why, "支部党员大会") {
			t.Errorf("A1's 主题党日 shortfall is September's alone, its quarterly meeting was held: %s", why)
		}
		if att := a1.Figures["attendance"]; att.Num != 3 || att.Den == 0 {
			t.Errorf("A1 attendance: %+v", att)
		}
		// One claim waiting at A1: lower is better, so A1 ranks after the two without.
		if pd := a1.Figures["pending"]; pd.Value != 1 || len(pd.Reasons) != 1 || a1.Ranks["pending"] != 3 || a2.Ranks["pending"] != 1 || rows["AG"].Ranks["pending"] != 1 {
			t.Errorf("pending: A1 %+v #%d, A2 #%d", pd, a1.Ranks["pending"], a2.Ranks["pending"])
		}

		// Comments: the street on its own child only; a reader cannot.
		put := func(user string, child int64, text string) response {
			return f.do(user, "PUT", fmt.Sprintf("/api/v1/orgs/%d/quarterly/comments", f.orgs["A"]), map[string]any{"quarter": "2026-Q3", "org_id": child, "text": text})
		}
		if r := put("staffA", f.orgs["A1"], "主题党日9月未开，限期补课"); r.status != 204 {
			t.Fatalf("comment: %d %s", r.status, r.body)
		}
		if r := put("staffA", f.orgs["B1"], "x"); r.status != 422 || !strings.Contains(string(r.body), "org_id") {
			t.Errorf("a comment on another street's branch: %d %s", r.status, r.body)
		}
		if r := put("viewerA", f.orgs["A1"], "x"); r.status != 403 {
			t.Errorf("a viewer commenting: %d", r.status)
		}
		if r := f.do("staffA", "PUT", fmt.Sprintf("/api/v1/orgs/%d/quarterly/comments", f.orgs["A"]), map[string]any{"quarter": "2026-13", "org_id": f.orgs["A1"], "text": "x"}); r.status != 422 {
			t.Errorf("a bad quarter: %d", r.status)
		}
		r = f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d/quarterly/workbook?quarter=2026-Q3", f.orgs["A"]), nil)
		if r.status != 200 {
			t.Fatalf("workbook: %d %s", r.status, r.body)
		}
		wb, err := excelize.OpenReader(bytes.NewReader(r.body))
		if err != nil {
			t.Fatal(err)
		}
		xrows, _ := wb.GetRows("Sheet1")
		var a1row []string
		for _, x := range xrows {
			if len(x) > 0 && x[0] == a1.Name {
				a1row = x
			}
		}
		want := fmt.Sprintf("%.0f%%（%d/%d）", a1.Figures["life"].Value*100, a1.Figures["life"].Num, a1.Figures["life"].Den)
		if len(a1row) < 3 || a1row[1] != want || a1row[2] != "1" || a1row[len(a1row)-1] != "主题党日9月未开，限期补课" {
			t.Errorf("workbook row of A1: %q (want %s, rank 1, the comment)", a1row, want)
		}
		if n := f.count(`SELECT COUNT(*) FROM audit WHERE entity = 'quarterly_review'`); n != 2 {
			t.Errorf("audited %d quarterly actions, want the comment and the export", n)
		}
	})
}

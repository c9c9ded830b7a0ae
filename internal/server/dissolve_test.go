package server

import (
	"context"
	"dangjian/internal/life/compliance"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// A dissolved organization keeps the periods it owed: those that ended before the day of
// dissolution, and one running on that day only if it was met. G1 dissolved on 1 April owes
// January–March and Q1; G2 dissolved on 31 March owes January and February only; G3, also
// dissolved on 31 March, met March and Q1 and is counted for them. Later periods owe nothing.
// The summary, the drill-down and the unmet filter agree; maintained == recount.
func TestDissolvedOrgKeepsPastPeriods(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		f.setDay("2027-01-05")
		mk := func(name string) int64 {
			o, err := f.app.Orgs.Create(ctx, sys, org.Fields{ParentID: f.orgs["A"], Name: name, Kind: org.Branch, Field: "community", SetupDate: "2026-06-01"})
			if err != nil {
				t.Fatal(err)
			}
			return o.ID
		}
		g1, g2, g3 := mk("撤销一支部"), mk("撤销二支部"), mk("撤销三支部")
		f.setDay("2027-03-20")
		at := time.Date(2027, 3, 10, 9, 0, 0, 0, clock.CST)
		for _, k := range []string{"theme_day", "branch_general_meeting"} {
			if _, err := f.app.Life.Create(ctx, sys, life.ActivityFields{OrgID: g3, Kinds: []string{k}, Topic: "三月", StartsAt: at, Held: true}); err != nil {
				t.Fatal(err)
			}
		}
		f.setDay("2027-03-31")
		for _, id := range []int64{g2, g3} {
			if err := f.app.Orgs.Dissolve(ctx, sys, id); err != nil {
				t.Fatal(err)
			}
		}
		f.setDay("2027-04-01")
		if err := f.app.Orgs.Dissolve(ctx, sys, g1); err != nil {
			t.Fatal(err)
		}
		f.setDay("2027-05-10")
		f.tokens["admin"] = f.login("admin", testPassword)
		var s compliance.Summary
		f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2027", f.orgs["A"]), nil).decode(t, &s)
		// A1 and A2 are live branches that held nothing.
		want := map[string][2]int{ // required, met
			"theme_day.month 2027-01": {5, 0}, "theme_day.month 2027-02": {5, 0}, "theme_day.month 2027-03": {4, 1},
			"theme_day.month 2027-04": {2, 0}, "theme_day.month 2027-12": {2, 0},
			"branch_general_meeting.quarter 2027-Q1": {4, 1}, "branch_general_meeting.quarter 2027-Q2": {2, 0},
			"life_meeting.year 2027": {2, 0},
		}
		for _, r := range s.Rules {
			if w, ok := want[r.RuleID+" "+r.Period]; ok {
				if r.Required != w[0] || r.Met != w[1] {
					t.Errorf("%s %s: required %d met %d, want %v", r.RuleID, r.Period, r.Required, r.Met, w)
				}
				delete(want, r.RuleID+" "+r.Period)
			}
		}
		if len(want) != 0 {
			t.Errorf("rows missing: %v", want)
		}
		// The drill-down lists what each owed.
		findings := func(query string) map[int64]string {
			t.Helper()
			var l findingList
			f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&subtree=true&%s", f.orgs["A"], query), nil).decode(t, &l)
			out := map[int64]string{}
			for _, it := range l.Items {
				var fs []string
				for _, fd := range it.Findings {
					fs = append(fs, fd.Period+"="+string(fd.Status))
				}
				sort.Strings(fs)
				out[it.OrgID] = strings.Join(fs, ",")
			}
			if len(out) != l.Total {
				t.Errorf("%s: total %d, items %d", query, l.Total, len(out))
			}
			return out
		}
		q1 := findings("period=2027-Q1&rule=theme_day.month")
		for id, w := range map[int64]string{
			g1: "2027-01=missing,2027-02=missing,2027-03=missing",
			g2: "2027-01=missing,2027-02=missing",
			g3: "2027-01=missing,2027-02=missing,2027-03=met",
		} {
			if q1[id] != w {
				t.Errorf("Q1 drill-down of %d: %q, want %q", id, q1[id], w)
			}
		}
		unmet := findings("period=2027-Q1&unmet=true")
		for _, id := range []int64{g1, g2, g3, f.orgs["A1"], f.orgs["A2"]} {
			if _, ok := unmet[id]; !ok {
				t.Errorf("Q1 unmet: %d missing from %v", id, unmet)
			}
		}
		for _, query := range []string{"period=2027-04&unmet=true", "period=2027-04&rule=theme_day.month", "period=2027-Q2&rule=branch_general_meeting.quarter"} {
			got := findings(query)
			for _, id := range []int64{g1, g2, g3} {
				if _, ok := got[id]; ok {
					t.Errorf("%s: dissolved %d listed: %v", query, id, got)
				}
			}
			if _, ok := got[f.orgs["A1"]]; !ok {
				t.Errorf("%s: %v, want A1", query, got)
			}
		}
		// A March drill-down keeps G3's met month and G1's missed one, not G2's.
		mar := findings("period=2027-03&rule=theme_day.month")
		if mar[g1] != "2027-03=missing" || mar[g3] != "2027-03=met" {
			t.Errorf("March: %v", mar)
		}
		if _, ok := mar[g2]; ok {
			t.Errorf("March lists G2: %v", mar)
		}
		// Maintained == recount.
		before := rollupSnapshot(t, d)
		if _, err := f.app.Compliance.Recount(ctx); err != nil {
			t.Fatal(err)
		}
		if after := rollupSnapshot(t, d); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Fatalf("maintained %v\nrecount    %v", before, after)
		}
	})
}

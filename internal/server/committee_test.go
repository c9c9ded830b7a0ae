package server

import (
	"context"
	"dangjian/internal/life/compliance"
	"fmt"
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// The 支委会 rule (支部委员会会议 monthly, from 7 full members) binds a branch for the months
// that started with 7 full members in good standing: the 7th arriving on 15 June binds it from
// July; one becoming 失联 in September unbinds it from October; later arrivals do not change
// the past. Committee meetings of a branch the rule does not bind are not credited, so met
// never exceeds required. The maintained figures equal a recount.
func TestCommitteeRuleFollowsHistory(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		f.setDay("2027-01-05")
		var a2 []int64
		for i := 0; i < 6; i++ {
			a2 = append(a2, f.newMember("A2"))
		}
		lost := "lost"
		gone := f.newMember("A2") // 失联 from the start: not in good standing
		if _, err := f.app.Members.Update(ctx, sys, gone, member.Patch{Status: &lost}); err != nil {
			t.Fatal(err)
		}
		f.setDay("2027-06-15")
		f.newMember("A2") // the 7th full member in good standing
		f.setDay("2027-09-20")
		if _, err := f.app.Members.Update(ctx, sys, a2[0], member.Patch{Status: &lost}); err != nil {
			t.Fatal(err)
		}
		// A committee meeting on the 10th of every month of 2027 in A2 and in A1 (4 members).
		f.setDay("2028-01-10")
		for m := 1; m <= 12; m++ {
			at := time.Date(2027, time.Month(m), 10, 10, 0, 0, 0, clock.CST)
			for _, key := range []string{"A1", "A2"} {
				if _, err := f.app.Life.Create(ctx, sys, life.ActivityFields{OrgID: f.orgs[key], Kinds: []string{"committee_meeting"}, Topic: "支委会", StartsAt: at, Held: true}); err != nil {
					t.Fatal(err)
				}
			}
		}
		bound := map[string]bool{"2027-07": true, "2027-08": true, "2027-09": true}
		check := func(when string) {
			t.Helper()
			f.tokens["admin"] = f.login("admin", testPassword)
			var s compliance.Summary
			f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2027", f.orgs["A"]), nil).decode(t, &s)
			n := 0
			for _, r := range s.Rules {
				if r.RuleID != "committee_meeting.month" {
					continue
				}
				n++
				want := 0
				if bound[r.Period] {
					want = 1
				}
				if r.Required != want || r.Met != want {
					t.Errorf("%s, %s: required %d met %d, want %d", when, r.Period, r.Required, r.Met, want)
				}
			}
			if n != 12 {
				t.Errorf("%s: %d committee rows", when, n)
			}
			// The branch's own findings name the bound months only; A1 owes none.
			var l findingList
			f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance?org=%d&period=2027&subtree=true&rule=committee_meeting.month", f.orgs["A"]), nil).decode(t, &l)
			if l.Total != 1 || l.Items[0].OrgID != f.orgs["A2"] {
				t.Fatalf("%s: bound organizations %+v", when, l)
			}
			for _, fd := range l.Items[0].Findings {
				if !bound[fd.Period] || fd.Status != rules.Met {
					t.Errorf("%s: finding %s %s", when, fd.Period, fd.Status)
				}
			}
			if len(l.Items[0].Findings) != len(bound) {
				t.Errorf("%s: %d findings", when, len(l.Items[0].Findings))
			}
		}
		check("January 2028")
		// Three more arrive in 2028: 2027 stays as it was; February 2028 is bound.
		for i := 0; i < 3; i++ {
			f.newMember("A2")
		}
		check("after later arrivals")
		var s compliance.Summary
		f.setDay("2028-02-12")
		f.tokens["admin"] = f.login("admin", testPassword)
		f.do("admin", "GET", fmt.Sprintf("/api/v1/compliance/summary?org=%d&period=2028-02", f.orgs["A"]), nil).decode(t, &s)
		for _, r := range s.Rules {
			if r.RuleID == "committee_meeting.month" && (r.Required != 1 || r.Met != 0 || r.Status != "in_progress") {
				t.Errorf("February 2028: %+v", r)
			}
		}
		// Maintained == recount.
		before := rollupSnapshot(t, d)
		if _, err := f.app.Tree.Recount(ctx, f.app.DB); err != nil {
			t.Fatal(err)
		}
		if after := rollupSnapshot(t, d); fmt.Sprint(before) != fmt.Sprint(after) {
			t.Fatalf("maintained %v\nrecount    %v", before, after)
		}
	})
}

package server

import (
	"context"
	"dangjian/internal/life/appraisal"
	"fmt"
	"testing"

	"dangjian/internal/member"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// A member's status has a history (member_status_history): a member suspended after an
// appraisal still counts in that appraisal's ⅓ base and is still graded on it; an appraisal
// after the suspension leaves them out. Every change (create, edit, an outcome dated on its
// decision day) is a row; StatusAt reads the status on a day.
func TestStatusHistoryKeepsTheAppraisalBase(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx, sys := context.Background(), auth.System()
		f.newMember("A1")
		f.newMember("A1") // six full members in good standing
		before := f.activityAt(f.orgs["A1"], "2026-11-20T09:00:00+08:00", 0, "member_review")
		f.setDay("2026-12-01")
		gone := f.members["a1m4"]
		if _, err := f.app.Members.Update(ctx, sys, gone, member.Patch{Status: ptr("suspended")}); err != nil {
			t.Fatal(err)
		}
		f.setDay("2026-12-03")
		f.tokens["admin"] = f.login("admin", testPassword)
		after := f.activityAt(f.orgs["A1"], "2026-12-02T09:00:00+08:00", 0, "member_review")
		read := func(id int64) appraisal.Appraisals {
			t.Helper()
			var ap appraisal.Appraisals
			f.do("admin", "GET", fmt.Sprintf("/api/v1/activities/%d/reviews", id), nil).decode(t, &ap)
			return ap
		}
		gradable := func(ap appraisal.Appraisals) bool {
			for _, it := range ap.Items {
				if it.MemberID == gone {
					return it.Gradable
				}
			}
			return false
		}
		if ap := read(before.ID); ap.Eligible != 6 || ap.ExcellentCap != 2 || !gradable(ap) {
			t.Errorf("the appraisal before the suspension: eligible %d cap %d, suspended gradable %v", ap.Eligible, ap.ExcellentCap, gradable(ap))
		}
		if ap := read(after.ID); ap.Eligible != 5 || ap.ExcellentCap != 1 || gradable(ap) {
			t.Errorf("the appraisal after the suspension: eligible %d cap %d, suspended gradable %v", ap.Eligible, ap.ExcellentCap, gradable(ap))
		}
		// Grading the suspended member on the earlier appraisal is accepted.
		if r := f.grade(before.ID, map[string]any{"member_id": gone, "grade": "qualified"}); r.status != 200 {
			t.Fatalf("grade on the earlier appraisal: %d %s", r.status, r.body)
		}
		at, err := member.StatusAt(ctx, d, []int64{gone, f.members["a1m1"]}, "2026-11-30")
		if err != nil {
			t.Fatal(err)
		}
		now, err := member.StatusAt(ctx, d, []int64{gone}, "2026-12-01")
		if err != nil {
			t.Fatal(err)
		}
		if at[gone] != "active" || at[f.members["a1m1"]] != "active" || now[gone] != "suspended" {
			t.Errorf("StatusAt: %v, %v", at, now)
		}
		if n := f.count(`SELECT COUNT(*) FROM member_status_history WHERE member_id = ?`, gone); n != 2 {
			t.Errorf("%d history rows, want 2 (created, suspended)", n)
		}
	})
}

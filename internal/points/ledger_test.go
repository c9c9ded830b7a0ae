package points

import (
	"errors"
	"net/http"
	"testing"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

func status(err error) int {
	var he *httpx.Error
	if errors.As(err, &he) {
		return he.Status
	}
	return 0
}

// TestCaps: exactly at an item's cap, one over (recorded with applied 0 and the reason), a
// partial fit under a category's cap, the most times a year, deductions and 一票否决; the
// totals are maintained and equal a recount.
func TestCaps(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", edit("        cap: 8\n        max_times: 6", "        cap: 20\n        max_times: 3"))
		// volunteer: 2 points, at most 3 times.
		for i, day := range []string{"2026-02-01", "2026-03-01", "2026-04-01"} {
			if en := e.approve("m1", "volunteer", day); en.Applied != 2 || en.Reason != "" {
				t.Fatalf("volunteer %d: %+v", i, en)
			}
		}
		if en := e.approve("m1", "volunteer", "2026-05-01"); en.Applied != 0 || en.Requested != 2 || en.Reason != "本项每年最多 3 次，已 3 次" ||
			en.ReasonEN != "at most 3 times a year for this item, 3 already" {
			t.Fatalf("fourth volunteer: %+v", en)
		}
		// commitment: 4 points, cap 8 — exactly at the cap, then one over.
		e.approve("m1", "commitment", "2026-03-02")
		if en := e.approve("m1", "commitment", "2026-04-02"); en.Applied != 4 || en.Reason != "" {
			t.Fatalf("commitment at the cap: %+v", en)
		}
		if en := e.approve("m1", "commitment", "2026-05-02"); en.Applied != 0 || en.Reason != "本项年度上限 8 分，已得 8 分" {
			t.Fatalf("commitment over the cap: %+v", en)
		}
		// reward category cap 16: 6 + 8 = 14 so far; an honour (5) fits 2.
		en := e.approve("m1", "honour", "2026-06-01")
		if en.Applied != 2 || en.Requested != 5 || en.Reason != "奖励分年度上限 16 分，已得 14 分" {
			t.Fatalf("honour across the category cap: %+v", en)
		}
		my := e.year("m1", 2026)
		if my.Earned != 16 || my.Total != 76 || my.Stars != 3 || my.cat(Reward).Points != 16 || my.item("volunteer").Times != 4 || my.item("commitment").Points != 8 {
			t.Fatalf("year: %+v", my)
		}
		// deductions: 5 each, cap 20.
		for range 4 {
			e.enter("m2", "absence", "2026-03-03")
		}
		if en := e.enter("m2", "absence", "2026-04-03"); en.Applied != 0 || en.Requested != -5 || en.Reason != "本项年度上限 20 分，已扣 20 分" {
			t.Fatalf("fifth absence: %+v", en)
		}
		if my := e.year("m2", 2026); my.Total != 40 || my.cat(Deduct).Points != -20 {
			t.Fatalf("m2: total %d, deduct %+v", my.Total, my.cat(Deduct))
		}
		// 一票否决: the year counts 0, whatever was earned.
		if en := e.enter("m1", "discipline", "2026-07-01"); en.Applied != 0 || en.Reason == "" {
			t.Fatalf("veto: %+v", en)
		}
		if my := e.year("m1", 2026); !my.Vetoed || my.Total != 0 || my.Earned != 16 {
			t.Fatalf("vetoed year: %+v", my)
		}
		// An item arising by the branch cannot be claimed, nor a claimed one entered.
		if _, err := e.pts.File(e.ctx, e.own("m1"), NewClaim{Item: "absence", EventDate: "2026-03-01"}); status(err) != 422 {
			t.Errorf("claiming a deduction: %v", err)
		}
		if _, err := e.pts.Enter(e.ctx, auth.System(), NewEntry{MemberID: e.members["m1"], Item: "volunteer", EventDate: "2026-03-01"}); status(err) != 422 {
			t.Errorf("entering a claim item: %v", err)
		}
		if _, err := e.pts.File(e.ctx, e.own("m1"), NewClaim{Item: "volunteer", EventDate: "2026-12-01"}); status(err) != 422 {
			t.Errorf("a claim dated in the future: %v", err)
		}
		e.assertRecount()
	})
}

// TestVersionsAndReversal: a version published mid-year scores what follows its effective
// date; entries scored under the old one keep their points and name it. A reversal restores
// the totals, once.
func TestVersionsAndReversal(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		v1 := e.publish("R", ExampleText())
		early := e.approve("m1", "volunteer", "2026-03-01")
		v2 := e.publish("R", edit(`version: "2026.1"`, `version: "2026.2"`, "effective_from: 2026-01-01", "effective_from: 2026-07-01",
			"        points: 2\n        cap: 8\n        max_times: 6", "        points: 3\n        cap: 9\n        max_times: 6"))
		late := e.approve("m1", "volunteer", "2026-08-01")
		again := e.approve("m1", "volunteer", "2026-04-01") // before v2's date: v1 still applies
		if early.SchemeID != v1.RowID || early.Applied != 2 || late.SchemeID != v2.RowID || late.Applied != 3 || again.SchemeID != v1.RowID || again.Applied != 2 {
			t.Fatalf("versions: early %+v late %+v again %+v", early, late, again)
		}
		var n int
		_ = d.QueryRow(e.ctx, `SELECT applied FROM points_entries WHERE id = ?`, early.ID).Scan(&n)
		if n != 2 {
			t.Fatalf("the early entry changed to %d", n)
		}
		if my := e.year("m1", 2026); my.Earned != 7 || my.Scheme.RowID != v2.RowID {
			t.Fatalf("year: earned %d scheme %+v", my.Earned, my.Scheme)
		}
		// A street's own scheme applies to its subtree, the district's elsewhere.
		street := e.publish("A", edit("        points: 2\n        cap: 8\n        max_times: 6", "        points: 1\n        cap: 8\n        max_times: 6"))
		if en := e.approve("m2", "volunteer", "2026-09-01"); en.SchemeID != street.RowID || en.Applied != 1 {
			t.Fatalf("street scheme: %+v", en)
		}
		before := e.year("m1", 2026)
		rev, err := e.pts.Reverse(e.ctx, auth.System(), late.ID, Reversal{Reason: "重复申报"})
		if err != nil {
			t.Fatal(err)
		}
		if rev.Applied != -3 || rev.ReversesID != late.ID || rev.Reason != "冲正：重复申报" {
			t.Fatalf("reversal: %+v", rev)
		}
		after := e.year("m1", 2026)
		if after.Earned != before.Earned-3 || after.item("volunteer").Times != before.item("volunteer").Times-1 {
			t.Fatalf("after the reversal: %d/%d, was %d/%d", after.Earned, after.item("volunteer").Times, before.Earned, before.item("volunteer").Times)
		}
		if _, err := e.pts.Reverse(e.ctx, auth.System(), late.ID, Reversal{Reason: "again"}); status(err) != http.StatusConflict {
			t.Errorf("second reversal: %v", err)
		}
		if _, err := e.pts.Reverse(e.ctx, auth.System(), rev.ID, Reversal{Reason: "back"}); status(err) != http.StatusConflict {
			t.Errorf("reversing a reversal: %v", err)
		}
		if _, err := e.pts.Reverse(e.ctx, auth.System(), early.ID, Reversal{Reason: " "}); status(err) != 422 {
			t.Errorf("reversal without a reason: %v", err)
		}
		e.assertRecount()
	})
}

// TestClaimsScope: a member claims for themselves only; a secretary files on behalf of a
// member of their branch and decides their branch's claims; outside the subtree nothing is
// seen or changed; a batch is all or nothing.
func TestClaimsScope(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", ExampleText())
		mine, err := e.pts.File(e.ctx, e.own("m1"), NewClaim{Item: "volunteer", EventDate: "2026-03-01", Note: "社区助老"})
		if err != nil || mine.OnBehalf || mine.State != Pending {
			t.Fatalf("own claim: %+v %v", mine, err)
		}
		if _, err := e.pts.File(e.ctx, e.own("m1"), NewClaim{MemberID: e.members["m2"], Item: "volunteer", EventDate: "2026-03-01"}); status(err) != 403 {
			t.Errorf("a member claiming for another: %v", err)
		}
		secA1, secA2 := e.secretary("A1"), e.secretary("A2")
		behalf, err := e.pts.File(e.ctx, secA1, NewClaim{MemberID: e.members["m2"], Item: "volunteer", EventDate: "2026-03-05"})
		if err != nil || !behalf.OnBehalf || behalf.ClaimedBy != 900 {
			t.Fatalf("on behalf: %+v %v", behalf, err)
		}
		if _, err := e.pts.File(e.ctx, secA2, NewClaim{MemberID: e.members["m2"], Item: "volunteer", EventDate: "2026-03-05"}); status(err) != 403 {
			t.Errorf("another branch's secretary on behalf: %v", err)
		}
		// The inbox: A1's secretary sees both, A2's sees nothing of A1.
		l, err := e.pts.Claims(e.ctx, secA1, e.orgs["A1"], Pending, httpx.Page{Page: 1, Size: 20})
		if err != nil || l.Total != 2 || l.Items[0].ItemName != "参加志愿服务" || l.Items[0].MemberName == "" {
			t.Fatalf("inbox: %+v %v", l, err)
		}
		if _, err := e.pts.Claims(e.ctx, secA2, e.orgs["A1"], Pending, httpx.Page{Page: 1, Size: 20}); status(err) != 404 {
			t.Errorf("A2's secretary reading A1's inbox: %v", err)
		}
		if s, _ := e.pts.Summary(e.ctx, auth.System(), e.orgs["R"], 2026); s.Pending != 2 {
			t.Errorf("summary: %+v", s)
		}
		if _, err := e.pts.Decide(e.ctx, secA2, Decision{IDs: []int64{mine.ID}, Action: "approve"}); status(err) != 403 {
			t.Errorf("A2's secretary approving: %v", err)
		}
		if _, err := e.pts.Decide(e.ctx, secA1, Decision{IDs: []int64{mine.ID}, Action: "return"}); status(err) != 422 {
			t.Errorf("return without a reason: %v", err)
		}
		// All or nothing: one decided claim in the batch refuses the batch.
		if _, err := e.pts.Decide(e.ctx, secA1, Decision{IDs: []int64{behalf.ID}, Action: "reject", Reason: "无记录"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.pts.Decide(e.ctx, secA1, Decision{IDs: []int64{mine.ID, behalf.ID}, Action: "approve"}); status(err) != 409 {
			t.Errorf("a batch with a decided claim: %v", err)
		}
		if my := e.year("m1", 2026); my.Earned != 0 || my.Claims[0].State != Pending {
			t.Fatalf("the refused batch changed something: %+v", my)
		}
		// An honour is approved by the level above: the branch may not.
		honour, _ := e.pts.File(e.ctx, e.own("m1"), NewClaim{Item: "honour", EventDate: "2026-04-01"})
		if _, err := e.pts.Decide(e.ctx, secA1, Decision{IDs: []int64{mine.ID, honour.ID}, Action: "approve"}); status(err) != 403 {
			t.Errorf("the branch approving a parent-approved item: %v", err)
		}
		done, err := e.pts.Decide(e.ctx, secA1, Decision{IDs: []int64{mine.ID}, Action: "approve"})
		if err != nil || done[0].State != Approved || done[0].EntryID == 0 {
			t.Fatalf("approve: %+v %v", done, err)
		}
		my := e.year("m1", 2026)
		if my.Earned != 2 || my.Entries[0].ClaimedBy != 901 || my.Entries[0].EnteredBy != 900 || my.Entries[0].SourceKind != SourceClaim {
			t.Fatalf("after approval: %+v", my.Entries)
		}
		if _, err := e.pts.Year(e.ctx, e.own("m2"), e.members["m1"], 2026); status(err) != 404 {
			t.Errorf("a member reading another's points: %v", err)
		}
		e.assertRecount()
	})
}

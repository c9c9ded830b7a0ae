package points

import (
	"testing"
	"time"

	"dangjian/internal/life"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
)

// TestReconcileFollowsAttendance: 出席 at a counting activity yields one entry per member under
// their layer's attendance item (record once: reconciling again changes nothing); changing the
// attendance or withdrawing the record reverses it; the totals and rollups follow.
func TestReconcileFollowsAttendance(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", ExampleText())
		sys := auth.System()
		a, err := e.life.Create(e.ctx, sys, life.ActivityFields{OrgID: e.orgs["A1"], Kinds: []string{"theme_day", "party_lecture"}, Topic: "学习党章", Speaker: "书记",
			StartsAt: time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC), Held: true})
		if err != nil {
			t.Fatal(err)
		}
		set := func(states map[string]string) {
			t.Helper()
			var items []life.AttendanceItem
			for k, st := range states {
				items = append(items, life.AttendanceItem{MemberID: e.members[k], State: st, Reason: map[bool]string{true: "出差", false: ""}[st == "leave"]})
			}
			if _, err := e.life.SetAttendance(e.ctx, sys, a.ID, life.AttendanceUpdate{Items: items}); err != nil {
				t.Fatal(err)
			}
		}
		reconcile := func() {
			t.Helper()
			if err := d.InTx(e.ctx, func(tx *db.Tx) error { return e.pts.Reconcile(e.ctx, tx, a.ID) }); err != nil {
				t.Fatal(err)
			}
		}
		count := func(q string) int {
			var n int
			if err := d.QueryRow(e.ctx, q, a.ID).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		const rows = `SELECT COUNT(*) FROM points_entries WHERE source_kind = 'attendance' AND source_id = ?`
		set(map[string]string{"m1": "present", "m2": "present", "m3": "present"})
		// The record's own transaction reconciled (life's follower, wired as the server does).
		if n := count(rows); n != 3 {
			t.Fatalf("%d entries after the attendance was saved, want 3", n)
		}
		reconcile()
		reconcile()
		if n := count(rows); n != 3 {
			t.Fatalf("%d entries after two reconciles, want 3", n)
		}
		m1, m3 := e.year("m1", 2026), e.year("m3", 2026)
		if m1.Earned != 2 || m1.item("life").Times != 1 || m1.Entries[0].SourceID != a.ID || m3.Layer != "mobile" || m3.Earned != 2 {
			t.Fatalf("m1 %+v, m3 %+v", m1, m3)
		}
		set(map[string]string{"m2": "leave"})
		reconcile()
		if m2 := e.year("m2", 2026); m2.Earned != 0 || len(m2.Entries) != 2 || m2.Entries[0].ReversesID == 0 {
			t.Fatalf("m2 after leave: %+v", m2)
		}
		set(map[string]string{"m2": "present"})
		reconcile()
		if m2 := e.year("m2", 2026); m2.Earned != 2 {
			t.Fatalf("m2 present again: %+v", m2.Earned)
		}
		// The record withdrawn (no route cancels one today: the state is set directly).
		if _, err := d.Exec(e.ctx, `UPDATE activities SET state = 'cancelled' WHERE id = ?`, a.ID); err != nil {
			t.Fatal(err)
		}
		reconcile()
		reconcile()
		if m1 := e.year("m1", 2026); m1.Earned != 0 || m1.item("life").Times != 0 {
			t.Fatalf("m1 after the record was withdrawn: %+v", m1)
		}
		if n := count(rows); n != 8 { // 3 + m2's reversal + m2 again + 3 reversals
			t.Fatalf("%d ledger rows, want 8", n)
		}
		// The claim link: an activity the member did not attend is refused.
		if _, err := e.pts.File(e.ctx, e.own("m1"), NewClaim{Item: "volunteer", EventDate: "2026-03-10", ActivityID: a.ID}); status(err) != 422 {
			t.Errorf("claim linked to a withdrawn record: %v", err)
		}
		e.approve("m1", "volunteer", "2026-03-11")
		e.assertRecount()
	})
}

// TestReconcileFollowsAmendment: an accepted correction supersedes the record; reconciling the
// record, then the correction (the order life's hook must keep), moves each member's entry to
// the correction without a second one, and a member the correction marks absent loses it.
func TestReconcileFollowsAmendment(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", ExampleText())
		sys := auth.System()
		a, err := e.life.Create(e.ctx, sys, life.ActivityFields{OrgID: e.orgs["A1"], Kinds: []string{"theme_day"}, Topic: "主题党日",
			StartsAt: time.Date(2026, 4, 10, 1, 0, 0, 0, time.UTC), Held: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.life.SetAttendance(e.ctx, sys, a.ID, life.AttendanceUpdate{Items: []life.AttendanceItem{
			{MemberID: e.members["m1"], State: "present"}, {MemberID: e.members["m2"], State: "present"}}}); err != nil {
			t.Fatal(err)
		}
		reconcile := func(ids ...int64) {
			t.Helper()
			if err := d.InTx(e.ctx, func(tx *db.Tx) error {
				for _, id := range ids {
					if err := e.pts.Reconcile(e.ctx, tx, id); err != nil {
						return err
					}
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		reconcile(a.ID)
		review := life.Review{Confirm: true, Reason: "测试"}
		for _, step := range []string{"submit", "accept"} {
			if _, err := e.life.Transition(e.ctx, sys, a.ID, step, review); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
		}
		fix, err := e.life.Amend(e.ctx, sys, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.life.SetAttendance(e.ctx, sys, fix.ID, life.AttendanceUpdate{Items: []life.AttendanceItem{
			{MemberID: e.members["m2"], State: "absent"}}}); err != nil {
			t.Fatal(err)
		}
		reconcile(a.ID, fix.ID) // under review: the record still counts, the correction not yet
		if m2 := e.year("m2", 2026); m2.Earned != 2 {
			t.Fatalf("m2 while the correction is under review: %d", m2.Earned)
		}
		for _, step := range []string{"submit", "accept"} {
			if _, err := e.life.Transition(e.ctx, sys, fix.ID, step, review); err != nil {
				t.Fatalf("%s correction: %v", step, err)
			}
		}
		reconcile(a.ID, fix.ID)
		m1, m2 := e.year("m1", 2026), e.year("m2", 2026)
		if m1.Earned != 2 || m1.item("life").Times != 1 || m1.Entries[0].SourceID != fix.ID || m2.Earned != 0 {
			t.Fatalf("after the correction: m1 %d/%d from %d, m2 %d", m1.Earned, m1.item("life").Times, m1.Entries[0].SourceID, m2.Earned)
		}
		e.assertRecount()
	})
}

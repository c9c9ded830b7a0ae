package points

import (
	"testing"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// TestResubmitReturnedClaim: a returned claim is corrected and waits again (pending counted
// once more); only a returned claim, only by its member, filer or a secretary over the member,
// checked like a new claim.
func TestResubmitReturnedClaim(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		e.publish("R", ExampleText())
		c, err := e.pts.File(e.ctx, e.own("m1"), NewClaim{Item: "volunteer", EventDate: "2026-03-01"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.pts.Resubmit(e.ctx, e.own("m1"), c.ID, Correction{EventDate: "2026-03-02"}); status(err) != 409 {
			t.Errorf("resubmitting a pending claim: %v", err)
		}
		if _, err := e.pts.Decide(e.ctx, e.secretary("A1"), Decision{IDs: []int64{c.ID}, Action: "return", Reason: "请写明服务内容"}); err != nil {
			t.Fatal(err)
		}
		if s, _ := e.pts.Summary(e.ctx, auth.System(), e.orgs["R"], 2026); s.Pending != 0 {
			t.Fatalf("pending after the return: %+v", s)
		}
		other := e.own("m2")
		other.UserID = 902
		if _, err := e.pts.Resubmit(e.ctx, other, c.ID, Correction{EventDate: "2026-03-01", Note: "x"}); status(err) != 403 {
			t.Errorf("another member resubmitting: %v", err)
		}
		if _, err := e.pts.Resubmit(e.ctx, e.secretary("A2"), c.ID, Correction{EventDate: "2026-03-01", Note: "x"}); status(err) != 403 {
			t.Errorf("another branch's secretary resubmitting: %v", err)
		}
		if _, err := e.pts.Resubmit(e.ctx, e.own("m1"), c.ID, Correction{EventDate: "2099-01-01", Note: "x"}); status(err) != 422 {
			t.Errorf("a future date: %v", err)
		}
		if my := e.year("m1", 2026); my.Claims[0].State != Returned || my.Claims[0].Reason != "请写明服务内容" {
			t.Fatalf("a refused correction changed the claim: %+v", my.Claims[0])
		}
		again, err := e.pts.Resubmit(e.ctx, e.own("m1"), c.ID, Correction{EventDate: "2026-03-02", Note: "社区助老 2 小时"})
		if err != nil || again.State != Pending || again.Reason != "" || again.EventDate != "2026-03-02" || again.Note != "社区助老 2 小时" || again.DecidedAt != nil {
			t.Fatalf("resubmitted: %+v %v", again, err)
		}
		l, err := e.pts.Claims(e.ctx, e.secretary("A1"), e.orgs["A1"], Pending, httpx.Page{Page: 1, Size: 20})
		if err != nil || l.Total != 1 || l.Items[0].ID != c.ID {
			t.Fatalf("the branch's inbox: %+v %v", l, err)
		}
		if _, err := e.pts.Decide(e.ctx, e.secretary("A1"), Decision{IDs: []int64{c.ID}, Action: "approve"}); err != nil {
			t.Fatal(err)
		}
		if my := e.year("m1", 2026); my.Earned != 2 {
			t.Errorf("approved after resubmission: earned %d", my.Earned)
		}
		e.assertRecount()
	})
}

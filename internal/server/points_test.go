package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/points"
)

// pointsScheme publishes the example scheme at the root once.
func (f *fixture) pointsScheme() {
	f.t.Helper()
	if f.count(`SELECT COUNT(*) FROM points_schemes`) > 0 {
		return
	}
	if _, err := f.app.Points.Publish(context.Background(), auth.System(), f.orgs["R"], points.ExampleText()); err != nil {
		f.t.Fatal(err)
	}
}

// newClaim files a pending 志愿服务 claim for a member (as the system) and returns its id.
func (f *fixture) newClaim(memberKey string) int64 {
	f.t.Helper()
	f.pointsScheme()
	c, err := f.app.Points.File(context.Background(), auth.System(), points.NewClaim{MemberID: f.members[memberKey], Item: "volunteer", EventDate: "2026-11-01"})
	if err != nil {
		f.t.Fatal(err)
	}
	return c.ID
}

// returnedClaim files a claim for a member and returns it to them (as the system); its id.
func (f *fixture) returnedClaim(memberKey string) int64 {
	f.t.Helper()
	id := f.newClaim(memberKey)
	if _, err := f.app.Points.Decide(context.Background(), auth.System(), points.Decision{IDs: []int64{id}, Action: "return", Reason: "请补充说明"}); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// newEntry enters a deduction for a member (as the system) and returns its id.
func (f *fixture) newEntry(memberKey string) int64 {
	f.t.Helper()
	f.pointsScheme()
	e, err := f.app.Points.Enter(context.Background(), auth.System(), points.NewEntry{MemberID: f.members[memberKey], Item: "dues_late", EventDate: "2026-11-01"})
	if err != nil {
		f.t.Fatal(err)
	}
	return e.ID
}

// TestPointsOverHTTP: a broken or forbidden scheme is refused with its lines and nothing
// is published; a member claims in one request, the secretary's inbox lists it, a batch
// approval scores it, the member's page explains every figure; the points part follows a
// move of the branch (maintained == recount).
func TestPointsOverHTTP(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		bad := strings.Replace(string(points.ExampleText()), "        name: 参加志愿服务\n", "        name: 每日登录打卡\n", 1)
		res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/points/schemes", f.orgs["A"]), rawBody(bad))
		if res.status != 422 || !strings.Contains(string(res.body), "登录") || !strings.Contains(string(res.body), "2024") || !strings.Contains(string(res.body), `"row":`) {
			t.Fatalf("forbidden scheme: %d %s", res.status, res.body)
		}
		if n := f.count(`SELECT COUNT(*) FROM points_schemes`); n != 0 {
			t.Fatalf("%d schemes after a refusal", n)
		}
		if res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/points/schemes", f.orgs["A"]), rawBody(points.ExampleText())); res.status != 201 {
			t.Fatalf("publish: %d %s", res.status, res.body)
		}
		var my points.MemberYear
		f.do("memA", "GET", fmt.Sprintf("/api/v1/members/%d/points?year=2026", f.members["a1m1"]), nil).decode(t, &my)
		if my.Total != 60 || my.Layer != "general" || len(my.Claimable) == 0 {
			t.Fatalf("member page: %+v", my)
		}
		var c points.Claim
		if res := f.do("memA", "POST", "/api/v1/points/claims", map[string]any{"item": "volunteer", "event_date": "2026-11-02", "note": "社区助老"}); res.status != 201 {
			t.Fatalf("claim: %d %s", res.status, res.body)
		} else {
			res.decode(t, &c)
		}
		var inbox struct {
			Items []points.Claim
			Total int
		}
		f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/points/claims", f.orgs["A1"]), nil).decode(t, &inbox)
		if inbox.Total != 1 || inbox.Items[0].ID != c.ID {
			t.Fatalf("inbox: %+v", inbox)
		}
		if res := f.do("secA", "POST", "/api/v1/points/claims/decide", map[string]any{"ids": []int64{c.ID}, "action": "approve"}); res.status != 200 {
			t.Fatalf("decide: %d %s", res.status, res.body)
		}
		f.do("memA", "GET", fmt.Sprintf("/api/v1/members/%d/points?year=2026", f.members["a1m1"]), nil).decode(t, &my)
		if my.Total != 62 || len(my.Entries) != 1 || my.Entries[0].ItemName != "参加志愿服务" {
			t.Fatalf("after approval: %+v", my)
		}
		var sum points.PointsSummary
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d/points/summary?year=2026", f.orgs["A"]), nil).decode(t, &sum)
		if sum.Pending != 0 || sum.Entries != 1 || sum.Points != 2 {
			t.Fatalf("summary: %+v", sum)
		}
		f.newClaim("a1m2")
		if r := f.do("admin", "POST", fmt.Sprintf("/api/v1/orgs/%d/move", f.orgs["A1"]), map[string]any{"parent_id": f.orgs["B"]}); r.status != 200 {
			t.Fatalf("move: %d %s", r.status, r.body)
		}
		f.do("staffB", "GET", fmt.Sprintf("/api/v1/orgs/%d/points/summary?year=2026", f.orgs["B"]), nil).decode(t, &sum)
		if sum.Pending != 1 || sum.Points != 2 {
			t.Fatalf("B after the move: %+v", sum)
		}
		maintained := rollupSnapshot(t, d)
		if _, err := f.app.Tree.Recount(context.Background(), d); err != nil {
			t.Fatal(err)
		}
		if recount := rollupSnapshot(t, d); fmt.Sprint(maintained) != fmt.Sprint(recount) {
			t.Fatalf("maintained ≠ recount:\n%v\n%v", maintained, recount)
		}
	})
}

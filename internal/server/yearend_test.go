package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/points"
	"dangjian/internal/publicity"
)

// pointsSchemeOf publishes the example scheme for another year at the root, once.
func (f *fixture) pointsSchemeOf(year int) {
	f.t.Helper()
	f.pointsScheme()
	if f.count(`SELECT COUNT(*) FROM points_schemes WHERE year = ?`, year) > 0 {
		return
	}
	text := strings.NewReplacer("year: 2026", fmt.Sprintf("year: %d", year), "effective_from: 2026-01-01", fmt.Sprintf("effective_from: %d-01-01", year)).
		Replace(string(points.ExampleText()))
	if _, err := f.app.Points.Publish(t0(), auth.System(), f.orgs["R"], []byte(text)); err != nil {
		f.t.Fatal(err)
	}
}

// yearEnd computes A1's year end of year as the system (again while in review).
func (f *fixture) yearEnd(year int) int64 {
	f.t.Helper()
	f.pointsSchemeOf(year)
	var id int64
	if f.count(`SELECT COUNT(*) FROM points_yearends WHERE org_id = ? AND year = ?`, f.orgs["A1"], year) == 0 {
		by, err := f.app.Points.Compute(t0(), auth.System(), f.orgs["A1"], points.NewYearEnd{Year: year})
		if err != nil {
			f.t.Fatal(err)
		}
		return by.ID
	}
	_ = f.app.DB.QueryRow(t0(), `SELECT id FROM points_yearends WHERE org_id = ? AND year = ?`, f.orgs["A1"], year).Scan(&id)
	return id
}

// publicYearEnd is A1's 2026 year end in its 公示 (started today).
func (f *fixture) publicYearEnd() int64 {
	f.t.Helper()
	id := f.yearEnd(2026)
	if f.count(`SELECT COUNT(*) FROM points_yearends WHERE id = ? AND state = 'review'`, id) == 1 {
		if _, err := f.app.Points.Review(t0(), auth.System(), id, points.RatingReview{AcceptProposed: true}); err != nil {
			f.t.Fatal(err)
		}
		if _, err := f.app.Points.StartPublicity(t0(), auth.System(), id, points.PublicityStart{}); err != nil {
			f.t.Fatal(err)
		}
	}
	return id
}

// newObjection is memA's objection to a1m2's rating in A1's 公示.
func (f *fixture) newObjection() (int64, int64) {
	f.t.Helper()
	id := f.publicYearEnd()
	sc := &auth.Scope{UserID: f.users["memA"], MemberID: f.members["a1m1"], Grants: []auth.Grant{{Role: auth.RoleMember}}}
	o, err := f.app.Points.Object(t0(), sc, id, points.NewObjection{MemberID: f.members["a1m2"], Text: "异议"})
	if err != nil {
		f.t.Fatal(err)
	}
	return id, o.ID
}

// groupYearEnd is a new year end of A1 (an earlier year each time, from 2024 down), reviewed:
// each successful write of the matrix gets its own.
func (f *fixture) groupYearEnd() int64 {
	f.t.Helper()
	year := 2024
	if n := f.count(`SELECT COALESCE(MIN(year), 0) FROM points_yearends WHERE org_id = ? AND year < 2025`, f.orgs["A1"]); n != 0 {
		year = n - 1
	}
	id := f.yearEnd(year)
	if _, err := f.app.Points.Review(t0(), auth.System(), id, points.RatingReview{AcceptProposed: true}); err != nil {
		f.t.Fatal(err)
	}
	return id
}

// endedYearEnd is a year end of A1 whose 公示 ran from 2 to 6 November: ready to confirm.
func (f *fixture) endedYearEnd() int64 {
	f.t.Helper()
	id := f.groupYearEnd()
	err := f.app.DB.InTx(t0(), func(tx *db.Tx) error {
		var orgID int64
		if err := tx.QueryRow(t0(), `SELECT org_id FROM points_yearends WHERE id = ?`, id).Scan(&orgID); err != nil {
			return err
		}
		n, err := f.app.Points.Publicity.Open(t0(), tx, publicity.OpenIn{OrgID: orgID, Subject: points.PublicitySubject, SubjectID: id, Title: "公示",
			WorkingDays: 5, From: "2026-11-02"})
		if err != nil {
			return err
		}
		_, err = tx.Exec(t0(), `UPDATE points_yearends SET state = 'publicity', notice_id = ? WHERE id = ?`, n.ID, id)
		return err
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return id
}

// confirmedRating is the rating of a group's member, confirmed.
func (f *fixture) confirmedRating(withdrawn bool) int64 {
	f.t.Helper()
	id := f.endedYearEnd()
	if _, err := f.app.Points.Confirm(t0(), auth.System(), id); err != nil {
		f.t.Fatal(err)
	}
	var rid int64
	_ = f.app.DB.QueryRow(t0(), `SELECT MIN(id) FROM points_reviews WHERE yearend_id = ?`, id).Scan(&rid)
	if withdrawn {
		if _, err := f.app.Points.Withdraw(t0(), auth.System(), rid, points.StarChange{Reason: "摘星"}); err != nil {
			f.t.Fatal(err)
		}
	}
	return rid
}

// newAppeal is memA's appeal of a new deduction of theirs.
func (f *fixture) newAppeal() int64 {
	f.t.Helper()
	sc := &auth.Scope{UserID: f.users["memA"], MemberID: f.members["a1m1"], Grants: []auth.Grant{{Role: auth.RoleMember}}}
	a, err := f.app.Points.FileAppeal(t0(), sc, points.NewAppeal{EntryID: f.newEntry("a1m1"), Text: "申诉"})
	if err != nil {
		f.t.Fatal(err)
	}
	return a.ID
}

// TestYearEndOverHTTP: the member sees the 公示 of their branch and objects in one request;
// the secretary answers; the 公示 page lists the objection; a member of another branch sees
// nothing.
func TestYearEndOverHTTP(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.publicYearEnd()
		var by points.BranchYear
		res := f.do("memA", "GET", fmt.Sprintf("/api/v1/orgs/%d/points/yearend?year=2026", f.orgs["A1"]), nil)
		res.decode(t, &by)
		if res.status != 200 || by.ID != id || !by.CanObject || by.CanManage || by.Publicity == nil || by.Publicity.WorkingDays != 5 {
			t.Fatalf("member's 公示: %d %+v", res.status, by)
		}
		res = f.do("memA", "POST", fmt.Sprintf("/api/v1/points/yearend/%d/objections", id), map[string]any{"member_id": f.members["a1m2"], "text": ""})
		if res.status != 422 || !strings.Contains(string(res.body), "内容") {
			t.Fatalf("an empty objection: %d %s", res.status, res.body)
		}
		res = f.do("memA", "POST", fmt.Sprintf("/api/v1/points/yearend/%d/objections", id), map[string]any{"member_id": f.members["a1m2"], "text": "评分有误"})
		var ob points.ObjectionAt
		res.decode(t, &ob)
		if res.status != 201 || !ob.Mine {
			t.Fatalf("objection: %d %s", res.status, res.body)
		}
		res = f.do("secA", "POST", fmt.Sprintf("/api/v1/points/yearend/%d/objections/%d/answer", id, ob.ID), map[string]any{"upheld": false, "answer": "经核实，评分无误"})
		if res.status != 200 {
			t.Fatalf("answer: %d %s", res.status, res.body)
		}
		f.do("secA", "GET", fmt.Sprintf("/api/v1/orgs/%d/points/yearend?year=2026", f.orgs["A1"]), nil).decode(t, &by)
		if len(by.Objections) != 1 || by.Objections[0].State != "dismissed" || by.Objections[0].Answer != "经核实，评分无误" {
			t.Fatalf("objections on the branch page: %+v", by.Objections)
		}
		if r := f.do("staffB", "GET", fmt.Sprintf("/api/v1/orgs/%d/points/yearend?year=2026", f.orgs["A1"]), nil); r.status != 404 {
			t.Fatalf("another street: %d", r.status)
		}
		// The subtree's figures: confirmed stars by level and open appeals, maintained and equal
		// to a recount (after a confirm, a 摘星 and an appeal).
		rid := f.confirmedRating(false)
		var stars, year int
		_ = d.QueryRow(context.Background(), `SELECT stars, year FROM points_reviews WHERE id = ?`, rid).Scan(&stars, &year)
		var sum points.YearEndSummary
		f.do("staffA", "GET", fmt.Sprintf("/api/v1/orgs/%d/points/yearend/summary?year=%d", f.orgs["A"], year), nil).decode(t, &sum)
		if sum.Rated != 4 || sum.OpenAppeals != 0 {
			t.Fatalf("summary after a confirm: %+v", sum)
		}
		if r := f.do("secA", "POST", fmt.Sprintf("/api/v1/points/ratings/%d/withdraw", rid), map[string]any{"reason": "受到党纪处分"}); r.status != 200 {
			t.Fatalf("摘星: %d %s", r.status, r.body)
		}
		f.newAppeal()
		f.do("admin", "GET", fmt.Sprintf("/api/v1/orgs/%d/points/yearend/summary?year=%d", f.orgs["R"], year), nil).decode(t, &sum)
		if sum.Rated != 3 || sum.OpenAppeals != 1 || len(sum.Stars) == 0 {
			t.Fatalf("summary after 摘星 and an appeal: %+v", sum)
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

package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"dangjian/internal/classify"
	"dangjian/internal/life/appraisal"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/points"
	"dangjian/internal/tasks"
)

// Issue 15, the modules read each other's records: A1's 述职评议 skeleton carries the star
// it was awarded (assess.StarOf) and the year's tasks completion (tasks.CompletionOf); A2,
// never starred and with its task open, shows no star and its open task.
func TestSecReportSkeletonReadsStarsAndTasks(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.starred(false)
		if _, err := f.app.Tasks.Issue(context.Background(), auth.System(), f.orgs["A"], tasks.NewTask{Title: "党建引领", DueDate: "2026-12-31", To: tasks.TaskSelector{Children: true}}); err != nil {
			t.Fatal(err)
		}
		var band string
		var stars int
		if err := d.QueryRow(context.Background(), `SELECT band, stars FROM assess_star_events WHERE org_id = ? ORDER BY id DESC LIMIT 1`, f.orgs["A1"]).Scan(&band, &stars); err != nil || stars == 0 {
			t.Fatalf("A1 holds no star: %v %d", err, stars)
		}
		f.tokens["staffA"] = f.login("staffA", testPassword)
		sk := f.srRound(2026).Skeleton
		if sk.Stars == nil || *sk.Stars != band || sk.StarCount != stars {
			t.Errorf("A1's skeleton star: %v %d, want %s %d", sk.Stars, sk.StarCount, band, stars)
		}
		if sk.Tasks.Total != 1 || sk.Tasks.Open != 1 || sk.Tasks.Done != 0 {
			t.Errorf("A1's skeleton tasks: %+v", sk.Tasks)
		}
		var a2 string
		if err := d.QueryRow(context.Background(), `SELECT r.skeleton FROM secreport_reports r JOIN secreport_rounds d ON d.id = r.round_id WHERE d.year = 2026 AND r.org_id = ?`, f.orgs["A2"]).Scan(&a2); err != nil {
			t.Fatal(err)
		}
		if !contains(a2, `"stars":null`) || !contains(a2, `"total":1`) {
			t.Errorf("A2's skeleton: %s", a2)
		}
	})
}

// 民主评议 shows each member's points rating of the year beside the grade as a reference:
// a rated member carries it (with its stage), an unrated one none, and a grade sent with a
// made-up rating changes nothing of it (read-only).
func TestAppraisalShowsPointsStars(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.publicYearEnd()
		id := f.newActivityOf("A1", "held", "member_review", "life_meeting")
		path := fmt.Sprintf("/api/v1/activities/%d/reviews", id)
		res := f.do("secA", "PUT", path, map[string]any{"items": []map[string]any{
			{"member_id": f.members["a1m1"], "grade": "qualified", "points_stars": map[string]any{"year": 2026, "stars": 5, "final": true}}}})
		if res.status != 200 {
			t.Fatalf("grade: %d %s", res.status, res.body)
		}
		var ap appraisal.Appraisals
		f.do("secA", "GET", path, nil).decode(t, &ap)
		var ids []int64
		for _, it := range ap.Items {
			ids = append(ids, it.MemberID)
		}
		want, err := points.StarsOf(context.Background(), d, ids, 2026)
		if err != nil || len(want) == 0 {
			t.Fatalf("no ratings of 2026: %v %+v", err, want)
		}
		seen := 0
		for _, it := range ap.Items {
			w, rated := want[it.MemberID]
			switch {
			case rated && (it.PointsStars == nil || it.PointsStars.Year != 2026 || it.PointsStars.Stars != w.Stars || it.PointsStars.Final || it.PointsStars.State != "publicity"):
				t.Errorf("%s: %+v, want %+v in 2026", it.Name, it.PointsStars, w)
			case !rated && it.PointsStars != nil:
				t.Errorf("%s is not rated but shows %+v", it.Name, it.PointsStars)
			case rated:
				seen++
			}
		}
		if seen == 0 {
			t.Fatalf("no member carries the rating: %+v", ap.Items)
		}
	})
}

// A classification shows, beside the decisions, the class the year's assessment results
// propose through the rules' min_stars/max_stars (A1 starred; the round's other branches
// below a star propose 后进), and a level publishing other bounds changes the proposal, not
// the decisions. Proposals stay within the caller's subtree.
func TestClassifyProposalsFromRound(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.starred(false)
		var stars int
		if err := d.QueryRow(context.Background(), `SELECT stars FROM assess_orgs WHERE org_id = ? ORDER BY round_id DESC LIMIT 1`, f.orgs["A1"]).Scan(&stars); err != nil || stars == 0 {
			t.Fatalf("A1 holds no star: %v %d", err, stars)
		}
		get := func(who, key string) classify.Overview {
			var ov classify.Overview
			res := f.do(who, "GET", fmt.Sprintf("/api/v1/orgs/%d/classify?year=2026", f.orgs[key]), nil)
			if res.status != 200 || !contains(string(res.body), `"decisions":[`) {
				t.Fatalf("overview: %d %s", res.status, res.body)
			}
			res.decode(t, &ov)
			return ov
		}
		rules, _ := classify.ParseRules(classify.ExampleText())
		ov := get("staffA", "A")
		var a1 *classify.Proposal
		for i, p := range ov.Proposals {
			if p.BranchID == f.orgs["A1"] {
				a1 = &ov.Proposals[i]
			}
		}
		if a1 == nil || a1.Class != rules.FromStars(stars) || a1.Class == "" || !contains(a1.Basis, "2026年度星级评定") {
			t.Fatalf("A1's proposal: %+v in %+v", a1, ov.Proposals)
		}
		if len(ov.Decisions) != 0 {
			t.Errorf("a proposal decided something: %+v", ov.Decisions)
		}
		// Every star proposes 先进 under the level's own bounds.
		text := strings.Replace(string(classify.ExampleText()), "    min_stars: 4\n", "    min_stars: 1\n", 1)
		text = strings.Replace(text, `version: "example-2026-1"`, `version: "a-2026-2"`, 1)
		if res := f.do("staffA", "POST", fmt.Sprintf("/api/v1/orgs/%d/classify/rules", f.orgs["A"]), rawBody(text)); res.status != 201 {
			t.Fatalf("publish: %d %s", res.status, res.body)
		}
		for _, p := range get("staffA", "A").Proposals {
			if p.BranchID == f.orgs["A1"] && p.Class != "advanced" {
				t.Errorf("A1 under min_stars 1: %+v", p)
			}
		}
		// Another street's staff sees none of A's branches.
		for _, p := range get("staffB", "B").Proposals {
			if p.BranchID == f.orgs["A1"] {
				t.Errorf("B sees A1's proposal")
			}
		}
	})
}

package projects

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// Who may move a project and from which states: the organization's writers propose, edit
// and report; only the level above decides; refusals change nothing; the counts at every
// level follow each write and equal a recount.
func TestStatesAndWhoMayMoveThem(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		secA1, staffA, staffB, secA2 := e.as(auth.RoleSecretary, "A1"), e.as(auth.RoleStaff, "A"), e.as(auth.RoleStaff, "B"), e.as(auth.RoleSecretary, "A2")
		p := e.propose("A1", proposal("软弱涣散支部整顿", "2026-06-30", "2026-11-30"))
		if p.State != Proposed || len(p.Milestones) != 2 || p.OrgID != e.ids["A1"] {
			t.Fatalf("proposed: %+v", p)
		}
		if c := e.counts("R", 2026); c.Total != 1 || c.ByState[Proposed] != 1 {
			t.Fatalf("counts at R: %+v", c)
		}
		e.assertRecount()
		// Bad input names the field and changes nothing.
		bad := proposal("", "2027-01-05")
		bad.Milestones = append(bad.Milestones, NewProjectMilestone{Title: "x", DueDate: "2026-13-01"})
		_, err := e.s.Propose(e.ctx, secA1, e.ids["A1"], bad)
		if status(err) != 422 || fieldOf(err) != "title" {
			t.Fatalf("bad proposal: %v", err)
		}
		if he := err.(*httpx.Error); len(he.Issues) != 3 || he.Issues[1].Field != "milestones[0].due_date" || he.Issues[2].Field != "milestones[1].due_date" {
			t.Fatalf("issues: %+v", he.Issues)
		}
		// The secretary cannot approve their own; another branch cannot edit it; the other
		// street cannot see it.
		for _, c := range []struct {
			sc   *auth.Scope
			act  string
			want int
		}{{secA1, "approve", 403}, {secA2, "approve", 403}, {staffB, "approve", 403}, {e.as(auth.RoleViewer, "A"), "approve", 403}} {
			if _, err := e.s.Decide(e.ctx, c.sc, p.ID, ProjectDecision{Action: c.act}); status(err) != c.want {
				t.Fatalf("%s by %s: %v", c.act, c.sc.Username, err)
			}
		}
		if _, err := e.s.Edit(e.ctx, secA2, p.ID, proposal("改", "2026-06-30")); status(err) != 403 {
			t.Fatalf("edit by A2: %v", err)
		}
		if _, err := e.s.Read(e.ctx, staffB, p.ID); status(err) != 404 {
			t.Fatalf("read by B: %v", err)
		}
		if _, err := e.s.Decide(e.ctx, staffA, p.ID, ProjectDecision{Action: "return"}); status(err) != 422 || fieldOf(err) != "reason" {
			t.Fatalf("return without a reason: %v", err)
		}
		// Return → edit (resubmits) → approve.
		r := e.decide(staffA, p.ID, ProjectDecision{Action: "return", Reason: "目标不够具体"})
		if r.State != Returned || r.Reason != "目标不够具体" || !has(r.Actions, "edit") {
			t.Fatalf("returned: %+v", r)
		}
		if v, _ := e.s.Read(e.ctx, secA1, p.ID); !has(v.Actions, "edit") || has(v.Actions, "approve") {
			t.Fatalf("secretary's actions: %v", v.Actions)
		}
		if _, err := e.s.Decide(e.ctx, staffA, p.ID, ProjectDecision{Action: "approve"}); status(err) != 409 {
			t.Fatalf("approve a returned project: %v", err)
		}
		ed, err := e.s.Edit(e.ctx, secA1, p.ID, proposal("软弱涣散支部整顿转化", "2026-06-30", "2026-09-30", "2026-11-30"))
		if err != nil || ed.State != Proposed || len(ed.Milestones) != 3 {
			t.Fatalf("edit: %+v %v", ed, err)
		}
		e.assertRecount()
		a := e.decide(staffA, p.ID, ProjectDecision{Action: "approve"})
		if a.State != Approved || !has(a.Actions, "comment") || !has(a.Actions, "evaluate") {
			t.Fatalf("approved: %+v", a)
		}
		if _, err := e.s.Edit(e.ctx, secA1, p.ID, proposal("再改", "2026-06-30")); status(err) != 409 {
			t.Fatalf("edit an approved project: %v", err)
		}
		c := e.decide(staffA, p.ID, ProjectDecision{Action: "comment", Comment: "进度正常，注意台账"})
		if c.MidComment != "进度正常，注意台账" || c.State != Approved {
			t.Fatalf("comment: %+v", c)
		}
		// Progress by the secretary, with evidence; not by the level above's viewer.
		m := a.Milestones[0].ID
		if _, err := e.s.Progress(e.ctx, e.as(auth.RoleViewer, "A"), m, ProjectProgress{Done: true, Note: "x"}); status(err) != 403 {
			t.Fatalf("progress by a viewer: %v", err)
		}
		if _, err := e.s.Progress(e.ctx, secA1, m, ProjectProgress{Done: true, Link: "ftp://x"}); status(err) != 422 || fieldOf(err) != "note" {
			t.Fatalf("progress without a note: %v", err)
		}
		pr, err := e.s.Progress(e.ctx, secA1, m, ProjectProgress{Done: true, Note: "已召开组织生活会", Link: "https://example.org/a"})
		if err != nil || pr.Milestones[0].DoneDate != "2026-03-02" || pr.Milestones[0].Late {
			t.Fatalf("progress: %+v %v", pr, err)
		}
		// A rejection is final.
		q := e.propose("A2", proposal("村级阵地建设", "2026-08-01"))
		e.decide(staffA, q.ID, ProjectDecision{Action: "reject", Reason: "与上年重复"})
		if _, err := e.s.Decide(e.ctx, staffA, q.ID, ProjectDecision{Action: "approve"}); status(err) != 409 {
			t.Fatalf("approve a rejected project: %v", err)
		}
		if c := e.counts("A", 2026); c.Total != 2 || c.ByState[Approved] != 1 || c.ByState[Rejected] != 1 || c.ByState[Proposed] != 0 {
			t.Fatalf("counts at A: %+v", c)
		}
		if c := e.counts("B", 2026); c.Total != 0 {
			t.Fatalf("counts at B: %+v", c)
		}
		e.assertRecount()
		// The top organization has no level above to propose to.
		if _, err := e.s.Propose(e.ctx, auth.System(), e.ids["R"], proposal("区级", "2026-06-30")); status(err) != 409 {
			t.Fatalf("propose at the top: %v", err)
		}
		// Moving A2 under B carries its project's count; a recount agrees.
		if _, err := e.orgs.Move(e.ctx, auth.System(), e.ids["A2"], e.ids["B"]); err != nil {
			t.Fatal(err)
		}
		if ca, cb := e.counts("A", 2026), e.counts("B", 2026); ca.Total != 1 || cb.ByState[Rejected] != 1 {
			t.Fatalf("after the move: A %+v B %+v", ca, cb)
		}
		e.assertRecount()
	})
}

// Overdue milestones turn at the CST day boundary with no write; done late is marked late.
func TestOverdueAtTheCSTBoundary(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		staffA := e.as(auth.RoleStaff, "A")
		p := e.propose("A1", proposal("阵地提升", "2026-04-10", "2026-05-10"))
		e.decide(staffA, p.ID, ProjectDecision{Action: "approve"})
		// 2026-04-10 23:59:59 CST: not yet overdue; a second later it is.
		e.clock.Advance(time.Date(2026, 4, 10, 15, 59, 59, 0, time.UTC).Sub(e.clock.Now()))
		if v, _ := e.s.Read(e.ctx, staffA, p.ID); v.Overdue != 0 || v.Milestones[0].Overdue {
			t.Fatalf("overdue before the day ends: %+v", v)
		}
		due, err := e.s.DueSoon(e.ctx, staffA, e.ids["R"], 30, httpx.Page{Page: 1, Size: 10})
		if status(err) != 404 {
			t.Fatalf("due soon at R by A's staff: %v", err)
		}
		due, err = e.s.DueSoon(e.ctx, auth.System(), e.ids["R"], 30, httpx.Page{Page: 1, Size: 10})
		if err != nil || due.Total != 2 || due.Items[0].Overdue {
			t.Fatalf("due soon: %+v %v", due, err)
		}
		e.clock.Advance(time.Second)
		v, _ := e.s.Read(e.ctx, staffA, p.ID)
		if v.Overdue != 1 || !v.Milestones[0].Overdue || v.Milestones[1].Overdue {
			t.Fatalf("overdue after the CST boundary: %+v", v)
		}
		due, _ = e.s.DueSoon(e.ctx, staffA, e.ids["A"], 0, httpx.Page{Page: 1, Size: 10})
		if due.Total != 1 || !due.Items[0].Overdue {
			t.Fatalf("due today or before: %+v", due)
		}
		pr, err := e.s.Progress(e.ctx, e.as(auth.RoleSecretary, "A1"), v.Milestones[0].ID, ProjectProgress{Done: true, Note: "补报"})
		if err != nil || pr.Overdue != 0 || !pr.Milestones[0].Late || pr.Milestones[0].DoneDate != "2026-04-11" {
			t.Fatalf("done late: %+v %v", pr, err)
		}
		if _, err := e.s.Progress(e.ctx, e.as(auth.RoleSecretary, "A1"), v.Milestones[1].ID, ProjectProgress{Done: true, DoneDate: "2026-04-12", Note: "x"}); status(err) != 422 || fieldOf(err) != "done_date" {
			t.Fatalf("done in the future: %v", err)
		}
	})
}

// Year-end evaluation: a grade of the grades document (422 naming grade otherwise), closed;
// or carried over to a linked proposed project of the next year with the milestones not done.
func TestEvaluateAndCarryOver(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		staffA, secA1 := e.as(auth.RoleStaff, "A"), e.as(auth.RoleSecretary, "A1")
		p := e.propose("A1", proposal("红色物业", "2026-06-30", "2026-12-31"))
		q := e.propose("A2", proposal("乡村振兴", "2026-06-30"))
		for _, x := range []int64{p.ID, q.ID} {
			e.decide(staffA, x, ProjectDecision{Action: "approve"})
		}
		if _, err := e.s.Progress(e.ctx, secA1, p.Milestones[0].ID, ProjectProgress{Done: true, Note: "完成"}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.s.Decide(e.ctx, staffA, q.ID, ProjectDecision{Action: "evaluate", Grade: "excellent", Comment: "好"}); status(err) != 422 || fieldOf(err) != "grade" {
			t.Fatalf("unknown grade: %v", err)
		}
		if _, err := e.s.Decide(e.ctx, secA1, p.ID, ProjectDecision{Action: "evaluate", Grade: "good", Comment: "自评"}); status(err) != 403 {
			t.Fatalf("self evaluation: %v", err)
		}
		cl := e.decide(staffA, q.ID, ProjectDecision{Action: "evaluate", Grade: "good", Comment: "成效明显"})
		if cl.State != Closed || cl.GradeName != "好" || cl.GradesVersion != "2026-example" || cl.CarriedTo != nil {
			t.Fatalf("closed: %+v", cl)
		}
		ca := e.decide(staffA, p.ID, ProjectDecision{Action: "evaluate", Grade: "average", Comment: "未完成，结转", Carry: true})
		if ca.State != Carried || ca.CarriedTo == nil {
			t.Fatalf("carried: %+v", ca)
		}
		n, err := e.s.Read(e.ctx, secA1, *ca.CarriedTo)
		if err != nil || n.Year != 2027 || n.State != Proposed || n.CarriedFrom == nil || *n.CarriedFrom != p.ID || n.Title != "红色物业" {
			t.Fatalf("next year's project: %+v %v", n, err)
		}
		if len(n.Milestones) != 1 || n.Milestones[0].DueDate != "2027-12-31" || n.Milestones[0].Title != "节点2" {
			t.Fatalf("carried milestones: %+v", n.Milestones)
		}
		if c := e.counts("R", 2026); c.ByState[Closed] != 1 || c.ByState[Carried] != 1 || c.Total != 2 {
			t.Fatalf("2026 at R: %+v", c)
		}
		if c := e.counts("A", 2027); c.Total != 1 || c.ByState[Proposed] != 1 {
			t.Fatalf("2027 at A: %+v", c)
		}
		ov, err := e.s.Overview(e.ctx, staffA, e.ids["A"], 2026, Carried, httpx.Page{Page: 1, Size: 10})
		if err != nil || ov.Projects.Total != 1 || len(ov.Projects.Items) != 1 || ov.Projects.Items[0].ID != p.ID {
			t.Fatalf("overview of the carried: %+v %v", ov, err)
		}
		ch, err := e.s.Children(e.ctx, auth.System(), e.ids["R"], 2026, httpx.Page{Page: 1, Size: 10})
		if err != nil || ch.Total != 1 || ch.Items[0].OrgID != e.ids["A"] || ch.Items[0].Counts.Total != 2 {
			t.Fatalf("drill-down: %+v %v", ch, err)
		}
		e.assertRecount()
		if nextYear("2028-02-29") != "2029-02-28" {
			t.Fatal(nextYear("2028-02-29"))
		}
	})
}

// The grades are data: the shipped example parses and is marked 示例 with its source; a bad
// document is refused with line-numbered problems.
func TestGradesDocument(t *testing.T) {
	g := ShippedGrades()
	if !g.Example || !strings.Contains(g.Name, "示例") || g.Source == "" || len(g.Grades) < 2 {
		t.Fatalf("shipped: %+v", g)
	}
	_, err := ParseGrades([]byte("version: v1\nname: x\nsource: y\ngrades:\n  - code: good\n    name: 好\n  - code: good\n    name: 较好\n  - code: Bad\n    name: 差\n"))
	if err == nil || !strings.Contains(err.Error(), "line 9") {
		t.Fatalf("bad code: %v", err)
	}
	_, err = ParseGrades([]byte("version: v1\nname: x\nsource: y\ngrades:\n  - code: good\n    name: 好\n  - code: good\n    name: 较好\n"))
	if err == nil || !strings.Contains(err.Error(), "line 7") {
		t.Fatalf("duplicate: %v", err)
	}
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The Excel export lists the subtree's projects of a year in tree order with the overview's
// figures; outside the caller's reach it is a 404.
func TestExport(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		staffA := e.as(auth.RoleStaff, "A")
		p := e.propose("A1", proposal("红色物业", "2026-03-01", "2026-12-31"))
		e.propose("B1", proposal("别处的项目", "2026-06-30"))
		e.decide(staffA, p.ID, ProjectDecision{Action: "approve"})
		var buf bytes.Buffer
		if err := e.s.Export(e.ctx, staffA, e.ids["A"], 2026, &buf); err != nil {
			t.Fatal(err)
		}
		wb, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := wb.GetRows("重点突破项目")
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[2][0] != "组织A1" || rows[2][1] != "红色物业" || rows[2][3] != "已立项" || rows[2][5] != "2" || rows[2][6] != "1" {
			t.Fatalf("rows: %q", rows)
		}
		if err := e.s.Export(e.ctx, e.as(auth.RoleStaff, "B"), e.ids["A"], 2026, &bytes.Buffer{}); status(err) != 404 {
			t.Fatalf("export by B: %v", err)
		}
	})
}

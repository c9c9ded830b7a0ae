package tasks

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// Issuing to every branch makes one assignment each, set-based; every kind of write keeps the
// rates equal to a recount; overdue turns at the CST day boundary with no write.
func TestIssueRatesAndOverdue(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		res := e.issue("R", NewTask{Title: "开展主题党日", DueDate: "2026-12-31", Weight: 10, To: TaskSelector{Kinds: branches}})
		if res.Assignments != 3 {
			t.Fatalf("assignments: %d, want 3 (A1, A2, B1)", res.Assignments)
		}
		task := res.Task.ID
		if f := e.figures(task, "R"); f.Total != 3 || f.Open != 3 || f.Done != 0 || f.Overdue != 0 {
			t.Fatalf("at R: %+v", f)
		}
		if f := e.figures(task, "A"); f.Total != 2 {
			t.Fatalf("at A: %+v", f)
		}
		e.assertRecount()
		sys := auth.System()
		a1, a2 := e.assignmentOf(task, "A1"), e.assignmentOf(task, "A2")
		e.move(e.as(auth.RoleSecretary, "A1"), a1, "accept")
		e.move(e.as(auth.RoleSecretary, "A1"), a1, "start")
		e.move(e.as(auth.RoleSecretary, "A1"), a1, "submit", "已开展，见记录")
		if f := e.figures(task, "A"); f.Submitted != 1 || f.Open != 1 {
			t.Fatalf("after a submission at A: %+v", f)
		}
		e.assertRecount()
		e.move(sys, a1, "verify")
		e.move(sys, a2, "submit", "已完成")
		e.move(sys, a2, "return", "材料不全")
		e.assertRecount()
		f := e.figures(task, "R")
		if f.Done != 1 || f.Open != 2 || f.Submitted != 0 || f.Rate < 0.33 || f.Rate > 0.34 {
			t.Fatalf("at R after verify and return: %+v", f)
		}
		e.move(sys, a1, "close")
		if g := e.figures(task, "R"); g.Done != 1 {
			t.Fatalf("closing a verified assignment changed done: %+v", g)
		}
		// 2026-12-31 23:59:59 CST: not yet overdue; one second later it is, with no write.
		e.clock.Advance(time.Date(2026, 12, 31, 15, 59, 59, 0, time.UTC).Sub(e.clock.Now()))
		if g := e.figures(task, "R"); g.Overdue != 0 {
			t.Fatalf("overdue before the day ends: %+v", g)
		}
		e.clock.Advance(time.Second)
		if g := e.figures(task, "R"); g.Overdue != 2 || g.Open != 2 {
			t.Fatalf("overdue after the CST day boundary: %+v", g)
		}
		list, err := e.s.Assignments(e.ctx, sys, task, e.ids["R"], TaskAssignmentFilter{Overdue: true}, httpx.Page{Page: 1, Size: 10})
		if err != nil || list.Total != 2 || !list.Items[0].Overdue {
			t.Fatalf("overdue list: %+v %v", list, err)
		}
		y, err := CompletionOf(e.ctx, d, []int64{e.ids["R"], e.ids["B"]}, 2026, "2027-01-01")
		if err != nil || y[e.ids["R"]].Total != 3 || y[e.ids["R"]].Done != 1 || y[e.ids["R"]].Overdue != 2 || y[e.ids["B"]].Total != 1 {
			t.Fatalf("CompletionOf: %+v %v", y, err)
		}
		// Moving A2 under B carries its assignment's figures; a recount agrees.
		if _, err := e.orgs.Move(e.ctx, sys, e.ids["A2"], e.ids["B"]); err != nil {
			t.Fatal(err)
		}
		if fa, fb := e.figures(task, "A"), e.figures(task, "B"); fa.Total != 1 || fb.Total != 2 {
			t.Fatalf("after the move: A %+v B %+v", fa, fb)
		}
		e.assertRecount()
	})
}

// A cascade is a new task linked to its parent, with earlier due dates only; the child's
// additions and progress never change the parent's task or figures.
func TestCascadeKeepsTheChain(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		parent := e.issue("R", NewTask{Title: "党建引领基层治理", Description: "区级要求", DueDate: "2026-12-20", Target: ptr(3), To: TaskSelector{Children: true}}).Task
		row := `SELECT id, title || '|' || description || '|' || additions, due_date || '|' || COALESCE(target, -1), (SELECT COUNT(*) FROM task_assignments WHERE task_id = tasks.id) FROM tasks WHERE id = ` + fmt.Sprint(parent.ID)
		before := e.snapshot(row)
		if before == "" {
			t.Fatal("no parent row")
		}
		figs := e.figures(parent.ID, "R")
		staffA := e.as(auth.RoleStaff, "A")
		_, err := e.s.Cascade(e.ctx, staffA, parent.ID, CascadeTask{OrgID: e.ids["A"], Additions: "每个支部报送案例", DueDate: "2026-12-25"})
		if status(err) != 422 || fieldOf(err) != "due_date" {
			t.Fatalf("a later due date: %v", err)
		}
		_, err = e.s.Cascade(e.ctx, staffA, parent.ID, CascadeTask{OrgID: e.ids["A1"], DueDate: "2026-12-10"})
		if status(err) != 422 || fieldOf(err) != "org_id" {
			t.Fatalf("A1 did not receive it: %v", err)
		}
		if _, err = e.s.Cascade(e.ctx, staffA, parent.ID, CascadeTask{OrgID: e.ids["B"], DueDate: "2026-12-10"}); status(err) != 403 {
			t.Fatalf("A's staff cascading for B: %v", err)
		}
		child, err := e.s.Cascade(e.ctx, staffA, parent.ID, CascadeTask{OrgID: e.ids["A"], Additions: "每个支部报送案例", DueDate: "2026-12-10", Target: ptr(5)})
		if err != nil {
			t.Fatal(err)
		}
		if child.Assignments != 2 || child.Task.ParentID == nil || *child.Task.ParentID != parent.ID || child.Task.Title != parent.Title ||
			child.Task.Description != parent.Description || child.Task.Additions != "每个支部报送案例" || child.Task.OrgID != e.ids["A"] {
			t.Fatalf("child: %+v", child)
		}
		for _, id := range []int64{e.assignmentOf(child.Task.ID, "A1"), e.assignmentOf(child.Task.ID, "A2")} {
			e.move(auth.System(), id, "submit", "好")
			e.move(staffA, id, "verify")
		}
		if after := e.snapshot(row); after != before {
			t.Fatalf("the parent task changed:\n%s\n%s", before, after)
		}
		if f := e.figures(parent.ID, "R"); f != figs {
			t.Fatalf("the parent's figures moved: %+v → %+v", figs, f)
		}
		if f := e.figures(child.Task.ID, "A"); f.Done != 2 || f.Rate != 1 {
			t.Fatalf("child figures: %+v", f)
		}
		// A branch passes the street's task down again: the chain reads back to the district.
		grand, err := e.s.Cascade(e.ctx, e.as(auth.RoleSecretary, "A1"), child.Task.ID, CascadeTask{OrgID: e.ids["A1"], DueDate: "2026-12-05"})
		if err != nil {
			t.Fatal(err)
		}
		got, err := e.s.Read(e.ctx, e.as(auth.RoleSecretary, "A1"), grand.Task.ID, e.ids["A1"])
		if err != nil || len(got.Chain) != 2 || got.Chain[0].ID != child.Task.ID || got.Chain[1].ID != parent.ID {
			t.Fatalf("chain: %+v %v", got, err)
		}
		e.assertRecount()
	})
}

func ptr[T any](v T) *T { return &v }

// Who may make which move: the receiving organization works, the issuing level verifies;
// a move the state does not allow is 409; refusals change nothing.
func TestWhoMovesWhat(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		task := e.issue("A", NewTask{Title: "报送案例", DueDate: "2026-12-31", EvidenceRequired: true, To: TaskSelector{Children: true}}).Task.ID
		a1 := e.assignmentOf(task, "A1")
		secA1, secA2, staffA, staffB, viewerA := e.as(auth.RoleSecretary, "A1"), e.as(auth.RoleSecretary, "A2"), e.as(auth.RoleStaff, "A"), e.as(auth.RoleStaff, "B"), e.as(auth.RoleViewer, "A")
		stats := `SELECT org_id, dim, key, n FROM org_stats WHERE dim LIKE 'tk%'`
		for _, c := range []struct {
			name   string
			sc     *auth.Scope
			tr     TaskTransition
			status int
		}{
			{"another branch accepts", secA2, TaskTransition{Action: "accept"}, 403},
			{"another street accepts", staffB, TaskTransition{Action: "accept"}, 403},
			{"a viewer accepts", viewerA, TaskTransition{Action: "accept"}, 403},
			{"the branch verifies before a submission", secA1, TaskTransition{Action: "verify"}, 403},
			{"the issuer verifies before a submission", staffA, TaskTransition{Action: "verify"}, 409},
			{"the branch closes", secA1, TaskTransition{Action: "close"}, 403},
			{"submit without the evidence note", secA1, TaskTransition{Action: "submit"}, 422},
			{"an unknown action", secA1, TaskTransition{Action: "finish"}, 422},
		} {
			before := e.snapshot(stats)
			_, err := e.s.Move(e.ctx, c.sc, a1, c.tr)
			if status(err) != c.status {
				t.Errorf("%s: %v, want %d", c.name, err, c.status)
			}
			if e.snapshot(stats) != before {
				t.Errorf("%s changed the figures", c.name)
			}
		}
		if a := e.move(secA1, a1, "submit", "见附件清单"); a.State != Submitted || a.Note != "见附件清单" || len(a.Actions) != 0 {
			t.Fatalf("submitted: %+v", a)
		}
		if _, err := e.s.Move(e.ctx, secA1, a1, TaskTransition{Action: "verify"}); status(err) != 403 {
			t.Fatalf("the branch verifies its own: %v", err)
		}
		if _, err := e.s.Move(e.ctx, staffA, a1, TaskTransition{Action: "return"}); status(err) != 422 {
			t.Fatalf("return without a reason: %v", err)
		}
		if a := e.move(staffA, a1, "return", "请补充照片以外的材料"); a.State != Returned || a.Reason == "" {
			t.Fatalf("returned: %+v", a)
		}
		e.move(secA1, a1, "start")
		e.move(secA1, a1, "submit", "已补充")
		if a := e.move(staffA, a1, "verify"); a.State != Verified {
			t.Fatalf("verified: %+v", a)
		}
		if _, err := e.s.Move(e.ctx, staffA, a1, TaskTransition{Action: "verify"}); status(err) != 409 {
			t.Fatalf("verify twice: %v", err)
		}
		e.move(staffA, a1, "close")
		e.assertRecount()
		// The card: A2's secretary has A2's assignment to do; A's staff have none left to verify.
		m, err := e.s.Mine(e.ctx, secA2)
		if err != nil || m.Todo.Total != 1 || m.Todo.Items[0].OrgID != e.ids["A2"] || m.Verify.Total != 0 {
			t.Fatalf("A2's card: %+v %v", m, err)
		}
		e.move(secA2, e.assignmentOf(task, "A2"), "submit", "好")
		if m, _ := e.s.Mine(e.ctx, staffA); m.Verify.Total != 1 || m.Verify.Items[0].Actions[0] != "verify" {
			t.Fatalf("A's card: %+v", m)
		}
	})
}

// Bad tasks are refused naming the field, and nothing is written.
func TestIssueValidation(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ok := NewTask{Title: "任务", DueDate: "2026-12-31", To: TaskSelector{Children: true}}
		for _, c := range []struct {
			field string
			edit  func(*NewTask)
		}{
			{"title", func(t *NewTask) { t.Title = " " }},
			{"due_date", func(t *NewTask) { t.Cycle, t.Year = Monthly, 2026 }},
			{"due_date", func(t *NewTask) { t.DueDate = "" }},
			{"due_date", func(t *NewTask) { t.DueDate = "2026-13-01" }},
			{"due_date", func(t *NewTask) { t.DueDate = "2026-11-19" }},
			{"cycle", func(t *NewTask) { t.DueDate, t.Cycle, t.Year = "", "weekly", 2026 }},
			{"year", func(t *NewTask) { t.DueDate, t.Cycle, t.Year = "", Monthly, 2025 }},
			{"lead_days", func(t *NewTask) { t.DueDate, t.Cycle, t.Year, t.LeadDays = "", Monthly, 2026, 40 }},
			{"to", func(t *NewTask) { t.To = TaskSelector{} }},
			{"to.kinds", func(t *NewTask) { t.To = TaskSelector{Kinds: []string{"club"}} }},
			{"to.field", func(t *NewTask) { t.To = TaskSelector{Field: "space"} }},
			{"to.org_ids", func(t *NewTask) { t.To = TaskSelector{OrgIDs: []int64{e.ids["B1"]}} }},
			{"to", func(t *NewTask) { t.To = TaskSelector{Children: true, Kinds: []string{"temp_branch"}} }},
			{"weight", func(t *NewTask) { t.Weight = -1 }},
		} {
			nt := ok
			c.edit(&nt)
			_, err := e.s.Issue(e.ctx, auth.System(), e.ids["A"], nt)
			if status(err) != 422 || fieldOf(err) != c.field {
				t.Errorf("%s: %v", c.field, err)
			}
		}
		var n int
		_ = d.QueryRow(e.ctx, `SELECT COUNT(*) FROM tasks`).Scan(&n)
		if n != 0 {
			t.Fatalf("refused tasks were written: %d", n)
		}
		if _, err := e.s.Issue(e.ctx, e.as(auth.RoleSecretary, "A1"), e.ids["A"], ok); status(err) != 403 {
			t.Fatalf("a branch issues for its street: %v", err)
		}
		if _, err := e.s.Issue(e.ctx, e.as(auth.RoleViewer, "A"), e.ids["A"], ok); status(err) != 403 {
			t.Fatalf("a viewer issues: %v", err)
		}
	})
}

// A cycle makes one assignment per period still due; the year's figures and the drill-down
// add up, and the workbook holds the same figures.
func TestCycleDrillDownAndExport(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		q := e.issue("R", NewTask{Title: "季度学习", Cycle: Quarterly, Year: 2026, To: TaskSelector{Kinds: branches}})
		m := e.issue("R", NewTask{Title: "月度主题党日", Cycle: Monthly, Year: 2026, LeadDays: 5, To: TaskSelector{Field: "rural", Kinds: branches}})
		if q.Assignments != 3 || m.Assignments != 2*2 { // Q4 only; Nov (due 11-25) and Dec for A2 and B1
			t.Fatalf("cycle assignments: %d %d", q.Assignments, m.Assignments)
		}
		var due string
		_ = d.QueryRow(e.ctx, `SELECT MIN(due_date) FROM task_assignments WHERE task_id = ?`, m.Task.ID).Scan(&due)
		if due != "2026-11-25" {
			t.Fatalf("monthly due with 5 lead days: %s", due)
		}
		sys := auth.System()
		e.move(sys, e.assignmentOf(m.Task.ID, "B1"), "submit", "好")
		e.move(sys, e.assignmentOf(m.Task.ID, "B1"), "verify")
		yc, err := e.s.YearCompletion(e.ctx, sys, e.ids["R"], 2026, httpx.Page{Page: 1, Size: 10})
		if err != nil || yc.Figures.Total != 7 || yc.Figures.Done != 1 || yc.Children.Total != 2 {
			t.Fatalf("year at R: %+v %v", yc, err)
		}
		if empty, err := e.s.YearCompletion(e.ctx, sys, e.ids["R"], 2030, httpx.Page{Page: 1, Size: 10}); err != nil || empty.Children.Items == nil {
			t.Fatalf("a year without tasks must list no children as [], not null: %+v %v", empty, err)
		}
		sum := 0
		for _, c := range yc.Children.Items {
			sum += c.Figures.Total
		}
		if sum != 7 {
			t.Fatalf("children add to %d", sum)
		}
		ch, err := e.s.Children(e.ctx, sys, m.Task.ID, e.ids["R"], httpx.Page{Page: 1, Size: 1})
		if err != nil || ch.Total != 2 || len(ch.Items) != 1 || ch.Items[0].OrgID != e.ids["A"] || ch.Items[0].Figures.Total != 2 {
			t.Fatalf("drill-down page 1: %+v %v", ch, err)
		}
		list, err := e.s.List(e.ctx, e.as(auth.RoleViewer, "A"), e.ids["A"], 2026, httpx.Page{Page: 1, Size: 10})
		if err != nil || list.Total != 2 || list.Items[0].Figures.Total != 2 {
			t.Fatalf("A's list: %+v %v", list, err)
		}
		if _, err := e.s.Read(e.ctx, e.as(auth.RoleStaff, "B"), q.Task.ID, e.ids["A"]); status(err) != 404 {
			t.Fatalf("B reads at A: %v", err)
		}
		var buf bytes.Buffer
		if err := e.s.Export(e.ctx, sys, m.Task.ID, e.ids["R"], &buf); err != nil {
			t.Fatal(err)
		}
		wb, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := wb.GetRows("汇总")
		if len(rows) != 5 || rows[2][1] != "4" || rows[2][2] != "1" || rows[4][1] != "2" {
			t.Fatalf("summary sheet: %v", rows)
		}
		det, _ := wb.GetRows("明细")
		if len(det) != 5 || det[1][3] == "" {
			t.Fatalf("detail sheet: %v", det)
		}
		e.assertRecount()
	})
}

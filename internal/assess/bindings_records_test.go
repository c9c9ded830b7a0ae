package assess

import (
	"strings"
	"testing"

	"dangjian/internal/commitment"
	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/rectify"
	"dangjian/internal/tasks"
)

const recordsSet = `id: records-test
name: 记录绑定测试
version: "2026.1"
year: 2026
source: 测试
applies_to:
  kinds: [branch]
publicity_days: 5
valid_months: 12
dimensions:
  - code: work
    name: 工作
    indicators:
      - {code: tasks, name: 任务完成率, method: count, max: 40, target: 1, evidence: record, binding: tasks.completion_rate}
      - {code: rectify, name: 整改销号, method: count, max: 30, target: 1, evidence: record, binding: rectify.closed_share}
      - {code: commitments, name: 践诺, method: count, max: 30, target: 1, evidence: record, binding: commitments.kept_share}
bands:
  - {min: 60, stars: 1, name: 一星}
`

// The bindings to other modules' records: A1 completed one of its two tasks, closed one of
// two rectification items due, kept one of its two commitments; A2 has two tasks, open, and
// nothing else (nothing owed: 1). The values, details and links arrive in the round's data
// stage, computed for the whole round at once.
func TestRecordBindings(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		ts := &tasks.Store{DB: d, Clock: e.clock}
		rs := &rectify.Store{DB: d, Clock: e.clock}
		cs := &commitment.Store{DB: d, Clock: e.clock}
		staffA, secA1 := e.staff("A"), e.secretary("A1")
		var a1Tasks []int64
		for _, title := range []string{"报送案例", "开展主题党日"} {
			res, err := ts.Issue(e.ctx, staffA, e.orgs["A"], tasks.NewTask{Title: title, DueDate: "2026-12-15", To: tasks.TaskSelector{Children: true}})
			if err != nil {
				t.Fatal(err)
			}
			var id int64
			if err := d.QueryRow(e.ctx, `SELECT id FROM task_assignments WHERE task_id = ? AND org_id = ?`, res.Task.ID, e.orgs["A1"]).Scan(&id); err != nil {
				t.Fatal(err)
			}
			a1Tasks = append(a1Tasks, id)
		}
		if _, err := ts.Move(e.ctx, secA1, a1Tasks[0], tasks.TaskTransition{Action: "submit", Note: "已报送"}); err != nil {
			t.Fatal(err)
		}
		if _, err := ts.Move(e.ctx, staffA, a1Tasks[0], tasks.TaskTransition{Action: "verify"}); err != nil {
			t.Fatal(err)
		}
		a1 := &org.Ref{ID: e.orgs["A1"], Path: e.path("A1")}
		var items []int64
		for _, due := range []string{"2026-11-20", "2026-11-20", "2027-03-31"} {
			if err := d.InTx(e.ctx, func(tx *db.Tx) error {
				id, err := rs.Create(e.ctx, tx, staffA, a1, "test", 1, rectify.NewItem{Problem: "问题" + due, OwnerName: "书记", DueDate: due})
				items = append(items, id)
				return err
			}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := rs.Act(e.ctx, secA1, items[0], "submit", rectify.Step{Text: "已整改"}); err != nil {
			t.Fatal(err)
		}
		if _, err := rs.Act(e.ctx, staffA, items[0], "close", rectify.Step{}); err != nil {
			t.Fatal(err)
		}
		for i, content := range []string{"每月为独居老人服务一次", "带头垃圾分类"} {
			c, err := cs.Draft(e.ctx, secA1, commitment.NewCommitment{MemberID: e.members["m1"], Category: "service", Content: content, DueDate: "2026-12-20"})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := cs.Confirm(e.ctx, secA1, c.ID); err != nil {
				t.Fatal(err)
			}
			if i == 0 {
				if _, err := cs.Record(e.ctx, secA1, c.ID, commitment.CommitmentOutcome{Result: commitment.Kept, Note: "全年服务12次"}); err != nil {
					t.Fatal(err)
				}
			}
		}
		v, err := e.as.PublishSet(e.ctx, auth.System(), e.orgs["R"], []byte(recordsSet))
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.as.Open(e.ctx, staffA, e.orgs["A"], NewRound{SetID: v.RowID, Name: "2026年度测试", SelfTo: "2026-11-25", ReviewTo: "2026-11-27", AwardOn: "2026-12-10"})
		if err != nil {
			t.Fatal(err)
		}
		type got struct {
			value        float64
			detail, link string
		}
		read := func(key, code string) got {
			var g got
			if err := d.QueryRow(e.ctx, `SELECT value, detail, link FROM assess_values WHERE round_id = ? AND org_id = ? AND code = ? AND stage = ?`,
				r.ID, e.orgs[key], code, StageData).Scan(&g.value, &g.detail, &g.link); err != nil {
				t.Fatalf("%s %s: %v", key, code, err)
			}
			return g
		}
		for _, c := range []struct {
			key, code string
			value     float64
			detail    string
			link      string
		}{
			{"A1", "tasks", 0.5, "年度任务 2 项，已完成 1 项", "/tasks?org="},
			{"A2", "tasks", 0, "年度任务 2 项，已完成 0 项", "/tasks?org="},
			{"A1", "rectify", 0.5, "年内到期整改事项 2 项，已销号 1 项", "/rectify?org="},
			{"A2", "rectify", 1, "年内到期整改事项 0 项", "/rectify?org="},
			{"A1", "commitments", 0.5, "年度承诺 2 项，已践诺 1 项", "/service/board/"},
			{"A2", "commitments", 1, "年度承诺 0 项", "/service/board/"},
		} {
			g := read(c.key, c.code)
			if g.value != c.value || !strings.HasPrefix(g.detail, c.detail) || !strings.HasPrefix(g.link, c.link) {
				t.Errorf("%s %s = %+v, want %v %q %q", c.key, c.code, g, c.value, c.detail, c.link)
			}
		}
		// The totals follow: A1 = 40×0.5 + 30×0.5 + 30×0.5 = 50.
		var total float64
		if err := d.QueryRow(e.ctx, `SELECT total FROM assess_orgs WHERE round_id = ? AND org_id = ?`, r.ID, e.orgs["A1"]).Scan(&total); err != nil {
			t.Fatal(err)
		}
		if total != 50 {
			t.Errorf("A1 total %v, want 50", total)
		}
	})
}

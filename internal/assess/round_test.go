package assess

import (
	"strconv"
	"strings"
	"testing"

	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

func line(sh *Sheet, code string) Line {
	for _, l := range sh.Lines {
		if l.Code == code {
			return l
		}
	}
	return Line{}
}

// Opening computes the bound indicators from our records, each with its detail and a link to
// the records; organizations outside the set's fields or the street are not enrolled.
func TestOpenBindsOurRecords(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := e.open()
		if r.Total != 2 || r.Progress[Pending] != 2 {
			t.Fatalf("enrolled %d, progress %v", r.Total, r.Progress)
		}
		sh, err := e.as.Sheet(e.ctx, e.staff("A"), r.ID, e.orgs["A1"])
		if err != nil {
			t.Fatal(err)
		}
		att := line(sh, "attendance")
		if att.Data == nil || att.Data.Value != 0.6667 || !strings.Contains(att.Data.Detail, "应到 3 人次，实到 2 人次") || att.Data.Link != "/orgs/"+itoa(e.orgs["A1"])+"/life?period=2026" {
			t.Fatalf("attendance: %+v", att.Data)
		}
		met := line(sh, "life_met")
		if met.Data == nil || met.Data.Value <= 0 || met.Data.Value >= 1 || !strings.Contains(met.Data.Detail, "已落实") {
			t.Fatalf("rules met: %+v", met.Data)
		}
		a2, _ := e.as.Sheet(e.ctx, e.staff("A"), r.ID, e.orgs["A2"])
		if v := line(a2, "life_met").Data; v == nil || v.Value != 0 {
			t.Fatalf("A2 held nothing: %+v", v)
		}
		if v := line(a2, "attendance").Data; v == nil || v.Value != 0 {
			t.Fatalf("A2 attendance: %+v", v)
		}
		// The data stage is scored at once: the ranking has A1 above A2.
		rk, err := e.as.Ranking(e.ctx, e.staff("A"), r.ID, httpx.Page{Page: 1, Size: 50})
		if err != nil || len(rk.Items) != 2 || rk.Items[0].OrgID != e.orgs["A1"] || rk.Items[0].Total <= rk.Items[1].Total || rk.Items[0].Rank != 1 {
			t.Fatalf("ranking %+v %v", rk, err)
		}
		// A secretary of A1 reads their own sheet, not A2's nor the round's ranking.
		if _, err := e.as.Sheet(e.ctx, e.secretary("A1"), r.ID, e.orgs["A1"]); err != nil {
			t.Fatal(err)
		}
		if _, err := e.as.Sheet(e.ctx, e.secretary("A1"), r.ID, e.orgs["A2"]); status(err) != 404 {
			t.Fatalf("other sheet: %v", err)
		}
		if _, err := e.as.Ranking(e.ctx, e.secretary("A1"), r.ID, httpx.Page{Page: 1, Size: 50}); status(err) != 404 {
			t.Fatalf("ranking as secretary: %v", err)
		}
		// B's staff cannot open a round at A, nor with a set not in force at B... at A it is.
		if _, err := e.as.Open(e.ctx, e.staff("B"), e.orgs["A"], NewRound{SetID: r.SetID, Name: "x", SelfTo: "2026-11-25", ReviewTo: "2026-11-27", AwardOn: "2026-12-10"}); status(err) != 403 {
			t.Fatalf("B opens at A: %v", err)
		}
		// A narrower selection within the set's: branches only (A1, A2), not the committee kinds.
		if nr, err := e.as.Open(e.ctx, e.staff("A"), e.orgs["A"], NewRound{SetID: r.SetID, Name: "支部", Kinds: []string{"branch"}, SelfTo: "2026-11-25", ReviewTo: "2026-11-27", AwardOn: "2026-12-10"}); err != nil || nr.Total != 2 {
			t.Fatalf("kinds within the set's: %v", err)
		}
		if _, err := e.as.Open(e.ctx, e.staff("A"), e.orgs["A"], NewRound{SetID: r.SetID, Name: "小组", Kinds: []string{"group"}, SelfTo: "2026-11-25", ReviewTo: "2026-11-27", AwardOn: "2026-12-10"}); status(err) != 422 || !strings.Contains(fieldsOf(err), "kinds") {
			t.Fatalf("kinds outside the set's: %v", err)
		}
		// Bad input names the fields and changes nothing.
		before := count(t, e, `SELECT COUNT(*) FROM assess_rounds`)
		_, err = e.as.Open(e.ctx, e.staff("A"), e.orgs["A"], NewRound{SetID: 999, Name: " ", SelfTo: "2026-13-01", ReviewTo: "2026-11-27", AwardOn: "2026-12-10", Fields: []string{"community"}})
		if status(err) != 422 || !strings.Contains(fieldsOf(err), "name") || !strings.Contains(fieldsOf(err), "self_to") || !strings.Contains(fieldsOf(err), "set_id") {
			t.Fatalf("bad round: %v", err)
		}
		if count(t, e, `SELECT COUNT(*) FROM assess_rounds`) != before {
			t.Fatal("a refused round was stored")
		}
	})
}

func count(t *testing.T, e *env, q string, args ...any) int {
	t.Helper()
	var n int
	if err := e.db.QueryRow(e.ctx, q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The whole life of a round: self-assessment (a departure from our data needs a note), submit,
// review kept apart (both visible, the change marked), return, resubmit, veto with reason,
// approval, 公示 with an objection, award refused early and with the objection open, award,
// 摘星 and restore with the history.
func TestRoundLifecycle(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := newEnv(t, d)
		r := e.open()
		a1, a2 := e.orgs["A1"], e.orgs["A2"]
		sec, staff := e.secretary("A1"), e.staff("A")
		// Self: departing from our attendance figure without a note is refused, naming the field.
		_, err := e.as.SaveSelf(e.ctx, sec, r.ID, a1, Values{Items: []ValueIn{{Code: "attendance", Value: 0.9}}})
		if status(err) != 422 || !strings.Contains(fieldsOf(err), "items[0].note") {
			t.Fatalf("no note: %v", err)
		}
		_, err = e.as.SaveSelf(e.ctx, sec, r.ID, a1, Values{Items: []ValueIn{{Code: "environment", Value: 12}}})
		if status(err) != 422 || !strings.Contains(fieldsOf(err), "items[0].evidence") {
			t.Fatalf("no evidence: %v", err)
		}
		for _, bad := range []ValueIn{{Code: "party_bonus", Value: 1}, {Code: "nope", Value: 1}, {Code: "income", Value: 2}, {Code: "environment", Value: 16, Evidence: "x"}} {
			if _, err := e.as.SaveSelf(e.ctx, sec, r.ID, a1, Values{Items: []ValueIn{bad}}); status(err) != 422 {
				t.Fatalf("%+v accepted: %v", bad, err)
			}
		}
		if _, err := e.as.SaveSelf(e.ctx, e.secretary("A2"), r.ID, a1, Values{Items: []ValueIn{{Code: "income", Value: 1, Evidence: "x"}}}); status(err) != 403 {
			t.Fatalf("A2's secretary writes A1: %v", err)
		}
		sh, err := e.as.SaveSelf(e.ctx, sec, r.ID, a1, Values{Items: []ValueIn{
			{Code: "income", Value: 1, Evidence: "村集体经济年报.pdf"},
			{Code: "environment", Value: 14, Evidence: "检查通报"},
			{Code: "disputes", Value: 15, Evidence: "台账"},
			{Code: "civility", Value: 18, Evidence: "活动记录"},
			{Code: "attendance", Value: 0.9, Note: "3 月另有一次补学未登记"}}})
		if err != nil {
			t.Fatal(err)
		}
		selfTotal := sh.Self.Total
		if line(sh, "attendance").Data.Value != 0.6667 || line(sh, "attendance").Self.Value != 0.9 || line(sh, "attendance").SelfScore != 5 {
			t.Fatalf("self beside data: %+v", line(sh, "attendance"))
		}
		// The reviewer cannot review before the submission.
		if _, err := e.as.SaveReview(e.ctx, staff, r.ID, a1, Values{Items: []ValueIn{{Code: "civility", Value: 15, Note: "x"}}}); status(err) != 409 {
			t.Fatalf("review before submit: %v", err)
		}
		if _, err := e.as.Submit(e.ctx, sec, r.ID, a1); err != nil {
			t.Fatal(err)
		}
		// The secretary may not review; the street's staff may, with a comment on each change.
		if _, err := e.as.SaveReview(e.ctx, sec, r.ID, a1, Values{Items: []ValueIn{{Code: "civility", Value: 15, Note: "x"}}}); status(err) != 403 {
			t.Fatalf("secretary reviews: %v", err)
		}
		if _, err := e.as.SaveReview(e.ctx, staff, r.ID, a1, Values{Items: []ValueIn{{Code: "civility", Value: 15}}}); status(err) != 422 {
			t.Fatalf("change without comment: %v", err)
		}
		sh, err = e.as.SaveReview(e.ctx, staff, r.ID, a1, Values{Items: []ValueIn{{Code: "civility", Value: 15, Note: "志愿服务记录不全"}}})
		if err != nil {
			t.Fatal(err)
		}
		civ := line(sh, "civility")
		if civ.Self.Value != 18 || civ.Review.Value != 15 || !civ.Changed || civ.SelfScore != 18 || civ.ReviewScore != 15 || sh.Self.Total != selfTotal || sh.Review.Total != selfTotal-3 {
			t.Fatalf("review kept apart: %+v self %v review %v", civ, sh.Self.Total, sh.Review.Total)
		}
		// Return, then the organization corrects and resubmits; the review stays on record.
		if _, err := e.as.Return(e.ctx, staff, r.ID, a1, Reason{}); status(err) != 422 {
			t.Fatalf("return without reason: %v", err)
		}
		if sh, err = e.as.Return(e.ctx, staff, r.ID, a1, Reason{Reason: "请补充人居环境检查材料"}); err != nil || sh.State != Returned || sh.Note == "" {
			t.Fatalf("return: %v %+v", err, sh)
		}
		if _, err := e.as.SaveSelf(e.ctx, sec, r.ID, a1, Values{Items: []ValueIn{{Code: "environment", Value: 15, Evidence: "补充检查通报"}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := e.as.Submit(e.ctx, sec, r.ID, a1); err != nil {
			t.Fatal(err)
		}
		// A veto needs its reason; with it the total is 0 and no star.
		if _, err := e.as.SaveReview(e.ctx, staff, r.ID, a1, Values{Items: []ValueIn{{Code: "petition", Value: 1}}}); status(err) != 422 {
			t.Fatalf("veto without reason: %v", err)
		}
		sh, err = e.as.SaveReview(e.ctx, staff, r.ID, a1, Values{Items: []ValueIn{{Code: "petition", Value: 1, Note: "6 月发生越级集访，经核实"}}})
		if err != nil || sh.Review.Total != 0 || sh.Review.Stars != 0 || len(sh.Vetoes) != 1 || sh.Vetoes[0].Note == "" || sh.Vetoes[0].Reason == "" || sh.Review.Raw == 0 {
			t.Fatalf("veto: %v %+v", err, sh.Review)
		}
		// The reviewer withdraws the veto (a new value, the old one stays in the rows).
		if sh, err = e.as.SaveReview(e.ctx, staff, r.ID, a1, Values{Items: []ValueIn{{Code: "petition", Value: 0, Note: "复核：系误报"}}}); err != nil || sh.Review.Total == 0 {
			t.Fatalf("veto lifted: %v", err)
		}
		if n := count(t, e, `SELECT COUNT(*) FROM assess_values WHERE round_id = ? AND org_id = ? AND code = 'petition'`, r.ID, a1); n != 2 {
			t.Fatalf("veto rows %d, want 2 (append-only)", n)
		}
		if _, err := e.as.Approve(e.ctx, staff, r.ID, a1); err != nil {
			t.Fatal(err)
		}
		// 公示 waits for every organization.
		if _, err := e.as.Publish(e.ctx, staff, r.ID); status(err) != 409 {
			t.Fatalf("publicity with A2 pending: %v", err)
		}
		if _, err := e.as.Submit(e.ctx, e.secretary("A2"), r.ID, a2); err != nil {
			t.Fatal(err)
		}
		if _, err := e.as.Approve(e.ctx, staff, r.ID, a2); err != nil {
			t.Fatal(err)
		}
		rd, _ := e.as.Round(e.ctx, staff, r.ID)
		if rd.Progress[Reviewed] != 2 || rd.Progress[Pending] != 0 || rd.Progress[Submitted] != 0 || rd.Progress[Returned] != 0 {
			t.Fatalf("progress %v", rd.Progress)
		}
		pub, err := e.as.Publish(e.ctx, staff, r.ID)
		if err != nil || pub.Notice == nil || pub.Notice.WorkingDays != 5 || pub.Notice.From != "2026-11-20" || pub.Notice.To != "2026-11-26" {
			t.Fatalf("publicity: %v %+v", err, pub)
		}
		// Objections: only against an organization of the round the caller reads.
		if _, err := e.as.Object(e.ctx, e.staff("B"), r.ID, NewObjection{OrgID: a2, Text: "x"}); status(err) != 403 {
			t.Fatalf("B objects: %v", err)
		}
		obj, err := e.as.Object(e.ctx, e.secretary("A2"), r.ID, NewObjection{OrgID: a2, Text: "本村集体经济收入数据有误"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.as.Award(e.ctx, staff, r.ID); status(err) != 409 {
			t.Fatalf("award during the window: %v", err)
		}
		e.clock.Set(e.clock.Now().AddDate(0, 0, 7)) // 2026-11-27: the window has ended
		if _, err := e.as.Award(e.ctx, staff, r.ID); status(err) != 409 {
			t.Fatalf("award with an open objection: %v", err)
		}
		if _, err := e.as.Answer(e.ctx, staff, r.ID, obj.ID, AnswerIn{Upheld: true, Answer: "经核实数据有误，暂缓授星"}); err != nil {
			t.Fatal(err)
		}
		rd, err = e.as.Award(e.ctx, staff, r.ID)
		if err != nil || rd.State != RoundAwarded || rd.Progress[Awarded] != 2 {
			t.Fatalf("award: %v %+v", err, rd)
		}
		st, err := StarOf(e.ctx, e.db, a1, "2026-12-15")
		if err != nil || st.Stars == 0 || st.ValidUntil != "2027-12-09" || len(st.History) != 1 {
			t.Fatalf("A1 star: %v %+v", err, st)
		}
		if st2, _ := StarOf(e.ctx, e.db, a2, "2026-12-15"); st2.Stars != 0 || !strings.Contains(st2.History[0].Reason, "公示异议成立") {
			t.Fatalf("A2 withheld: %+v", st2)
		}
		if late, _ := StarOf(e.ctx, e.db, a1, "2027-12-10"); late.Stars != 0 || !late.Expired {
			t.Fatalf("expired: %+v", late)
		}
		// 摘星 and restore: reasons required, the awarding level only, full history.
		if _, err := e.as.Withdraw(e.ctx, sec, a1, StarChange{Reason: "x"}); status(err) != 403 {
			t.Fatalf("secretary withdraws: %v", err)
		}
		if _, err := e.as.Withdraw(e.ctx, staff, a1, StarChange{}); status(err) != 422 {
			t.Fatalf("withdraw without reason: %v", err)
		}
		if _, err := e.as.Restore(e.ctx, staff, a1, StarChange{Reason: "x"}); status(err) != 409 {
			t.Fatalf("restore of a held star: %v", err)
		}
		w, err := e.as.Withdraw(e.ctx, staff, a1, StarChange{Reason: "发生安全事故"})
		if err != nil || w.Stars != 0 || !w.Withdrawn {
			t.Fatalf("withdraw: %v %+v", err, w)
		}
		if _, err := e.as.Withdraw(e.ctx, staff, a1, StarChange{Reason: "again"}); status(err) != 409 {
			t.Fatalf("withdraw twice: %v", err)
		}
		back, err := e.as.Restore(e.ctx, staff, a1, StarChange{Reason: "整改到位，经复核恢复"})
		if err != nil || back.Stars != st.Stars || back.ValidUntil != st.ValidUntil || len(back.History) != 3 ||
			back.History[0].Kind != EventRestore || back.History[1].Kind != EventWithdraw || back.History[2].Kind != EventAward {
			t.Fatalf("restore: %v %+v", err, back)
		}
		if n := count(t, e, `SELECT COUNT(*) FROM audit WHERE entity IN ('assess_round', 'org') AND action LIKE 'assess_%'`); n < 10 {
			t.Fatalf("audit entries %d", n)
		}
	})
}
func itoa(n int64) string { return strconv.FormatInt(n, 10) }

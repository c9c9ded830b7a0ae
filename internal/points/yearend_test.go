package points

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"dangjian/internal/calendar"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/publicity"
)

// yearEnv is env with the 公示 wired, the example scheme published at the root and the
// clock on 2026-09-29 (a Tuesday, CST), two days before the National Day holiday.
func yearEnv(t *testing.T, d *db.DB) *env {
	e := newEnv(t, d)
	e.pts.Publicity = &publicity.Store{DB: d, Clock: e.clock, Cal: &calendar.Store{DB: d, Clock: e.clock}}
	e.setClock(time.Date(2026, 9, 29, 2, 0, 0, 0, time.UTC))
	e.publish("R", ExampleText())
	return e
}

func (e *env) rating(by *BranchYear, memberKey string) Rating {
	e.t.Helper()
	for _, r := range by.Ratings {
		if r.MemberID == e.members[memberKey] {
			return r
		}
	}
	e.t.Fatalf("%s is not rated: %+v", memberKey, by.Ratings)
	return Rating{}
}

// ratingsDigest is every rating and star event, to show that a refusal changed nothing.
func (e *env) ratingsDigest() string {
	return e.snapshot(`SELECT id, stars, state, reason FROM points_reviews`) + "|" +
		e.snapshot(`SELECT id, kind, stars, reason FROM points_star_events`) + "|" +
		e.snapshot(`SELECT id, state, COALESCE(notice_id, 0), year FROM points_yearends`)
}

// TestYearEnd: compute → review (a change needs a reason) → 公示 across the National Day
// holiday → objections (only members of the branch, only in the window) → answers → confirm
// (refused while an objection is open) → 摘星 and restore with the history; StarsOf reads
// the result for 民主评议.
func TestYearEnd(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := yearEnv(t, d)
		sec := e.secretary("A1")
		e.approve("m1", "volunteer", "2026-03-01") // 62
		e.enter("m2", "absence", "2026-04-01")     // 55: no band
		if _, err := e.pts.Compute(e.ctx, e.secretary("A2"), e.orgs["A1"], NewYearEnd{Year: 2026}); status(err) != 403 {
			t.Fatalf("another branch computing: %v", err)
		}
		if _, err := e.pts.Compute(e.ctx, sec, e.orgs["A1"], NewYearEnd{Year: 2027}); status(err) != 422 {
			t.Fatalf("a future year: %v", err)
		}
		by, err := e.pts.Compute(e.ctx, sec, e.orgs["A1"], NewYearEnd{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		m1, m2 := e.rating(by, "m1"), e.rating(by, "m2")
		if len(by.Ratings) != 3 || by.Unreviewed != 3 || by.State != YearReview || by.PublicityDays != 5 ||
			m1.Total != 62 || m1.ProposedStars != 1 || m2.Total != 55 || m2.ProposedStars != 0 || !by.CanManage {
			t.Fatalf("computed: %+v", by)
		}
		// The member does not see the draft.
		if _, err := e.pts.YearOf(e.ctx, e.own("m2"), e.orgs["A1"], 2026); status(err) != 404 {
			t.Fatalf("a member reading the draft: %v", err)
		}
		if _, err := e.pts.StartPublicity(e.ctx, sec, by.ID, PublicityStart{}); status(err) != 409 {
			t.Fatalf("公示 with members unreviewed: %v", err)
		}
		// An adjustment needs a reason; a refused batch changes nothing.
		before := e.ratingsDigest()
		_, err = e.pts.Review(e.ctx, sec, by.ID, RatingReview{Items: []RatingItem{{MemberID: e.members["m2"], Stars: 0}, {MemberID: e.members["m1"], Stars: 5}}})
		if status(err) != 422 || !strings.Contains(err.Error(), "items[1].reason") {
			t.Fatalf("adjusting without a reason: %v", err)
		}
		if _, err := e.pts.Review(e.ctx, sec, by.ID, RatingReview{Items: []RatingItem{{MemberID: e.members["m1"], Stars: 7, Reason: "x"}}}); status(err) != 422 {
			t.Fatalf("seven stars: %v", err)
		}
		if e.ratingsDigest() != before {
			t.Fatal("a refused review changed ratings")
		}
		by, err = e.pts.Review(e.ctx, sec, by.ID, RatingReview{Items: []RatingItem{{MemberID: e.members["m1"], Stars: 5, Reason: "抗疫志愿服务表现突出"}}})
		if err != nil {
			t.Fatal(err)
		}
		if r := e.rating(by, "m1"); r.Stars != 5 || r.ProposedStars != 1 || r.Reason != "抗疫志愿服务表现突出" || r.State != RatingReviewed || by.Unreviewed != 2 {
			t.Fatalf("adjusted: %+v", by)
		}
		if len(by.Warnings) != 1 || by.Warnings[0].Stars != 5 || by.Warnings[0].Count != 1 || !strings.Contains(by.Warnings[0].Message, "仅提示") {
			t.Fatalf("share warning: %+v", by.Warnings)
		}
		if by, err = e.pts.Review(e.ctx, sec, by.ID, RatingReview{AcceptProposed: true}); err != nil || by.Unreviewed != 0 {
			t.Fatalf("accept proposed: %+v %v", by, err)
		}
		// A total changed after the review: recomputing sends that rating back to review only.
		e.approve("m2", "volunteer", "2026-05-01")
		if by, err = e.pts.Compute(e.ctx, sec, e.orgs["A1"], NewYearEnd{Year: 2026}); err != nil || by.Unreviewed != 1 ||
			e.rating(by, "m2").Total != 57 || e.rating(by, "m2").State != RatingProposed || e.rating(by, "m1").Stars != 5 || e.rating(by, "m1").State != RatingReviewed {
			t.Fatalf("recomputed: %+v %v", by, err)
		}
		if by, err = e.pts.Review(e.ctx, sec, by.ID, RatingReview{AcceptProposed: true}); err != nil || by.Unreviewed != 0 {
			t.Fatalf("accept proposed again: %+v %v", by, err)
		}
		// 公示: 5 working days from Tue 29 Sep skip 1–7 Oct and count Sat 10 Oct (a make-up working day).
		by, err = e.pts.StartPublicity(e.ctx, sec, by.ID, PublicityStart{})
		if err != nil {
			t.Fatal(err)
		}
		if p := by.Publicity; by.State != YearPublicity || p.From != "2026-09-29" || p.To != "2026-10-10" || p.WorkingDays != 5 || !p.InWindow {
			t.Fatalf("公示: %+v %+v", by, by.Publicity)
		}
		if _, err := e.pts.Review(e.ctx, sec, by.ID, RatingReview{AcceptProposed: true}); status(err) != 409 {
			t.Fatalf("reviewing during the 公示: %v", err)
		}
		// The member sees it now, without the others' objections.
		if mv, err := e.pts.YearOf(e.ctx, e.own("m2"), e.orgs["A1"], 2026); err != nil || !mv.CanObject || mv.CanManage || len(mv.Ratings) != 3 {
			t.Fatalf("member's view: %+v %v", mv, err)
		}
		// Objections: a member of the branch on another's rating; not the secretary's account, not another branch's member.
		ob, err := e.pts.Object(e.ctx, e.own("m2"), by.ID, NewObjection{MemberID: e.members["m1"], Text: "五星依据不足"})
		if err != nil || ob.State != "open" || ob.MemberName == "" {
			t.Fatalf("objection: %+v %v", ob, err)
		}
		if _, err := e.pts.Object(e.ctx, sec, by.ID, NewObjection{MemberID: e.members["m1"], Text: "x"}); status(err) != 403 || !strings.Contains(err.Error(), "not_branch_member") {
			t.Fatalf("the secretary objecting: %v", err)
		}
		if _, err := e.pts.Object(e.ctx, e.own("b1"), by.ID, NewObjection{MemberID: e.members["m1"], Text: "x"}); status(err) != 403 {
			t.Fatalf("another branch's member objecting: %v", err)
		}
		if _, err := e.pts.Object(e.ctx, e.own("m2"), by.ID, NewObjection{MemberID: e.members["m2"], Text: "  "}); status(err) != 422 {
			t.Fatalf("an empty objection: %v", err)
		}
		// Still in the window on 9 Oct (holidays not counted): confirming is refused.
		e.setClock(time.Date(2026, 10, 9, 2, 0, 0, 0, time.UTC))
		if _, err := e.pts.Confirm(e.ctx, sec, by.ID); status(err) != 409 {
			t.Fatalf("confirming inside the window: %v", err)
		}
		// After the window: no new objection; confirming is refused while one is open.
		e.setClock(time.Date(2026, 10, 12, 2, 0, 0, 0, time.UTC))
		before = e.ratingsDigest()
		if _, err := e.pts.Object(e.ctx, e.own("m2"), by.ID, NewObjection{MemberID: e.members["m2"], Text: "迟到的异议"}); status(err) != 409 && status(err) != 422 {
			t.Fatalf("an objection after the window: %v", err)
		}
		if _, err := e.pts.Confirm(e.ctx, sec, by.ID); status(err) != 409 {
			t.Fatalf("confirming with an objection open: %v", err)
		}
		if e.ratingsDigest() != before {
			t.Fatal("a refusal changed ratings")
		}
		// Answers: upheld needs the changed rating.
		if _, err := e.pts.AnswerObjection(e.ctx, sec, by.ID, ob.ID, ObjectionAnswer{Upheld: true, Answer: "采纳"}); status(err) != 422 {
			t.Fatalf("upheld without stars: %v", err)
		}
		if _, err := e.pts.AnswerObjection(e.ctx, e.own("m2"), by.ID, ob.ID, ObjectionAnswer{Answer: "x"}); status(err) != 403 {
			t.Fatalf("a member answering: %v", err)
		}
		three := 3
		if a, err := e.pts.AnswerObjection(e.ctx, sec, by.ID, ob.ID, ObjectionAnswer{Upheld: true, Answer: "经支委会复核，调整为三星", Stars: &three}); err != nil || a.State != "upheld" {
			t.Fatalf("upheld: %+v %v", a, err)
		}
		by, err = e.pts.Confirm(e.ctx, sec, by.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r := e.rating(by, "m1"); by.State != YearConfirmed || r.Stars != 3 || r.Reason != "经支委会复核，调整为三星" || r.State != RatingConfirmed {
			t.Fatalf("confirmed: %+v", by)
		}
		refs, err := StarsOf(e.ctx, e.db, []int64{e.members["m1"], e.members["m2"], e.members["b1"]}, 2026)
		if err != nil || len(refs) != 2 || refs[e.members["m1"]] != (StarRef{Stars: 3, Final: true, State: YearConfirmed}) {
			t.Fatalf("StarsOf: %+v %v", refs, err)
		}
		// 摘星 and restore: a reason each, the branch or above, full history.
		rid := e.rating(by, "m1").ID
		if _, err := e.pts.Withdraw(e.ctx, sec, rid, StarChange{Reason: " "}); status(err) != 422 {
			t.Fatalf("摘星 without a reason: %v", err)
		}
		if _, err := e.pts.Withdraw(e.ctx, e.secretary("A2"), rid, StarChange{Reason: "x"}); status(err) != 403 {
			t.Fatalf("another branch's 摘星: %v", err)
		}
		if _, err := e.pts.Withdraw(e.ctx, e.secretary("A"), rid, StarChange{Reason: "受到诫勉谈话"}); err != nil {
			t.Fatalf("摘星 by the level above: %v", err)
		}
		if _, err := e.pts.Withdraw(e.ctx, sec, rid, StarChange{Reason: "again"}); status(err) != 409 {
			t.Fatalf("摘星 twice: %v", err)
		}
		if refs, _ := StarsOf(e.ctx, e.db, []int64{e.members["m1"]}, 2026); refs[e.members["m1"]].Stars != 0 || !refs[e.members["m1"]].Withdrawn {
			t.Fatalf("StarsOf after 摘星: %+v", refs)
		}
		hist, err := e.pts.Restore(e.ctx, sec, rid, StarChange{Reason: "经复查，诫勉事由不成立"})
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, h := range hist {
			kinds = append(kinds, fmt.Sprint(h.Kind, ":", h.Stars))
		}
		if got := strings.Join(kinds, " "); got != "review:5 objection:3 confirm:3 withdraw:0 restore:3" {
			t.Fatalf("history: %s", got)
		}
		my, err := e.pts.RatingOf(e.ctx, e.own("m1"), e.members["m1"], 2026)
		if err != nil || my.Rating == nil || my.Rating.Stars != 3 || len(my.History) != 5 || !my.CanAppeal || len(my.Objections) != 1 {
			t.Fatalf("my rating: %+v %v", my, err)
		}
		if _, err := e.pts.RatingOf(e.ctx, e.own("m2"), e.members["m1"], 2026); status(err) != 404 {
			t.Fatalf("another member's rating: %v", err)
		}
	})
}

// TestAppeals: a member appeals their own entry and their confirmed rating to the level
// above; the branch cannot decide; a change is a reversal plus a new entry (source appeal)
// or a new rating event; the totals stay equal to a recount.
func TestAppeals(t *testing.T) {
	db.ForEachEngine(t, func(t *testing.T, d *db.DB) {
		e := yearEnv(t, d)
		sec, above := e.secretary("A1"), e.secretary("A")
		absence := e.enter("m2", "absence", "2026-04-01")
		if _, err := e.pts.FileAppeal(e.ctx, e.own("m1"), NewAppeal{EntryID: absence.ID, Text: "不是我的"}); status(err) != 403 {
			t.Fatalf("appealing another's entry: %v", err)
		}
		if _, err := e.pts.FileAppeal(e.ctx, e.own("m2"), NewAppeal{EntryID: absence.ID}); status(err) != 422 {
			t.Fatalf("an appeal without text: %v", err)
		}
		ap, err := e.pts.FileAppeal(e.ctx, e.own("m2"), NewAppeal{EntryID: absence.ID, Text: "当天因病请假，已向支部报告"})
		if err != nil || ap.State != AppealOpen || ap.Target != TargetEntry {
			t.Fatalf("appeal: %+v %v", ap, err)
		}
		if _, err := e.pts.FileAppeal(e.ctx, e.own("m2"), NewAppeal{EntryID: absence.ID, Text: "again"}); status(err) != 409 {
			t.Fatalf("a second open appeal: %v", err)
		}
		// The level above's inbox lists it; the branch's own does not.
		if l, err := e.pts.Appeals(e.ctx, above, e.orgs["A"], AppealOpen, httpx.Page{Page: 1, Size: 20}); err != nil || l.Total != 1 || l.Items[0].ItemName != "无故不参加组织生活" {
			t.Fatalf("inbox at A: %+v %v", l, err)
		}
		if l, err := e.pts.Appeals(e.ctx, sec, e.orgs["A1"], AppealOpen, httpx.Page{Page: 1, Size: 20}); err != nil || l.Total != 0 {
			t.Fatalf("inbox at A1: %+v %v", l, err)
		}
		two := -2
		if _, err := e.pts.DecideAppeal(e.ctx, sec, ap.ID, AppealDecision{Action: "change", Answer: "x", Points: &two}); status(err) != 403 {
			t.Fatalf("the branch deciding: %v", err)
		}
		wrong := -7
		if _, err := e.pts.DecideAppeal(e.ctx, above, ap.ID, AppealDecision{Action: "change", Answer: "x", Points: &wrong}); status(err) != 422 {
			t.Fatalf("more than the entry: %v", err)
		}
		got, err := e.pts.DecideAppeal(e.ctx, above, ap.ID, AppealDecision{Action: "change", Answer: "请假属实，按迟到处理扣 2 分", Points: &two})
		if err != nil || got.State != AppealChanged || got.NewEntryID == 0 {
			t.Fatalf("change: %+v %v", got, err)
		}
		my := e.year("m2", 2026)
		if my.Earned != -2 || my.Total != 58 || len(my.Entries) != 3 || my.Entries[0].SourceKind != SourceAppeal || my.Entries[0].Applied != -2 ||
			my.Entries[1].ReversesID != absence.ID || !strings.Contains(my.Entries[1].Reason, "申诉改正") {
			t.Fatalf("after the change: %+v", my.Entries)
		}
		if _, err := e.pts.DecideAppeal(e.ctx, above, ap.ID, AppealDecision{Action: "uphold", Answer: "x"}); status(err) != 409 {
			t.Fatalf("deciding twice: %v", err)
		}
		e.assertRecount()
		// A rating is appealed once confirmed.
		by, err := e.pts.Compute(e.ctx, sec, e.orgs["A1"], NewYearEnd{Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.pts.FileAppeal(e.ctx, e.own("m2"), NewAppeal{Year: 2026, Text: "评星有误"}); status(err) != 409 {
			t.Fatalf("appealing an unconfirmed rating: %v", err)
		}
		e.confirmYear(sec, by.ID)
		ra, err := e.pts.FileAppeal(e.ctx, e.own("m2"), NewAppeal{Year: 2026, Text: "扣分已改正，应为一星"})
		if err != nil {
			t.Fatal(err)
		}
		one := 1
		if got, err := e.pts.DecideAppeal(e.ctx, above, ra.ID, AppealDecision{Action: "change", Answer: "同意调整为一星", Stars: &one}); err != nil || got.NewStars == nil || *got.NewStars != 1 {
			t.Fatalf("rating change: %+v %v", got, err)
		}
		mr, err := e.pts.RatingOf(e.ctx, e.own("m2"), e.members["m2"], 2026)
		if err != nil || mr.Rating.Stars != 1 || mr.History[len(mr.History)-1].Kind != EventAppeal || len(mr.Appeals) != 2 {
			t.Fatalf("rating after the appeal: %+v %v", mr, err)
		}
		if _, err := e.pts.DecideAppeal(e.ctx, auth.System(), 999999, AppealDecision{Action: "uphold", Answer: "x"}); status(err) != http.StatusNotFound {
			t.Fatalf("a missing appeal: %v", err)
		}
	})
}

// confirmYear reviews as proposed, publishes and confirms a year end, moving the clock past
// the window.
func (e *env) confirmYear(sc *auth.Scope, id int64) {
	e.t.Helper()
	if _, err := e.pts.Review(e.ctx, sc, id, RatingReview{AcceptProposed: true}); err != nil {
		e.t.Fatal(err)
	}
	by, err := e.pts.StartPublicity(e.ctx, sc, id, PublicityStart{})
	if err != nil {
		e.t.Fatal(err)
	}
	to, _ := time.Parse("2006-01-02", by.Publicity.To)
	e.setClock(to.Add(26 * time.Hour))
	if _, err := e.pts.Confirm(e.ctx, sc, id); err != nil {
		e.t.Fatal(err)
	}
}

// setClock moves the fake clock to t.
func (e *env) setClock(t time.Time) { e.clock.Advance(t.Sub(e.clock.Now())) }

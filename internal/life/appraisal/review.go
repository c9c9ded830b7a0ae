package appraisal

import (
	"context"
	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"database/sql"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/member"
	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Grades of 民主评议党员 (REGULATIONS §3).
var Grades = []string{"excellent", "qualified", "basic", "unqualified"}

func init() {
	i18n.Register(map[string][2]string{
		"grade.excellent":   {"优秀", "Excellent"},
		"grade.qualified":   {"合格", "Qualified"},
		"grade.basic":       {"基本合格", "Basically qualified"},
		"grade.unqualified": {"不合格", "Unqualified"},

		"f.review.grade":               {"评议等次", "Grade"},
		"f.review.self_summary":        {"个人自评", "Self-appraisal"},
		"f.review.correction_deadline": {"限期改正日期", "Correction deadline"},
		"f.review.override_reason":     {"超比例说明", "Reason for exceeding the share"},
		"f.rectification":              {"整改事项", "Rectification"},
		"f.rectification.problem":      {"问题", "Problem"},
		"f.rectification.measure":      {"整改措施", "Measure"},
		"f.rectification.owner":        {"责任人", "Owner"},
		"f.rectification.deadline":     {"完成时限", "Deadline"},
		"f.talk":                       {"谈心谈话", "Talk"},
		"f.talk.talker":                {"谈话人", "Talker"},
		"f.talk.member_id":             {"谈话对象", "Member"},
		"f.talk.talked_on":             {"谈话日期", "Date"},
		"f.talk.summary":               {"谈话内容", "Summary"},

		"v.review.kind":         {"该活动不是民主评议党员，不能登记评议结果", "This activity is not a democratic appraisal"},
		"v.review.cap":          {"%s：优秀%d人，超过本支部正式党员%d人的%s（最多%d人），请说明理由", "%s: %d rated excellent, more than %[4]s of the %[3]d full members (at most %[5]d); give a reason"},
		"v.review.probationary": {"%s：%s是预备党员，参加评议但不评定等次", "%s: %s is a probationary member: takes part, gets no grade"},
		"v.review.standing":     {"%s：%s处于失联或停止党籍状态，不评定等次", "%s: %s is lost or suspended and is not graded"},
		"v.review.deadline":     {"%s：限期改正应在评议之后，最长%d个月（不晚于%s）", "%s: after the appraisal and at most %d months (by %s)"},
		"v.review.not_roster":   {"%s：不是本支部党员", "%s: not a member of this branch"},
		"v.rectification.kind":  {"该活动不是组织生活会，不能登记整改事项", "This activity is not an organizational life meeting"},
		"v.rectification.done":  {"该问题已整改完成，不能再修改", "This problem has been put right and can no longer be changed"},
		"v.talk.not_in_org":     {"%s：不是该组织的党员", "%s: not a member of this organization"},
		"warn.review.cap":       {"优秀%d人，超过正式党员%d人的%s（最多%d人）：%s", "%d excellent, above %[3]s of %[2]d full members (at most %[4]d): %[5]s"},
	})
}

// Appraisal is one member's appraisal in a 民主评议.
type Appraisal struct {
	MemberID           int64  `json:"member_id"`
	Name               string `json:"name"`
	SelfSummary        string `json:"self_summary"`
	Grade              string `json:"grade"` // "" while not graded
	CorrectionDeadline string `json:"correction_deadline"`
	// Category is full or probationary at the appraisal; Gradable: a full member in good
	// standing (预备党员 take part without a grade; lost or suspended members are not graded).
	Category string   `json:"category"`
	Gradable bool     `json:"gradable"`
	Outcome  *Outcome `json:"outcome" jsonschema:"nullable"`
	// Choices are the decisions the branch may record next (POST …/outcomes).
	Choices []string `json:"choices"`
	// PointsStars is the member's year-end rating in points (points.StarsOf) shown beside the
	// grade as a reference, never a verdict: read-only, ignored in an update; nil when the
	// member was not rated.
	PointsStars *AppraisalPointsRef `json:"points_stars,omitempty" jsonschema:"nullable"`
	status      string
}

// AppraisalPointsRef is a member's points rating of a year (the appraisal's year, else the
// year before: 民主评议 is often held early in the year after), as points.StarRef says it.
type AppraisalPointsRef struct {
	Year      int    `json:"year"`
	Stars     int    `json:"stars"`     // given (0 when withdrawn)
	Final     bool   `json:"final"`     // confirmed after the 公示
	Withdrawn bool   `json:"withdrawn"` // 摘星
	State     string `json:"state"`     // the year end's stage: review, publicity, confirmed
}

// Appraisals is the appraisal of a branch: every member, the counts per grade, and the cap.
type Appraisals struct {
	ActivityID int64          `json:"activity_id"`
	Items      []Appraisal    `json:"items"`
	Counts     map[string]int `json:"counts"`
	// Eligible is n, the full members in good standing at the appraisal; ExcellentCap is
	// ⌊n × ExcellentShare⌋ (the pack's), whatever has been graded so far.
	Eligible       int    `json:"eligible"`
	ExcellentShare string `json:"excellent_share"`
	ExcellentCap   int    `json:"excellent_cap"`
	// Complete: every eligible member has a grade (only then is the 民主评议 held).
	Complete bool `json:"complete"`
	// CorrectionDefault and CorrectionLatest are the default and the latest 限期改正 deadline.
	CorrectionDefault string   `json:"correction_default"`
	CorrectionLatest  string   `json:"correction_latest"`
	OverrideReason    string   `json:"override_reason"`
	Warnings          []string `json:"warnings"`
	Source            string   `json:"source"`
	day               string   // of the appraisal
}

// AppraisalUpdate is the body of PUT /api/v1/activities/{id}/reviews.
type AppraisalUpdate struct {
	Items          []Appraisal `json:"items"`
	OverrideReason string      `json:"override_reason,omitempty"`
}

// appraisalRoster is the roster of the appraisal's organization on its day (home members only:
// a 临时党支部 or a host does not appraise) with what grading needs to know of each member.
func appraisalRoster(ctx context.Context, q db.Querier, a *life.Activity) ([]Appraisal, error) {
	day := clock.Today(a.StartsAt)
	home, args := member.HomeAtSQL(a.OrgID, day)
	// Who was appraised stays on the appraisal after leaving the branch or the Party.
	// Standing is the member's status on the appraisal's day (a member suspended after it still
	// counts in its ⅓ base).
	var out []Appraisal
	if err := db.Each(ctx, q, `SELECT m.id, m.name, m.category, `+member.StatusAtSQL("m.id")+`, m.full_date FROM members m WHERE `+home+`
		OR m.id IN (SELECT member_id FROM member_reviews WHERE activity_id = ?) ORDER BY m.name_key, m.id`, append(append([]any{day}, args...), a.ID), func(rs db.Scanner) error {
		var r Appraisal
		var fullDate string
		if err := rs.Scan(&r.MemberID, &r.Name, &r.Category, &r.status, &fullDate); err != nil {
			return err
		}
		if r.Category == "full" && fullDate > day {
			r.Category = "probationary" // became full after the appraisal
		}
		r.Gradable = Gradable(r.Category, r.status, "", day)
		out = append(out, r)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// correctionDates are the default and the latest deadline of 限期改正 after an appraisal.
func correctionDates(ar rules.AppraisalRules, a *life.Activity) (def, latest string) {
	at := a.StartsAt.In(clock.CST)
	return clock.Today(at.AddDate(0, ar.CorrectionMonths, 0)), clock.Today(at.AddDate(0, ar.CorrectionMaxMonths, 0))
}

// ReviewsOf is the appraisal of activity a: its gradable roster with each current grade.
func (s *Store) ReviewsOf(ctx context.Context, q db.Querier, a *life.Activity, lang i18n.Lang) (*Appraisals, error) {
	items, err := appraisalRoster(ctx, q, a)
	if err != nil {
		return nil, err
	}
	got := map[int64]Appraisal{}
	if err := db.Each(ctx, q, `SELECT r.member_id, r.self_summary, r.grade, r.correction_deadline FROM member_reviews r WHERE r.activity_id = ?
		AND r.id = (SELECT MAX(x.id) FROM member_reviews x WHERE x.activity_id = r.activity_id AND x.member_id = r.member_id)`, []any{a.ID}, func(rs db.Scanner) error {
		var r Appraisal
		if err := rs.Scan(&r.MemberID, &r.SelfSummary, &r.Grade, &r.CorrectionDeadline); err != nil {
			return err
		}
		got[r.MemberID] = r
		return nil
	}); err != nil {
		return nil, err
	}
	outcomes, err := s.outcomes(ctx, q, a)
	if err != nil {
		return nil, err
	}
	ar := s.Pack().Appraising()
	out := &Appraisals{ActivityID: a.ID, Items: []Appraisal{}, Counts: map[string]int{}, Warnings: []string{},
		ExcellentShare: ar.ExcellentShare, Complete: true, Source: ar.Source, day: clock.Today(a.StartsAt)}
	out.CorrectionDefault, out.CorrectionLatest = correctionDates(ar, a)
	for _, it := range items {
		r := got[it.MemberID]
		it.SelfSummary, it.Grade, it.CorrectionDeadline = r.SelfSummary, r.Grade, r.CorrectionDeadline
		if o, ok := outcomes[it.MemberID]; ok {
			it.Outcome = &o
			if leaving[o.Outcome] { // as at the appraisal, before the decision took effect
				it.Gradable = Gradable(it.Category, "active", "", out.day)
			}
		}
		it.Choices = outcomeChoices(it)
		if it.Grade != "" {
			out.Counts[it.Grade]++
		}
		if it.Gradable {
			out.Eligible++
			out.Complete = out.Complete && it.Grade != ""
		}
		out.Items = append(out.Items, it)
	}
	if err := s.pointsRefs(ctx, q, out.Items, out.day); err != nil {
		return nil, err
	}
	out.ExcellentCap = ar.ExcellentCap(out.Eligible)
	var reason sql.NullString
	_ = q.QueryRow(ctx, `SELECT reason FROM review_overrides WHERE activity_id = ? ORDER BY id DESC LIMIT 1`, a.ID).Scan(&reason)
	out.OverrideReason = reason.String
	if out.Counts["excellent"] > out.ExcellentCap && reason.Valid {
		out.Warnings = append(out.Warnings, i18n.T(lang, "warn.review.cap", out.Counts["excellent"], out.Eligible, out.ExcellentShare, out.ExcellentCap, reason.String))
	}
	return out, nil
}

// GetReviews returns the appraisal of a 民主评议 activity.
func (s *Store) GetReviews(ctx context.Context, sc *auth.Scope, id int64, lang i18n.Lang) (*Appraisals, error) {
	a, err := s.Get(ctx, sc, id)
	if err != nil {
		return nil, err
	}
	if !rules.HasKind(a.Kinds, "member_review") {
		return nil, httpx.Conflict("conflict", i18n.M("v.review.kind"))
	}
	return s.ReviewsOf(ctx, s.DB, a, lang)
}

// SetReviews records self-appraisals and grades. Only full members in good standing get a
// grade. More 优秀 than the pack's share of them (rounded down) is refused unless the secretary
// gives a reason (kept, shown as a warning, and in the audit trail); 不合格 gets a deadline to
// correct, by default the pack's months after the appraisal and never beyond its maximum.
func (s *Store) SetReviews(ctx context.Context, sc *auth.Scope, id int64, u AppraisalUpdate, lang i18n.Lang) (*Appraisals, error) {
	now := s.Clock.Now()
	var out *Appraisals
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		a, err := s.ForWrite(ctx, tx, sc, id, life.MayWrite(sc), func(a *life.Activity) bool { return a.Can.Edit })
		if err != nil {
			return err
		}
		if !rules.HasKind(a.Kinds, "member_review") {
			return httpx.Conflict("conflict", i18n.M("v.review.kind"))
		}
		cur, err := s.ReviewsOf(ctx, tx, a, lang)
		if err != nil {
			return err
		}
		byID := map[int64]Appraisal{}
		for _, r := range cur.Items {
			byID[r.MemberID] = r
		}
		next := map[int64]Appraisal{}
		for k, v := range byID {
			next[k] = v
		}
		var is httpx.Issues
		for i, r := range u.Items {
			if r2, ok := s.checkAppraisal(&is, "items["+strconv.Itoa(i)+"]", r, byID, cur); ok {
				next[r.MemberID] = r2
			}
		}
		excellent := 0
		for _, r := range next {
			if r.Grade == "excellent" {
				excellent++
			}
		}
		reason := strings.TrimSpace(u.OverrideReason)
		if reason == "" {
			reason = cur.OverrideReason
		}
		if excellent > cur.ExcellentCap && reason == "" {
			is = append(is, httpx.FieldIssue("override_reason", "f.review.override_reason", "v.review.cap", excellent, cur.Eligible, cur.ExcellentShare, cur.ExcellentCap))
		}
		if err := is.Err(); err != nil {
			return err
		}
		changes := map[string]audit.Change{}
		err = s.Track(ctx, tx, a.OrgID, life.RecordYears(a.StartsAt, a.ForYear), func() error {
			for _, r := range u.Items {
				r2, old := next[r.MemberID], byID[r.MemberID]
				if old.Grade == r2.Grade && old.SelfSummary == r2.SelfSummary && old.CorrectionDeadline == r2.CorrectionDeadline {
					continue
				}
				if _, err := tx.Exec(ctx, `INSERT INTO member_reviews (activity_id, member_id, self_summary, grade, correction_deadline, recorded_by, recorded_at)
					VALUES (?, ?, ?, ?, ?, ?, ?)`, id, r.MemberID, r2.SelfSummary, r2.Grade, r2.CorrectionDeadline, sc.UserID, now); err != nil {
					return err
				}
				changes[r2.Name] = audit.Change{Before: old.Grade, After: r2.Grade}
			}
			return nil
		})
		if err != nil {
			return err
		}
		if u.OverrideReason != "" && strings.TrimSpace(u.OverrideReason) != cur.OverrideReason {
			if _, err := tx.Exec(ctx, `INSERT INTO review_overrides (activity_id, reason, recorded_by, recorded_at) VALUES (?, ?, ?, ?)`,
				id, strings.TrimSpace(u.OverrideReason), sc.UserID, now); err != nil {
				return err
			}
			changes["override_reason"] = audit.Change{Before: cur.OverrideReason, After: strings.TrimSpace(u.OverrideReason)}
		}
		if excellent > cur.ExcellentCap && len(changes) > 0 {
			changes["excellent_over_cap"] = audit.Change{Before: cur.ExcellentCap, After: excellent}
		}
		if len(changes) > 0 {
			if err := audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "review", Entity: "activity", EntityID: id, OrgID: a.OrgID,
				Summary: a.Topic, Changes: changes}); err != nil {
				return err
			}
		}
		out, err = s.ReviewsOf(ctx, tx, a, lang)
		return err
	})
	return out, err
}

// checkAppraisal checks one item of an update against the roster and the pack, and fills the
// default deadline of a 不合格.
func (s *Store) checkAppraisal(is *httpx.Issues, field string, r Appraisal, byID map[int64]Appraisal, cur *Appraisals) (Appraisal, bool) {
	old, ok := byID[r.MemberID]
	n := len(*is)
	switch {
	case !ok:
		is.Add(field+".member_id", "f.attendance.member_id", "v.review.not_roster")
	case r.Grade != "" && !life.OneOf(r.Grade, Grades):
		is.Add(field+".grade", "f.review.grade", "v.choice", r.Grade)
	case r.Grade != "" && old.Category != "full":
		is.Add(field+".grade", "f.review.grade", "v.review.probationary", old.Name)
	case r.Grade != "" && !old.Gradable:
		is.Add(field+".grade", "f.review.grade", "v.review.standing", old.Name)
	case utf8.RuneCountInString(r.SelfSummary) > 2000:
		is.Add(field+".self_summary", "f.review.self_summary", "v.too_long", 2000)
	case r.CorrectionDeadline != "" && !life.IsDate(r.CorrectionDeadline):
		is.Add(field+".correction_deadline", "f.review.correction_deadline", "v.date")
	case r.Grade == "unqualified" && r.CorrectionDeadline != "" &&
		(r.CorrectionDeadline > cur.CorrectionLatest || r.CorrectionDeadline <= cur.day):
		is.Add(field+".correction_deadline", "f.review.correction_deadline", "v.review.deadline", s.Pack().Appraising().CorrectionMaxMonths, cur.CorrectionLatest)
	}
	if len(*is) > n {
		return r, false
	}
	switch {
	case r.Grade != "unqualified":
		r.CorrectionDeadline = ""
	case r.CorrectionDeadline == "":
		r.CorrectionDeadline = cur.CorrectionDefault
	}
	r.Name, r.Category, r.Gradable = old.Name, old.Category, old.Gradable
	return r, true
}

// Rectification is one problem found at a 组织生活会 and how it is put right.
type Rectification struct {
	ID         int64      `json:"id"`
	ActivityID int64      `json:"activity_id"`
	Problem    string     `json:"problem"`
	Measure    string     `json:"measure"`
	Owner      string     `json:"owner"`
	Deadline   string     `json:"deadline"`
	DoneAt     *time.Time `json:"done_at" jsonschema:"nullable"`
	DoneNote   string     `json:"done_note"`
	Overdue    bool       `json:"overdue"`
}

// NewRectification is the body of POST /api/v1/activities/{id}/rectifications.
type NewRectification struct {
	Problem  string `json:"problem"`
	Measure  string `json:"measure"`
	Owner    string `json:"owner"`
	Deadline string `json:"deadline"`
}

// RectificationDone is the body of POST /api/v1/rectifications/{id}/done.
type RectificationDone struct {
	Note string `json:"note"`
}

// meetingOf is the first record of an activity's chain of corrections. A 组织生活会's problem
// list belongs to the meeting, not to one version of its record: every record of the chain
// shows, and adds to, the same list.
func meetingOf(ctx context.Context, q db.Querier, a *life.Activity) (int64, error) {
	id, up := a.ID, a.AmendsID
	for up != 0 {
		id = up
		var next sql.NullInt64
		if err := q.QueryRow(ctx, `SELECT amends_id FROM activities WHERE id = ?`, id).Scan(&next); err != nil {
			return 0, err
		}
		up = next.Int64
	}
	return id, nil
}

// Rectifications lists the problem list of a 组织生活会 with its progress.
func (s *Store) Rectifications(ctx context.Context, sc *auth.Scope, activityID int64) ([]Rectification, error) {
	a, err := s.Get(ctx, sc, activityID)
	if err != nil {
		return nil, err
	}
	meeting, err := meetingOf(ctx, s.DB, a)
	if err != nil {
		return nil, err
	}
	today := clock.Today(s.Clock.Now())
	out := []Rectification{}
	if err := db.Each(ctx, s.DB, `SELECT id, activity_id, problem, measure, owner, deadline, done_at, done_note FROM rectifications
		WHERE activity_id = ? ORDER BY id`, []any{meeting}, func(rs db.Scanner) error {
		var r Rectification
		var done sql.NullTime
		if err := rs.Scan(&r.ID, &r.ActivityID, &r.Problem, &r.Measure, &r.Owner, &r.Deadline, &done, &r.DoneNote); err != nil {
			return err
		}
		r.DoneAt = db.TimeOrNil(done)
		r.Overdue = r.DoneAt == nil && r.Deadline < today
		out = append(out, r)
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// AddRectification adds a problem and its rectification to a 组织生活会. It stays open to
// additions after the record is accepted: rectification is the follow-up of the meeting.
func (s *Store) AddRectification(ctx context.Context, sc *auth.Scope, activityID int64, n NewRectification) (*Rectification, error) {
	now := s.Clock.Now()
	var id int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		a, err := s.ForWrite(ctx, tx, sc, activityID, life.MayWrite(sc), func(a *life.Activity) bool { return a.SupersededBy == 0 })
		if err != nil {
			return err
		}
		if !rules.HasKind(a.Kinds, "life_meeting") {
			return httpx.Conflict("conflict", i18n.M("v.rectification.kind"))
		}
		if err := n.validate(); err != nil {
			return err
		}
		meeting, err := meetingOf(ctx, tx, a)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `INSERT INTO rectifications (activity_id, problem, measure, owner, deadline, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			meeting, n.Problem, n.Measure, n.Owner, n.Deadline, now).Scan(&id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "rectification", EntityID: id, OrgID: a.OrgID,
			Summary: n.Problem, Changes: audit.Snapshot(n)})
	})
	if err != nil {
		return nil, err
	}
	return s.rectification(ctx, sc, activityID, id)
}

// rectification reads one item of a meeting's problem list as the list shows it.
func (s *Store) rectification(ctx context.Context, sc *auth.Scope, activityID, id int64) (*Rectification, error) {
	list, err := s.Rectifications(ctx, sc, activityID)
	if err != nil {
		return nil, err
	}
	for _, r := range list {
		if r.ID == id {
			return &r, nil
		}
	}
	return nil, fmt.Errorf("rectification %d vanished", id)
}

// validate trims a rectification and checks it: a problem, a deadline, nothing too long.
func (n *NewRectification) validate() error {
	var is httpx.Issues
	n.Problem, n.Measure, n.Owner = strings.TrimSpace(n.Problem), strings.TrimSpace(n.Measure), strings.TrimSpace(n.Owner)
	if n.Problem == "" {
		is.Add("problem", "f.rectification.problem", "v.required")
	}
	if !life.IsDate(n.Deadline) {
		is.Add("deadline", "f.rectification.deadline", "v.date")
	}
	for _, t := range []struct{ field, v string }{{"problem", n.Problem}, {"measure", n.Measure}, {"owner", n.Owner}} {
		if utf8.RuneCountInString(t.v) > 1000 {
			is.Add(t.field, "f.rectification."+t.field, "v.too_long", 1000)
		}
	}
	return is.Err()
}

// rectificationForWrite loads a rectification and its meeting for a write by the caller.
func (s *Store) rectificationForWrite(ctx context.Context, tx *db.Tx, sc *auth.Scope, id int64) (*Rectification, *life.Activity, error) {
	var r Rectification
	var done sql.NullTime
	if err := tx.QueryRow(ctx, `SELECT id, activity_id, problem, measure, owner, deadline, done_at, done_note FROM rectifications WHERE id = ?`, id).
		Scan(&r.ID, &r.ActivityID, &r.Problem, &r.Measure, &r.Owner, &r.Deadline, &done, &r.DoneNote); err != nil {
		return nil, nil, sc.Refuse(httpx.NotFound("f.rectification"))
	}
	r.DoneAt = db.TimeOrNil(done)
	a, err := s.ForWrite(ctx, tx, sc, r.ActivityID, life.MayWrite(sc), func(*life.Activity) bool { return true })
	return &r, a, err
}

// UpdateRectification corrects a problem, its measure, owner or deadline while it is open;
// one put right stays as it was recorded.
func (s *Store) UpdateRectification(ctx context.Context, sc *auth.Scope, id int64, n NewRectification) (*Rectification, error) {
	now := s.Clock.Now()
	var activityID int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		r, a, err := s.rectificationForWrite(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if r.DoneAt != nil {
			return httpx.Conflict("conflict", i18n.M("v.rectification.done"))
		}
		if err := n.validate(); err != nil {
			return err
		}
		activityID = a.ID
		before := NewRectification{Problem: r.Problem, Measure: r.Measure, Owner: r.Owner, Deadline: r.Deadline}
		if _, err := tx.Exec(ctx, `UPDATE rectifications SET problem = ?, measure = ?, owner = ?, deadline = ? WHERE id = ?`,
			n.Problem, n.Measure, n.Owner, n.Deadline, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "update", Entity: "rectification", EntityID: id, OrgID: a.OrgID,
			Summary: n.Problem, Changes: audit.Diff(before, n)})
	})
	if err != nil {
		return nil, err
	}
	return s.rectification(ctx, sc, activityID, id)
}

// CompleteRectification marks a rectification done, with a note of what was done.
func (s *Store) CompleteRectification(ctx context.Context, sc *auth.Scope, id int64, note string) error {
	now := s.Clock.Now()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		_, a, err := s.rectificationForWrite(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE rectifications SET done_at = ?, done_note = ? WHERE id = ? AND done_at IS NULL`, now, note, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "done", Entity: "rectification", EntityID: id, OrgID: a.OrgID, Summary: note})
	})
}

// Talk is a 谈心谈话 record.
type Talk struct {
	ID         int64  `json:"id"`
	OrgID      int64  `json:"org_id"`
	Talker     string `json:"talker"`
	MemberID   int64  `json:"member_id"`
	MemberName string `json:"member_name"`
	TalkedOn   string `json:"talked_on"`
	Summary    string `json:"summary"`
}

// NewTalk is the body of POST /api/v1/talks.
type NewTalk struct {
	OrgID    int64  `json:"org_id"`
	Talker   string `json:"talker"`
	MemberID int64  `json:"member_id"`
	TalkedOn string `json:"talked_on"`
	Summary  string `json:"summary"`
}

// TalkList is a year of 谈心谈话 of an organization and the current members not yet talked
// with that year (支部工作条例: committee members talk with each member at least once a year).
type TalkList struct {
	Items        []Talk       `json:"items"`
	NotTalked    []TalkMember `json:"not_talked"`
	MembersTotal int          `json:"members_total"`
}

// TalkMember names a member not yet talked with.
type TalkMember struct {
	MemberID int64  `json:"member_id"`
	Name     string `json:"name"`
}

// Talks lists an organization's talks in a year.
func (s *Store) Talks(ctx context.Context, sc *auth.Scope, orgID int64, year int) (*TalkList, error) {
	_, err := s.OrgForRead(ctx, sc, orgID)
	if err != nil {
		return nil, err
	}
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	out := &TalkList{Items: []Talk{}, NotTalked: []TalkMember{}}
	talked := map[int64]bool{}
	if err := db.Each(ctx, s.DB, `SELECT t.id, t.org_id, t.talker, t.member_id, m.name, t.talked_on, t.summary FROM talks t JOIN members m ON m.id = t.member_id
		WHERE t.org_id = ? AND t.talked_on >= ? AND t.talked_on <= ? ORDER BY t.talked_on DESC, t.id DESC`, []any{orgID, from, to}, func(rs db.Scanner) error {
		var t Talk
		if err := rs.Scan(&t.ID, &t.OrgID, &t.Talker, &t.MemberID, &t.MemberName, &t.TalkedOn, &t.Summary); err != nil {
			return err
		}
		talked[t.MemberID] = true
		out.Items = append(out.Items, t)
		return nil
	}); err != nil {
		return nil, err
	}
	// Those the 谈心谈话 rule asks for: the members in good standing at home here at the
	// year's end (see coverage.go); a 党小组's, of its current members.
	o, _ := org.Lookup(ctx, s.DB, orgID)
	if o == nil {
		o = &org.Ref{ID: orgID}
	}
	roster, err := member.HomeIn(ctx, s.DB, o, to, GoodStanding)
	if err != nil {
		return nil, err
	}
	for _, m := range roster {
		out.MembersTotal++
		if !talked[m.ID] {
			out.NotTalked = append(out.NotTalked, TalkMember{MemberID: m.ID, Name: m.Name})
		}
	}
	return out, nil
}

// AddTalk records a 谈心谈话 with a member of the organization.
func (s *Store) AddTalk(ctx context.Context, sc *auth.Scope, n NewTalk) (*Talk, error) {
	now := s.Clock.Now()
	if _, err := org.ResolveField(ctx, s.DB, sc, n.OrgID, auth.WriteMembers, "org_id", "f.activity.org_id"); err != nil {
		return nil, err
	}
	var is httpx.Issues
	n.Talker = strings.TrimSpace(n.Talker)
	if n.Talker == "" {
		is.Add("talker", "f.talk.talker", "v.required")
	}
	if !life.IsDate(n.TalkedOn) {
		is.Add("talked_on", "f.talk.talked_on", "v.date")
	} else if n.TalkedOn > clock.Today(now) {
		is.Add("talked_on", "f.talk.talked_on", "v.future")
	}
	// branch: whose 谈心谈话 rule the talk counts for
	name, branch, err := member.InOrg(ctx, s.DB, n.MemberID, n.OrgID)
	if err != nil {
		is.Add("member_id", "f.talk.member_id", "v.talk.not_in_org")
	}
	if utf8.RuneCountInString(n.Summary) > 5000 {
		is.Add("summary", "f.talk.summary", "v.too_long", 5000)
	}
	if err := is.Err(); err != nil {
		return nil, err
	}
	t := &Talk{OrgID: n.OrgID, Talker: n.Talker, MemberID: n.MemberID, MemberName: name, TalkedOn: n.TalkedOn, Summary: n.Summary}
	year, _ := strconv.Atoi(n.TalkedOn[:4])
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		err := s.Track(ctx, tx, branch, []int{year}, func() error {
			return tx.QueryRow(ctx, `INSERT INTO talks (org_id, talker, member_id, talked_on, summary, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
				n.OrgID, n.Talker, n.MemberID, n.TalkedOn, n.Summary, sc.UserID, now).Scan(&t.ID)
		})
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "create", Entity: "talk", EntityID: t.ID, OrgID: n.OrgID,
			Summary: n.Talker + " ↔ " + name})
	})
	return t, err
}

// reviewRoutes are the routes of 民主评议 appraisals and the 组织生活会 rectifications.
func (s *Store) reviewRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/activities/{id}/reviews", Tag: "life", Summary: "民主评议: every member's self-appraisal, grade and outcome; counts, the cap on 优秀 (⌊n × the pack's excellent_share⌋ of n full members in good standing) and the 限期改正 dates", Perm: auth.NeedRead,
			Resp: Appraisals{}, Handle: life.OneActivity(func(r *http.Request, n int64) (any, error) {
				return s.GetReviews(r.Context(), auth.From(r.Context()), n, httpx.Lang(r.Context()))
			})},
		{Method: "PUT", Path: "/api/v1/activities/{id}/reviews", Tag: "life", Summary: "Record appraisals (grades for full members in good standing only); 优秀 over the cap needs override_reason; 不合格 gets a 限期改正 deadline (default and maximum from the pack)", Perm: auth.NeedWriteMembers,
			Body: AppraisalUpdate{}, Resp: Appraisals{}, Handle: life.OneActivity(func(r *http.Request, n int64) (any, error) {
				var u AppraisalUpdate
				if err := httpx.Decode(r, &u); err != nil {
					return nil, err
				}
				return s.SetReviews(r.Context(), auth.From(r.Context()), n, u, httpx.Lang(r.Context()))
			})},
		{Method: "GET", Path: "/api/v1/activities/{id}/rectifications", Tag: "life", Summary: "组织生活会: the problem list and its rectification", Perm: auth.NeedRead,
			Resp: httpx.List[Rectification]{}, Handle: life.OneActivity(func(r *http.Request, n int64) (any, error) {
				items, err := s.Rectifications(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return nil, err
				}
				return httpx.List[Rectification]{Items: items, Total: len(items)}, nil
			})},
		{Method: "POST", Path: "/api/v1/activities/{id}/rectifications", Tag: "life", Summary: "Add a problem with its measure, owner and deadline", Perm: auth.NeedWriteMembers,
			Body: NewRectification{}, Resp: Rectification{}, Status: http.StatusCreated, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := life.ActivityID(r)
				if err != nil {
					return err
				}
				var nr NewRectification
				if err := httpx.Decode(r, &nr); err != nil {
					return err
				}
				rc, err := s.AddRectification(r.Context(), auth.From(r.Context()), n, nr)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, rc)
			}},
		{Method: "PATCH", Path: "/api/v1/rectifications/{id}", Tag: "life", Summary: "Correct an open problem: its text, measure, owner or deadline (one put right stays as recorded)", Perm: auth.NeedWriteMembers,
			Body: NewRectification{}, Resp: Rectification{}, Handle: httpx.WithID("f.rectification", http.StatusOK, func(r *http.Request, n int64) (any, error) {
				var nr NewRectification
				if err := httpx.Decode(r, &nr); err != nil {
					return nil, err
				}
				return s.UpdateRectification(r.Context(), auth.From(r.Context()), n, nr)
			})},
		{Method: "POST", Path: "/api/v1/rectifications/{id}/done", Tag: "life", Summary: "Mark a rectification done", Perm: auth.NeedWriteMembers,
			Body: RectificationDone{}, Status: http.StatusNoContent, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := httpx.PathID(r, "id", "f.rectification")
				if err != nil {
					return err
				}
				var d RectificationDone
				if err := httpx.Decode(r, &d); err != nil {
					return err
				}
				if err := s.CompleteRectification(r.Context(), auth.From(r.Context()), n, d.Note); err != nil {
					return err
				}
				w.WriteHeader(http.StatusNoContent)
				return nil
			}},
	}
}

// talkRoutes are the routes of 谈心谈话.
func (s *Store) talkRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "GET", Path: "/api/v1/talks", Tag: "life", Summary: "谈心谈话 of an organization in a year, and the members not yet talked with", Perm: auth.NeedRead,
			Query: []httpx.Param{{Name: "org", Type: "integer"}, {Name: "year", Type: "integer"}}, Resp: TalkList{},
			Handle: func(w http.ResponseWriter, r *http.Request) error {
				orgID, err := httpx.QueryID(r, "org")
				if err != nil {
					return err
				}
				year, err := httpx.QueryYear(r, "year", rules.PeriodOf(rules.Year, s.Clock.Now()).Year)
				if err != nil {
					return err
				}
				tl, err := s.Talks(r.Context(), auth.From(r.Context()), orgID, year)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, tl)
			}},
		{Method: "POST", Path: "/api/v1/talks", Tag: "life", Summary: "Record a 谈心谈话", Perm: auth.NeedWriteMembers,
			Body: NewTalk{}, Resp: Talk{}, Status: http.StatusCreated, Handle: httpx.Body(http.StatusCreated, func(r *http.Request, n NewTalk) (any, error) {
				return s.AddTalk(r.Context(), auth.From(r.Context()), n)
			})},
	}
}

// pointsRefs puts beside each member the points rating of the appraisal's year, or of the
// year before when that year has none yet (one read per year for the whole roster).
func (s *Store) pointsRefs(ctx context.Context, q db.Querier, items []Appraisal, day string) error {
	if s.Ratings == nil {
		return nil
	}
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.MemberID
	}
	year, _ := strconv.Atoi(day[:4])
	this, err := s.Ratings(ctx, q, ids, year)
	if err != nil {
		return err
	}
	last, err := s.Ratings(ctx, q, ids, year-1)
	if err != nil {
		return err
	}
	for i, it := range items {
		if r, ok := this[it.MemberID]; ok {
			items[i].PointsStars = &r
		} else if r, ok := last[it.MemberID]; ok {
			items[i].PointsStars = &r
		}
	}
	return nil
}

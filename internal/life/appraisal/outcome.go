package appraisal

import (
	"context"
	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"dangjian/internal/member"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// What follows a 不合格 grade (《中国共产党不合格党员组织处置办法》, 2024): 限期改正, then at the
// deadline 已改正, or 劝其退党 — after which the member leaves the Party (退党) or, refusing, is
// removed (除名). A 预备党员 who falls short gets 延长预备期 or 取消预备党员资格 (党章第七条).
var (
	fullOutcomes         = []string{"corrected", "persuade", "left", "removed"}
	probationaryOutcomes = []string{"extend_probation", "cancel_probation"}
	// afterPersuasion are the outcomes that follow a decision to persuade the member to leave.
	afterPersuasion = []string{"left", "removed"}
	// leaving are the outcomes that end membership: the member leaves the current roster.
	leaving = map[string]bool{"left": true, "removed": true, "cancel_probation": true}
)

func init() {
	i18n.Register(map[string][2]string{
		"outcome.corrected":         {"已改正", "Corrected"},
		"outcome.persuade":          {"劝其退党", "Persuaded to leave"},
		"outcome.left":              {"劝退后退党", "Left the Party after persuasion"},
		"outcome.removed":           {"除名（劝而不退）", "Removed (refused to leave)"},
		"outcome.extend_probation":  {"延长预备期", "Probation extended"},
		"outcome.cancel_probation":  {"取消预备党员资格", "Probationary membership cancelled"},
		"f.outcome":                 {"处置结果", "Outcome"},
		"f.outcome.member_id":       {"党员", "Member"},
		"f.outcome.decided_on":      {"决定日期", "Decided on"},
		"f.outcome.decided_by":      {"决定机构", "Decided by"},
		"f.outcome.note":            {"说明", "Note"},
		"v.outcome.not_unqualified": {"%s：只有评为不合格的正式党员需要处置", "%s: only a full member graded unqualified has an outcome"},
		"v.outcome.kind":            {"%s：%s不适用于%s", "%s: %s does not apply to a %s"},
		"v.outcome.persuade_first":  {"%s：应先作出劝其退党的决定", "%s: first decide to persuade the member to leave"},
		"v.outcome.closed":          {"该党员的处置已有结论（%s），不能再登记", "This member's case is closed (%s)"},
		"v.outcome.before":          {"%s：不能早于评议日期 %s", "%s: before the appraisal (%s)"},
		"member.note.outcome":       {"%s：%s（%s，%s）", "%s: %s (%s, %s)"},
	})
}

// outcomeChoices are the decisions open on an appraised member, in order: a full member graded
// 不合格 gets 已改正 or 劝其退党, then 退党 or 除名; a 预备党员 延长预备期 or 取消预备党员资格; once
// decided, nothing more.
func outcomeChoices(it Appraisal) []string {
	last := ""
	if it.Outcome != nil {
		last = it.Outcome.Outcome
	}
	switch {
	case it.Category != "full" && last == "":
		return probationaryOutcomes
	case it.Category != "full" || it.Grade != "unqualified":
		return []string{}
	case last == "":
		return []string{"corrected", "persuade"}
	case last == "persuade":
		return afterPersuasion
	}
	return []string{}
}

// Outcome is a dated decision on a member after the appraisal, and who took it.
type Outcome struct {
	Outcome   string `json:"outcome"`
	DecidedOn string `json:"decided_on"`
	DecidedBy string `json:"decided_by"`
	Note      string `json:"note"`
}

// NewOutcome is the body of POST /api/v1/activities/{id}/outcomes.
type NewOutcome struct {
	MemberID int64 `json:"member_id"`
	Outcome
}

// outcomes are the newest decision per member on an appraisal (shared by its corrections).
func (s *Store) outcomes(ctx context.Context, q db.Querier, a *life.Activity) (map[int64]Outcome, error) {
	meeting, err := meetingOf(ctx, q, a)
	if err != nil {
		return nil, err
	}
	out := map[int64]Outcome{}
	if err := db.Each(ctx, q, `SELECT member_id, outcome, decided_on, decided_by, note FROM review_outcomes o WHERE activity_id = ?
		AND id = (SELECT MAX(x.id) FROM review_outcomes x WHERE x.activity_id = o.activity_id AND x.member_id = o.member_id)`, []any{meeting}, func(rs db.Scanner) error {
		var id int64
		var o Outcome
		if err := rs.Scan(&id, &o.Outcome, &o.DecidedOn, &o.DecidedBy, &o.Note); err != nil {
			return err
		}
		out[id] = o
		return nil
	}); err != nil {
		return nil, err
	}
	return out, nil
}

// RecordOutcome records the branch's decision on a member after the appraisal; one that ends
// membership sets the member's status through the roster, so the member leaves the current
// roster with the reason.
func (s *Store) RecordOutcome(ctx context.Context, sc *auth.Scope, id int64, n NewOutcome, lang i18n.Lang) (*Appraisals, error) {
	now := s.Clock.Now()
	var out *Appraisals
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		a, err := s.ForWrite(ctx, tx, sc, id, life.MayWrite(sc), func(a *life.Activity) bool {
			return a.SupersededBy == 0 && a.State != life.Planned && a.State != life.Cancelled
		})
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
		var it *Appraisal
		for i := range cur.Items {
			if cur.Items[i].MemberID == n.MemberID {
				it = &cur.Items[i]
			}
		}
		if it != nil && it.Outcome != nil && len(it.Choices) == 0 {
			return httpx.Conflict("conflict", i18n.M("v.outcome.closed", i18n.M("outcome."+it.Outcome.Outcome)))
		}
		if err := n.validate(it, cur.day, clock.Today(now)); err != nil {
			return err
		}
		meeting, err := meetingOf(ctx, tx, a)
		if err != nil {
			return err
		}
		err = s.Track(ctx, tx, a.OrgID, append(life.RecordYears(a.StartsAt, a.ForYear), rules.YearOf(now)), func() error {
			if _, err := tx.Exec(ctx, `INSERT INTO review_outcomes (activity_id, member_id, outcome, decided_on, decided_by, note, recorded_by, recorded_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, meeting, n.MemberID, n.Outcome.Outcome, n.DecidedOn, n.DecidedBy, n.Note, sc.UserID, now); err != nil {
				return err
			}
			if !leaving[n.Outcome.Outcome] {
				return nil
			}
			status := "expelled"
			note := i18n.T(i18n.ZH, "member.note.outcome", i18n.T(i18n.ZH, "f.review.grade"), i18n.T(i18n.ZH, "outcome."+n.Outcome.Outcome), n.DecidedOn, n.DecidedBy)
			if _, err := s.Members.UpdateTx(ctx, tx, sc, n.MemberID, member.Patch{Status: &status, StatusNote: &note}); err != nil {
				return err
			}
			return member.DateStatusChange(ctx, tx, n.MemberID, now, n.DecidedOn) // in force from the decision
		})
		if err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "outcome", Entity: "member", EntityID: n.MemberID, OrgID: a.OrgID,
			Summary: it.Name + "：" + i18n.T(i18n.ZH, "outcome."+n.Outcome.Outcome), Changes: audit.Snapshot(n)}); err != nil {
			return err
		}
		out, err = s.ReviewsOf(ctx, tx, a, lang)
		return err
	})
	return out, err
}

// validate checks a decision against the member's appraisal: 不合格 full members get the
// measures of the 处置办法 (除名 or 退党 only after 劝其退党), 预备党员 those of 党章第七条.
func (n *NewOutcome) validate(it *Appraisal, appraisedOn, today string) error {
	var is httpx.Issues
	n.DecidedBy, n.Note = strings.TrimSpace(n.DecidedBy), strings.TrimSpace(n.Note)
	switch {
	case it == nil:
		is.Add("member_id", "f.outcome.member_id", "v.review.not_roster")
	case it.Category == "full" && it.Grade != "unqualified":
		is.Add("member_id", "f.outcome.member_id", "v.outcome.not_unqualified")
	case life.OneOf(n.Outcome.Outcome, it.Choices):
	case !life.OneOf(n.Outcome.Outcome, append(append([]string{}, fullOutcomes...), probationaryOutcomes...)):
		is.Add("outcome", "f.outcome", "v.choice", n.Outcome.Outcome)
	case life.OneOf(n.Outcome.Outcome, afterPersuasion):
		is.Add("outcome", "f.outcome", "v.outcome.persuade_first")
	default:
		is.Add("outcome", "f.outcome", "v.outcome.kind", i18n.M("outcome."+n.Outcome.Outcome), i18n.M("category."+it.Category))
	}
	switch {
	case !life.IsDate(n.DecidedOn):
		is.Add("decided_on", "f.outcome.decided_on", "v.date")
	case n.DecidedOn > today:
		is.Add("decided_on", "f.outcome.decided_on", "v.future")
	case n.DecidedOn < appraisedOn:
		is.Add("decided_on", "f.outcome.decided_on", "v.outcome.before", appraisedOn)
	}
	if n.DecidedBy == "" {
		is.Add("decided_by", "f.outcome.decided_by", "v.required")
	} else if utf8.RuneCountInString(n.DecidedBy) > 50 {
		is.Add("decided_by", "f.outcome.decided_by", "v.too_long", 50)
	}
	if utf8.RuneCountInString(n.Note) > 1000 {
		is.Add("note", "f.outcome.note", "v.too_long", 1000)
	}
	return is.Err()
}

// RemindCorrections tells a branch's secretaries of each 不合格 member whose 限期改正 ends within
// the pack's reminder days and who has no decision yet, once per member and appraisal.
func (s *Store) RemindCorrections(ctx context.Context, now time.Time) (int, error) {
	ar := s.Pack().Appraising()
	today := clock.Today(now)
	until := clock.Today(now.AddDate(0, 0, ar.CorrectionRemind))
	list, err := PendingCorrections(ctx, s.DB, today, until, "")
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range list {
		users, err := life.Responsible(ctx, s.DB, d.Org)
		if err != nil {
			return sent, err
		}
		n, err := life.Notify(ctx, s.DB, users, d.Org, "due_soon", fmt.Sprintf("%s：%s限期改正将于%s到期", d.OrgName, d.Name, d.Deadline),
			fmt.Sprintf("%s在民主评议中被评为不合格，限期改正到%s。到期时请支部作出决定：已改正，或劝其退党、除名。依据：%s", d.Name, d.Deadline, ar.Source),
			fmt.Sprintf("/activities/%d", d.ActivityID), fmt.Sprintf("correction:%d:%d", d.ActivityID, d.MemberID), now)
		if err != nil {
			return sent, err
		}
		sent += n
	}
	return sent, nil
}

// CorrectionDue is a 不合格 member's 限期改正 with no decision yet.
type CorrectionDue struct {
	ActivityID int64  `json:"activity_id"`
	Org        int64  `json:"org_id"`
	OrgName    string `json:"org_name"`
	MemberID   int64  `json:"member_id"`
	Name       string `json:"name"`
	Deadline   string `json:"deadline"` // YYYY-MM-DD
}

// PendingCorrections lists the 限期改正 deadlines in [from, until] (from "": any past one too)
// with no decision yet, of organizations whose path is in the subtree of under ("" : all).
func PendingCorrections(ctx context.Context, q db.Querier, from, until, under string) ([]CorrectionDue, error) {
	cond, args := "r.correction_deadline <= ?", []any{until}
	if from != "" {
		cond, args = cond+" AND r.correction_deadline >= ?", append(args, from)
	}
	if under != "" {
		lo, hi := db.SubtreeRange(under)
		cond, args = cond+" AND o.path >= ? AND o.path < ?", append(args, lo, hi)
	}
	var list []CorrectionDue
	if err := db.Each(ctx, q, `SELECT a.id, a.org_id, o.name, m.id, m.name, r.correction_deadline FROM member_reviews r
		JOIN activities a ON a.id = r.activity_id JOIN orgs o ON o.id = a.org_id JOIN members m ON m.id = r.member_id
		WHERE r.grade = 'unqualified' AND r.correction_deadline <> '' AND `+cond+` AND `+life.CountingWhere+`
		AND r.id = (SELECT MAX(x.id) FROM member_reviews x WHERE x.activity_id = r.activity_id AND x.member_id = r.member_id)
		AND NOT EXISTS (SELECT 1 FROM review_outcomes d WHERE d.member_id = r.member_id AND d.activity_id IN (a.id, COALESCE(a.amends_id, 0)))
		ORDER BY r.correction_deadline, m.id`, args, func(rs db.Scanner) error {
		var d CorrectionDue
		if err := rs.Scan(&d.ActivityID, &d.Org, &d.OrgName, &d.MemberID, &d.Name, &d.Deadline); err != nil {
			return err
		}
		list = append(list, d)
		return nil
	}); err != nil {
		return nil, err
	}
	return list, nil
}

// outcomeRoutes are the routes of the branch's decisions after the appraisal.
func (s *Store) outcomeRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/activities/{id}/outcomes", Tag: "life", Summary: "Record the branch's decision on a member after the appraisal (已改正, 劝其退党, then 退党 or 除名; 延长预备期 or 取消预备党员资格); one that ends membership sets the member's status", Perm: auth.NeedWriteMembers,
			Body: NewOutcome{}, Resp: Appraisals{}, Handle: life.OneActivity(func(r *http.Request, n int64) (any, error) {
				var o NewOutcome
				if err := httpx.Decode(r, &o); err != nil {
					return nil, err
				}
				return s.RecordOutcome(r.Context(), auth.From(r.Context()), n, o, httpx.Lang(r.Context()))
			})},
	}
}

package assess

// 公示 and award: the round's results are published for the set's number of working days
// through internal/publicity (the calendar decides the last day); objections are raised against
// an organization of the round and answered by the level; award closes the notice (refused
// before its last day or with objections open) and writes each organization's star.

import (
	"context"
	"fmt"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/publicity"
)

// SubjectRound is the publicity subject of a round's 公示.
const SubjectRound = "assess_round"

func init() {
	i18n.Register(map[string][2]string{
		"assess.not_reviewed": {"还有 %d 个组织未完成审核，不能开始公示", "%d organizations are not reviewed yet"},
		"assess.round_state":  {"本轮当前状态为“%s”，不能进行此操作", "not possible while the round is %s"},
		"assess.rs.open":      {"进行中", "open"},
		"assess.rs.publicity": {"公示中", "in 公示"},
		"assess.rs.awarded":   {"已授星", "awarded"},
		"assess.no_notice":    {"本轮尚未公示", "the round has not been published"},
		"f.assess.text":       {"异议内容", "Objection"},
		"f.assess.org_id":     {"异议针对的组织", "Organization objected to"},
		"assess.upheld":       {"公示异议成立：%s", "objection upheld: %s"},
	})
}

// RoundNotice is the round's notice (publicity.Notice under its own name: the API already
// has a Notice, the reminders').
type RoundNotice publicity.Notice

// Publicity is a round's 公示 with its objections.
type Publicity struct {
	Notice     *RoundNotice          `json:"notice"`
	Objections []publicity.Objection `json:"objections"`
}

// Publish opens the round's 公示 once every organization is reviewed (ManageOrgs on the
// round's organization). Its length is the set's publicity_days working days.
func (s *Store) Publish(ctx context.Context, sc *auth.Scope, roundID int64) (*Publicity, error) {
	err := s.roundWrite(ctx, sc, roundID, RoundOpen, "assess_publicity", func(tx *db.Tx, r *Round, set *Set, now time.Time) error {
		var waiting int
		if err := tx.QueryRow(ctx, `SELECT COALESCE(SUM(n), 0) FROM assess_round_counts WHERE round_id = ? AND state <> ?`, roundID, Reviewed).Scan(&waiting); err != nil {
			return err
		}
		if waiting > 0 {
			return httpx.Conflict("assess_not_reviewed", i18n.M("assess.not_reviewed", waiting))
		}
		if _, err := s.Pub.Open(ctx, tx, publicity.OpenIn{OrgID: r.OrgID, Subject: SubjectRound, SubjectID: roundID,
			Title: r.Name + " 结果公示", WorkingDays: set.PublicityDays, By: sc.UserID}); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE assess_rounds SET state = ? WHERE id = ?`, RoundPublicity, roundID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Publicity(ctx, sc, roundID)
}

// roundWrite runs a change of a whole round: ManageOrgs on its organization, the round in
// state, locked; audited.
func (s *Store) roundWrite(ctx context.Context, sc *auth.Scope, roundID int64, state, action string, fn func(tx *db.Tx, r *Round, set *Set, now time.Time) error) error {
	now := s.Clock.Now().UTC()
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.round(ctx, tx, roundID)
		if err != nil {
			return err
		}
		if r == nil || !sc.Can(auth.Read, r.path) {
			return sc.Refuse(httpx.NotFound("f.assess.round"))
		}
		if !sc.Can(auth.ManageOrgs, r.path) {
			return httpx.Forbidden()
		}
		if err := tx.Lock(ctx, "assess_rounds", roundID); err != nil {
			return err
		}
		if r.State != state {
			return httpx.Conflict("assess_round_state", i18n.M("assess.round_state", i18n.M("assess.rs."+r.State)))
		}
		set, err := s.setByRow(ctx, tx, r.SetID)
		if err != nil {
			return err
		}
		if err := fn(tx, r, set, now); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: action, Entity: "assess_round", EntityID: roundID, OrgID: r.OrgID, Summary: r.Name})
	})
}

// Publicity reads a round's 公示 (read on the round's organization, or on an organization of
// the round: those assessed read the notice and the objections about them).
func (s *Store) Publicity(ctx context.Context, sc *auth.Scope, roundID int64) (*Publicity, error) {
	if _, _, err := s.roundFor(ctx, s.DB, sc, roundID); err != nil {
		return nil, err
	}
	n, err := s.Pub.Of(ctx, s.DB, SubjectRound, roundID)
	if err != nil {
		return nil, err
	}
	out := &Publicity{Objections: []publicity.Objection{}}
	if n != nil {
		out.Notice = (*RoundNotice)(n.Localize(httpx.Lang(ctx)))
		objs, err := s.Pub.Objections(ctx, s.DB, n.ID)
		if err != nil {
			return nil, err
		}
		out.Objections = append(out.Objections, objs...)
	}
	return out, nil
}

// NewObjection is the body of POST …/objections.
type NewObjection struct {
	OrgID int64  `json:"org_id"` // the organization of the round objected to
	Text  string `json:"text"`
}

// Object raises an objection during the 公示: anyone who reads the organization objected to
// (its members included: an account linked to a member of it reads it through their record
// is not enough — they object through their branch's page, which needs read on the branch).
func (s *Store) Object(ctx context.Context, sc *auth.Scope, roundID int64, b NewObjection) (*publicity.Objection, error) {
	var out *publicity.Objection
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		r, err := s.round(ctx, tx, roundID)
		if err != nil {
			return err
		}
		if r == nil {
			return sc.Refuse(httpx.NotFound("f.assess.round"))
		}
		e, err := s.enrolledIn(ctx, tx, roundID, b.OrgID)
		if err != nil {
			return err
		}
		if e == nil || !sc.Can(auth.Read, e.path) {
			return sc.Refuse(httpx.Invalid(httpx.FieldIssue("org_id", "f.assess.org_id", "v.choice", fmt.Sprint(b.OrgID))))
		}
		n, err := s.Pub.Of(ctx, tx, SubjectRound, roundID)
		if err != nil {
			return err
		}
		if n == nil {
			return httpx.Conflict("assess_no_notice", i18n.M("assess.no_notice"))
		}
		out, err = s.Pub.Object(ctx, tx, n.ID, publicity.ObjectIn{Target: "org", TargetID: b.OrgID, Text: b.Text, By: sc.UserID})
		if err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), s.Clock.Now().UTC(), audit.Entry{Action: "object", Entity: "assess_round", EntityID: roundID, OrgID: b.OrgID, Summary: r.Name + " · " + e.name})
	})
	return out, err
}

// AnswerIn is the body of POST …/objections/{oid}/answer.
type AnswerIn struct {
	Upheld bool   `json:"upheld"`
	Answer string `json:"answer"`
}

// Answer upholds or dismisses an objection (ManageOrgs on the round's organization). An upheld
// objection withholds that organization's star at the award, with the answer as the reason.
func (s *Store) Answer(ctx context.Context, sc *auth.Scope, roundID, objectionID int64, b AnswerIn) (*publicity.Objection, error) {
	var out *publicity.Objection
	err := s.roundWrite(ctx, sc, roundID, RoundPublicity, "assess_answer", func(tx *db.Tx, r *Round, set *Set, now time.Time) error {
		n, err := s.Pub.Of(ctx, tx, SubjectRound, roundID)
		if err != nil {
			return err
		}
		o, err := s.Pub.Objection(ctx, tx, objectionID)
		if err != nil {
			return err
		}
		if n == nil || o.NoticeID != n.ID {
			return httpx.NotFound("f.objection")
		}
		out, err = s.Pub.Answer(ctx, tx, objectionID, b.Upheld, b.Answer, sc.UserID)
		return err
	})
	return out, err
}

// Award closes the 公示 and awards each reviewed organization its star (ManageOrgs on the
// round's organization): valid from award_on for the set's valid_months. An organization
// with an upheld objection, a veto or no band gets no star.
func (s *Store) Award(ctx context.Context, sc *auth.Scope, roundID int64) (*Round, error) {
	err := s.roundWrite(ctx, sc, roundID, RoundPublicity, "assess_award", func(tx *db.Tx, r *Round, set *Set, now time.Time) error {
		n, err := s.Pub.Of(ctx, tx, SubjectRound, roundID)
		if err != nil {
			return err
		}
		if _, err := s.Pub.Close(ctx, tx, n.ID, sc.UserID); err != nil {
			return err
		}
		objs, err := s.Pub.Objections(ctx, tx, n.ID)
		if err != nil {
			return err
		}
		withheld := map[int64]string{}
		for _, o := range objs {
			if o.State == publicity.ObjUpheld && o.Target == "org" {
				withheld[o.TargetID] = i18n.T(i18n.ZH, "assess.upheld", o.Answer)
			}
		}
		until := validUntil(r.AwardOn, set.ValidMonths)
		type res struct {
			org   int64
			stars int
			band  string
		}
		rows, err := db.All(ctx, tx, `SELECT org_id, stars, band FROM assess_orgs WHERE round_id = ? AND state = ?`, []any{roundID, Reviewed}, func(r db.Scanner) (res, error) {
			var x res
			err := r.Scan(&x.org, &x.stars, &x.band)
			return x, err
		})
		if err != nil {
			return err
		}
		events := make([][]any, 0, len(rows))
		for _, x := range rows {
			reason := ""
			if why, ok := withheld[x.org]; ok {
				x.stars, x.band, reason = 0, "", why
			}
			events = append(events, []any{x.org, roundID, EventAward, x.stars, x.band, until, reason, sc.UserID, now})
		}
		if _, err := tx.CopyRows(ctx, "assess_star_events", []string{"org_id", "round_id", "kind", "stars", "band", "valid_until", "reason", "by_user", "at"}, events); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assess_orgs SET state = ?, updated_at = ? WHERE round_id = ? AND state = ?`, Awarded, now, roundID, Reviewed); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE assess_round_counts SET state = ? WHERE round_id = ? AND state = ?`, Awarded, roundID, Reviewed); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE assess_rounds SET state = ? WHERE id = ?`, RoundAwarded, roundID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Round(ctx, sc, roundID)
}

// validUntil is the last day a star awarded on day holds for months.
func validUntil(day string, months int) string {
	t, err := time.ParseInLocation("2006-01-02", day, clock.CST)
	if err != nil {
		return day
	}
	return clock.Today(t.AddDate(0, months, -1))
}

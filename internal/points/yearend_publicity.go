package points

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/publicity"
	"dangjian/internal/tree"
)

// Publicity is the 公示 of a year end (internal/publicity's notice, as the API shows it).
type Publicity struct {
	ID             int64  `json:"id"`
	From           string `json:"from"` // YYYY-MM-DD (CST), inclusive
	To             string `json:"to"`   // the WorkingDays-th working day
	WorkingDays    int    `json:"working_days"`
	Missing        []int  `json:"missing"` // calendar years without data the window crossed (counted Mon–Fri)
	Warning        string `json:"warning"` // what Missing means (Chinese; warning_en English)
	WarningEN      string `json:"warning_en"`
	State          string `json:"state"` // open, ended, closed
	InWindow       bool   `json:"in_window"`
	Objections     int    `json:"objections"`
	OpenObjections int    `json:"open_objections"`
}

// ObjectionAt is an objection raised during a year end's 公示, with the member it concerns.
type ObjectionAt struct {
	ID         int64      `json:"id"`
	MemberID   int64      `json:"member_id"` // whose rating it is about
	MemberName string     `json:"member_name"`
	Text       string     `json:"text"`
	Mine       bool       `json:"mine"` // raised by the caller
	RaisedAt   time.Time  `json:"raised_at"`
	State      string     `json:"state"` // open, upheld, dismissed
	Answer     string     `json:"answer"`
	AnsweredAt *time.Time `json:"answered_at" jsonschema:"nullable"`
}

// PublicityStart is the body of POST /api/v1/points/yearend/{id}/publicity.
type PublicityStart struct {
	From string `json:"from,omitempty"` // the first day (YYYY-MM-DD, CST); default today
}

// NewObjection is the body of POST /api/v1/points/yearend/{id}/objections.
type NewObjection struct {
	MemberID int64  `json:"member_id"` // whose rating: the objector's own or another member's
	Text     string `json:"text"`
}

// ObjectionAnswer is the body of POST /api/v1/points/yearend/{id}/objections/{oid}/answer.
type ObjectionAnswer struct {
	Upheld bool   `json:"upheld"`
	Answer string `json:"answer"`
	Stars  *int   `json:"stars,omitempty"` // upheld: the changed rating
}

// StartPublicity starts the 公示 of a reviewed year end for the scheme's working days (from today or
// a later day): WriteMembers on the organization; every rating reviewed.
func (s *Store) StartPublicity(ctx context.Context, sc *auth.Scope, id int64, in PublicityStart) (*BranchYear, error) {
	today := clock.Today(s.Clock.Now())
	if in.From != "" {
		if _, err := time.Parse("2006-01-02", in.From); err != nil || in.From < today {
			return nil, httpx.Invalid(httpx.FieldIssue("from", "f.points.from", "pts.v.future_from"))
		}
	}
	var y *yearRow
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if y, err = yearByID(ctx, tx, sc, id, auth.WriteMembers); err != nil {
			return err
		}
		if err := needState(y, YearReview, "publish"); err != nil {
			return err
		}
		sch, err := s.schemeByRow(ctx, tx, y.SchemeID)
		if err != nil {
			return err
		}
		if sch.YearEnd == nil {
			return httpx.Conflict("no_publicity_days", i18n.M("pts.ye.no_days"))
		}
		var open int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM points_reviews WHERE yearend_id = ? AND state = ?`, id, RatingProposed).Scan(&open); err != nil {
			return err
		}
		if open > 0 {
			return httpx.Conflict("unreviewed", i18n.M("pts.ye.unreviewed", open))
		}
		n, err := s.Publicity.Open(ctx, tx, publicity.OpenIn{OrgID: y.OrgID, Subject: PublicitySubject, SubjectID: id,
			Title: fmt.Sprintf("%s %d 年度党员星级评定结果公示", y.OrgName, y.Year), WorkingDays: sch.YearEnd.PublicityDays, From: in.From, By: sc.UserID})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE points_yearends SET state = ?, notice_id = ? WHERE id = ?`, YearPublicity, n.ID, id); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), s.Clock.Now().UTC(), audit.Entry{Action: "publicity", Entity: "points_yearend", EntityID: id, OrgID: y.OrgID,
			Summary: fmt.Sprintf("公示 %s 至 %s（%d 个工作日）", n.From, n.To, n.WorkingDays)})
	})
	if err != nil {
		return nil, err
	}
	return s.YearOf(ctx, sc, y.OrgID, y.Year)
}

// Object raises an objection to a member's rating during the 公示: only a member of the
// organization (their own account), on their own or another member's rating; publicity
// refuses it outside the window.
func (s *Store) Object(ctx context.Context, sc *auth.Scope, id int64, in NewObjection) (*ObjectionAt, error) {
	var out *ObjectionAt
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		y, err := yearLoad(ctx, tx, id)
		if err != nil {
			return sc.Refuse(err)
		}
		in.Text = strings.TrimSpace(in.Text)
		mine, err := s.memberOf(ctx, tx, sc, y.OrgID)
		if err != nil {
			return err
		}
		if !mine { // only the branch's members object; its readers see why
			if !sc.Can(auth.Read, y.Path) {
				return sc.Refuse(httpx.NotFound("f.yearend"))
			}
			return &httpx.Error{Status: http.StatusForbidden, Code: "not_branch_member", Detail: i18n.M("pts.ye.not_member")}
		}
		if err := needState(y, YearPublicity, "object"); err != nil {
			return err
		}
		if in.Text == "" || len([]rune(in.Text)) > 1000 {
			return httpx.Invalid(httpx.FieldIssue("text", "f.points.text", "pts.v.text"))
		}
		var name string
		if err := tx.QueryRow(ctx, `SELECT m.name FROM points_reviews r JOIN members m ON m.id = r.member_id WHERE r.yearend_id = ? AND r.member_id = ?`,
			id, in.MemberID).Scan(&name); err != nil {
			return httpx.Invalid(httpx.FieldIssue("member_id", "f.points.member", "pts.v.not_rated"))
		}
		o, err := s.Publicity.Object(ctx, tx, y.NoticeID, publicity.ObjectIn{Target: "member", TargetID: in.MemberID, Text: in.Text, By: sc.UserID})
		if err != nil {
			return err
		}
		out = &ObjectionAt{ID: o.ID, MemberID: in.MemberID, MemberName: name, Text: o.Text, Mine: true, RaisedAt: o.RaisedAt.UTC(), State: o.State}
		return audit.Write(ctx, tx, sc.Actor(), s.Clock.Now().UTC(), audit.Entry{Action: "object", Entity: "points_yearend", EntityID: id, OrgID: y.OrgID,
			Summary: fmt.Sprintf("异议 #%d（%s）", o.ID, name)})
	})
	return out, err
}

// AnswerObjection answers an objection (WriteMembers on the organization, during the
// 公示): dismissed with an answer, or upheld with the changed rating, the answer being its
// reason (a new event in the rating's history).
func (s *Store) AnswerObjection(ctx context.Context, sc *auth.Scope, id, objectionID int64, in ObjectionAnswer) (*ObjectionAt, error) {
	in.Answer = strings.TrimSpace(in.Answer)
	if in.Answer == "" || len([]rune(in.Answer)) > 1000 {
		return nil, httpx.Invalid(httpx.FieldIssue("answer", "f.points.answer", "pts.v.text"))
	}
	var out *ObjectionAt
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		y, err := yearByID(ctx, tx, sc, id, auth.WriteMembers)
		if err != nil {
			return err
		}
		if err := needState(y, YearPublicity, "answer"); err != nil {
			return err
		}
		ob, err := s.Publicity.Objection(ctx, tx, objectionID)
		if err != nil {
			return err
		}
		if ob.NoticeID != y.NoticeID {
			return httpx.NotFound("f.objection")
		}
		var rid int64
		var stars int
		var name string
		if err := tx.QueryRow(ctx, `SELECT r.id, r.stars, m.name FROM points_reviews r JOIN members m ON m.id = r.member_id WHERE r.yearend_id = ? AND r.member_id = ?`,
			id, ob.TargetID).Scan(&rid, &stars, &name); err != nil {
			return err
		}
		if in.Upheld {
			sch, err := s.schemeByRow(ctx, tx, y.SchemeID)
			if err != nil {
				return err
			}
			if in.Stars == nil || *in.Stars == stars {
				return httpx.Invalid(httpx.FieldIssue("stars", "f.points.stars", "pts.v.upheld_stars"))
			}
			if err := checkStars(sch, "stars", *in.Stars); err != nil {
				return err
			}
		}
		a, err := s.Publicity.Answer(ctx, tx, objectionID, in.Upheld, in.Answer, sc.UserID)
		if err != nil {
			return err
		}
		now := s.Clock.Now().UTC()
		if in.Upheld {
			if _, err := tx.Exec(ctx, `UPDATE points_reviews SET stars = ?, reason = ? WHERE id = ?`, *in.Stars, in.Answer, rid); err != nil {
				return err
			}
			if err := starEvent(ctx, tx, rid, EventObjection, *in.Stars, in.Answer, objectionID, sc.UserID, now); err != nil {
				return err
			}
		}
		out = objectionAt(*a, name, sc.UserID)
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "answer", Entity: "points_yearend", EntityID: id, OrgID: y.OrgID,
			Summary: fmt.Sprintf("异议 #%d %s：%s", objectionID, a.State, in.Answer)})
	})
	return out, err
}

func objectionAt(o publicity.Objection, name string, caller int64) *ObjectionAt {
	return &ObjectionAt{ID: o.ID, MemberID: o.TargetID, MemberName: name, Text: o.Text, Mine: caller != 0 && o.RaisedBy == caller,
		RaisedAt: o.RaisedAt.UTC(), State: o.State, Answer: o.Answer, AnsweredAt: o.AnsweredAt}
}

// Confirm makes a year end's ratings final after its 公示 (WriteMembers on the organization):
// publicity refuses before the window has passed or while an objection is open.
func (s *Store) Confirm(ctx context.Context, sc *auth.Scope, id int64) (*BranchYear, error) {
	var y *yearRow
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if y, err = yearByID(ctx, tx, sc, id, auth.WriteMembers); err != nil {
			return err
		}
		if err := needState(y, YearPublicity, "confirm"); err != nil {
			return err
		}
		if _, err := s.Publicity.Close(ctx, tx, y.NoticeID, sc.UserID); err != nil {
			return err
		}
		now := s.Clock.Now().UTC()
		if _, err := tx.Exec(ctx, `UPDATE points_yearends SET state = ?, confirmed_by = ?, confirmed_at = ? WHERE id = ?`, YearConfirmed, nullID(sc.UserID), now, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE points_reviews SET state = ? WHERE yearend_id = ?`, RatingConfirmed, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO points_star_events (review_id, kind, stars, reason, ref_id, by_user, at)
			SELECT id, ?, stars, '', 0, ?, ? FROM points_reviews WHERE yearend_id = ?`, EventConfirm, nullID(sc.UserID), now, id); err != nil {
			return err
		}
		r := tree.Rollup{}
		if err := db.Each(ctx, tx, `SELECT stars, COUNT(*) FROM points_reviews WHERE yearend_id = ? AND withdrawn_at IS NULL GROUP BY stars`, []any{id},
			func(row db.Scanner) error {
				var stars, n int
				err := row.Scan(&stars, &n)
				r.Add(y.Path, DimRated, ratedKey(y.Year, stars), n)
				return err
			}); err != nil {
			return err
		}
		if err := r.Flush(ctx, tx); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "confirm", Entity: "points_yearend", EntityID: id, OrgID: y.OrgID,
			Summary: fmt.Sprintf("%d 年度评星确认", y.Year)})
	})
	if err != nil {
		return nil, err
	}
	return s.YearOf(ctx, sc, y.OrgID, y.Year)
}

// publicityOf reads the 公示 and its objections: a reader of the organization sees all of
// them; a member, the ones they raised and the ones about their own rating.
func (s *Store) publicityOf(ctx context.Context, sc *auth.Scope, noticeID int64, reader bool, rs []Rating) (*Publicity, []ObjectionAt, error) {
	n, err := s.Publicity.Get(ctx, s.DB, noticeID)
	if err != nil {
		return nil, nil, err
	}
	today := clock.Today(s.Clock.Now())
	p := &Publicity{ID: n.ID, From: n.From, To: n.To, WorkingDays: n.WorkingDays, Missing: n.Missing, State: n.State,
		InWindow: n.State != "closed" && today >= n.From && today <= n.To, Objections: n.Objections, OpenObjections: n.OpenObjections}
	if p.Missing == nil {
		p.Missing = []int{}
	}
	p.Warning, p.WarningEN = n.Localize(i18n.ZH).Warning, n.Localize(i18n.EN).Warning
	os, err := s.Publicity.Objections(ctx, s.DB, noticeID)
	if err != nil {
		return nil, nil, err
	}
	names := map[int64]string{}
	for _, r := range rs {
		names[r.MemberID] = r.MemberName
	}
	out := []ObjectionAt{}
	for _, o := range os {
		if reader || o.RaisedBy == sc.UserID || (sc.MemberID != 0 && o.TargetID == sc.MemberID) {
			out = append(out, *objectionAt(o, names[o.TargetID], sc.UserID))
		}
	}
	return p, out, nil
}

package points

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"dangjian/internal/member"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
	"dangjian/internal/tree"
)

// StarEvent is one event of a rating's append-only history.
type StarEvent struct {
	ID     int64     `json:"id"`
	Kind   string    `json:"kind"`  // review, objection, confirm, withdraw, restore, appeal
	Stars  int       `json:"stars"` // the rating in effect after it (0 after 摘星)
	Reason string    `json:"reason"`
	RefID  int64     `json:"ref_id"` // the objection or appeal it answers
	By     int64     `json:"by"`
	At     time.Time `json:"at"`
}

// StarChange is the body of 摘星 and of restoring: the reason is required.
type StarChange struct {
	Reason string `json:"reason"`
}

func init() {
	i18n.Register(map[string][2]string{
		"pts.star.not_final":  {"星级尚未确认，不能摘星或恢复", "the rating is not confirmed: it cannot be withdrawn or restored"},
		"pts.star.withdrawn":  {"该星级已被摘除", "the stars are already withdrawn"},
		"pts.star.not_withdr": {"该星级未被摘除，无需恢复", "the stars are not withdrawn"},
	})
}

// ratingRow is a rating with its organization's path, for a write.
type ratingRow struct {
	ID, MemberID, OrgID int64
	Year, Stars         int
	State, Path         string
	Withdrawn           bool
}

// ratingByID loads a rating for a write needing perm on its organization (invisible → 403,
// 404 for an admin).
func ratingByID(ctx context.Context, tx *db.Tx, sc *auth.Scope, id int64, perm auth.Perm) (*ratingRow, error) {
	var r ratingRow
	var withdrawn sql.NullTime
	err := tx.QueryRow(ctx, `SELECT r.id, r.member_id, r.org_id, r.year, r.stars, r.state, o.path, r.withdrawn_at
		FROM points_reviews r JOIN orgs o ON o.id = r.org_id WHERE r.id = ?`, id).
		Scan(&r.ID, &r.MemberID, &r.OrgID, &r.Year, &r.Stars, &r.State, &r.Path, &withdrawn)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !sc.Can(auth.Read, r.Path)) {
		return nil, sc.Refuse(httpx.NotFound("f.rating"))
	}
	if err != nil {
		return nil, err
	}
	if !sc.Can(perm, r.Path) {
		return nil, httpx.Forbidden()
	}
	r.Withdrawn = withdrawn.Valid
	return &r, nil
}

// Withdraw is 摘星: a confirmed rating's stars stop counting, with a reason (WriteMembers on
// the rating's organization: the branch, or any level above it).
func (s *Store) Withdraw(ctx context.Context, sc *auth.Scope, id int64, in StarChange) ([]StarEvent, error) {
	return s.changeStars(ctx, sc, id, in, true)
}

// Restore gives withdrawn stars back, with a reason.
func (s *Store) Restore(ctx context.Context, sc *auth.Scope, id int64, in StarChange) ([]StarEvent, error) {
	return s.changeStars(ctx, sc, id, in, false)
}

func (s *Store) changeStars(ctx context.Context, sc *auth.Scope, id int64, in StarChange, withdraw bool) ([]StarEvent, error) {
	reason := strings.TrimSpace(in.Reason)
	if reason == "" || len([]rune(reason)) > 500 {
		return nil, httpx.Invalid(httpx.FieldIssue("reason", "f.points.reason", "pts.v.text"))
	}
	var out []StarEvent
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		r, err := ratingByID(ctx, tx, sc, id, auth.WriteMembers)
		if err != nil {
			return err
		}
		switch {
		case r.State != RatingConfirmed:
			return httpx.Conflict("rating_not_final", i18n.M("pts.star.not_final"))
		case withdraw && r.Withdrawn:
			return httpx.Conflict("already_withdrawn", i18n.M("pts.star.withdrawn"))
		case !withdraw && !r.Withdrawn:
			return httpx.Conflict("not_withdrawn", i18n.M("pts.star.not_withdr"))
		}
		now := s.Clock.Now().UTC()
		kind, stars, at := EventRestore, r.Stars, any(nil)
		if withdraw {
			kind, stars, at = EventWithdraw, 0, now
		}
		if _, err := tx.Exec(ctx, `UPDATE points_reviews SET withdrawn_at = ? WHERE id = ?`, at, id); err != nil {
			return err
		}
		if err := starEvent(ctx, tx, id, kind, stars, reason, 0, sc.UserID, now); err != nil {
			return err
		}
		r2 := tree.Rollup{}
		r2.Add(r.Path, DimRated, ratedKey(r.Year, r.Stars), map[bool]int{true: -1, false: 1}[withdraw])
		if err := r2.Flush(ctx, tx); err != nil {
			return err
		}
		if err := audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: kind, Entity: "points_rating", EntityID: id, OrgID: r.OrgID,
			Summary: fmt.Sprintf("%d 年度 %d 星：%s", r.Year, r.Stars, reason)}); err != nil {
			return err
		}
		out, err = starEvents(ctx, tx, id)
		return err
	})
	return out, err
}

// starEvents is a rating's history, oldest first.
func starEvents(ctx context.Context, q db.Querier, reviewID int64) ([]StarEvent, error) {
	out, err := db.All(ctx, q, `SELECT id, kind, stars, reason, ref_id, COALESCE(by_user, 0), at FROM points_star_events WHERE review_id = ? ORDER BY id`,
		[]any{reviewID}, func(r db.Scanner) (StarEvent, error) {
			var e StarEvent
			err := r.Scan(&e.ID, &e.Kind, &e.Stars, &e.Reason, &e.RefID, &e.By, &e.At)
			e.At = e.At.UTC()
			return e, err
		})
	if out == nil {
		out = []StarEvent{}
	}
	return out, err
}

// MemberRating is a member's year rating as they (or their branch) see it: the rating once
// published, its history, the year end's 公示, their objections and appeals.
type MemberRating struct {
	MemberID   int64         `json:"member_id"`
	MemberName string        `json:"member_name"`
	Year       int           `json:"year"`
	YearEndID  int64         `json:"yearend_id"` // 0: the branch has not started the year end
	OrgID      int64         `json:"org_id"`
	OrgName    string        `json:"org_name"`
	State      string        `json:"state"`  // the year end's: review, publicity, confirmed ("" none)
	Rating     *Rating       `json:"rating"` // null until the 公示 (for the member), or when not rated
	History    []StarEvent   `json:"history"`
	Publicity  *Publicity    `json:"publicity" jsonschema:"nullable"`
	Objections []ObjectionAt `json:"objections"`
	Appeals    []Appeal      `json:"appeals"`
	CanObject  bool          `json:"can_object"`
	CanAppeal  bool          `json:"can_appeal"` // the rating is confirmed and no appeal of it is open
}

// RatingOf reads a member's rating of a year: the member themselves, or read scope on their
// branch (else 404). The member sees it once the 公示 has started.
func (s *Store) RatingOf(ctx context.Context, sc *auth.Scope, memberID int64, year int) (*MemberRating, error) {
	st, found, err := member.StandingOf(ctx, s.DB, memberID)
	if err != nil {
		return nil, err
	}
	if !found || !sc.CanMember(auth.Read, st.OrgPath, memberID) {
		return nil, httpx.NotFound("f.member")
	}
	out := &MemberRating{MemberID: memberID, MemberName: st.Name, Year: year, OrgID: st.OrgID, History: []StarEvent{}, Objections: []ObjectionAt{}}
	// The year end that rated them, else their branch's.
	var yid int64
	err = s.DB.QueryRow(ctx, `SELECT yearend_id FROM points_reviews WHERE member_id = ? AND year = ?`, memberID, year).Scan(&yid)
	if errors.Is(err, sql.ErrNoRows) {
		err = s.DB.QueryRow(ctx, `SELECT id FROM points_yearends WHERE org_id = ? AND year = ?`, st.OrgID, year).Scan(&yid)
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if out.Appeals, err = s.appealsWhere(ctx, `a.member_id = ? AND a.year = ?`, []any{memberID, year}, 100); err != nil {
		return nil, err
	}
	if yid == 0 {
		return out, nil
	}
	y, err := scanYear(s.DB.QueryRow(ctx, `SELECT `+yearCols+` FROM points_yearends y JOIN orgs o ON o.id = y.org_id WHERE y.id = ?`, yid))
	if err != nil {
		return nil, err
	}
	reader := sc.Can(auth.Read, y.Path)
	out.YearEndID, out.OrgID, out.OrgName, out.State = y.ID, y.OrgID, y.OrgName, y.State
	if y.State == YearReview && !reader {
		return out, nil
	}
	sch, err := s.schemeByRow(ctx, s.DB, y.SchemeID)
	if err != nil {
		return nil, err
	}
	rs, err := s.ratings(ctx, s.DB, `r.yearend_id = ? AND r.member_id = ?`, []any{y.ID, memberID}, sch)
	if err != nil {
		return nil, err
	}
	if len(rs) == 1 {
		out.Rating = &rs[0]
		if out.History, err = starEvents(ctx, s.DB, rs[0].ID); err != nil {
			return nil, err
		}
	}
	if y.NoticeID != 0 {
		var all []ObjectionAt
		if out.Publicity, all, err = s.publicityOf(ctx, sc, y.NoticeID, false, rs); err != nil {
			return nil, err
		}
		for _, o := range all {
			if o.MemberID == memberID || o.Mine {
				out.Objections = append(out.Objections, o)
			}
		}
		inBranch, err := s.memberOf(ctx, s.DB, sc, y.OrgID)
		if err != nil {
			return nil, err
		}
		out.CanObject = inBranch && y.State == YearPublicity && out.Publicity.InWindow
	}
	out.CanAppeal = sc.MemberID == memberID && out.Rating != nil && y.State == YearConfirmed && !openAppeal(out.Appeals, TargetRating, out.Rating.ID)
	return out, nil
}

// StarRef is a member's stars of a year as a reference (for 民主评议): not a verdict.
type StarRef struct {
	Stars     int    `json:"stars"`     // given (0 when withdrawn)
	Final     bool   `json:"final"`     // confirmed after the 公示
	Withdrawn bool   `json:"withdrawn"` // 摘星
	State     string `json:"state"`     // the year end's stage: review, publicity, confirmed
}

// StarsOf reads the year's ratings of members (those rated; others are absent from the map):
// what 民主评议 may show beside a member as a reference.
func StarsOf(ctx context.Context, q db.Querier, memberIDs []int64, year int) (map[int64]StarRef, error) {
	out := map[int64]StarRef{}
	for start := 0; start < len(memberIDs); start += 500 {
		ids := memberIDs[start:min(start+500, len(memberIDs))]
		args := []any{year}
		for _, id := range ids {
			args = append(args, id)
		}
		err := db.Each(ctx, q, `SELECT r.member_id, r.stars, r.withdrawn_at, y.state FROM points_reviews r JOIN points_yearends y ON y.id = r.yearend_id
			WHERE r.year = ? AND r.member_id IN (`+db.Placeholders(len(ids))+`)`, args, func(row db.Scanner) error {
			var id int64
			var ref StarRef
			var withdrawn sql.NullTime
			if err := row.Scan(&id, &ref.Stars, &withdrawn, &ref.State); err != nil {
				return err
			}
			ref.Final, ref.Withdrawn = ref.State == YearConfirmed, withdrawn.Valid
			if ref.Withdrawn {
				ref.Stars = 0
			}
			out[id] = ref
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

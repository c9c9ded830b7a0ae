package points

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Star events: the append-only history of a rating.
const (
	EventReview    = "review"    // the branch accepted or adjusted the proposal
	EventObjection = "objection" // an objection upheld during the 公示 changed it
	EventConfirm   = "confirm"   // the branch confirmed the year's ratings
	EventWithdraw  = "withdraw"  // 摘星
	EventRestore   = "restore"   // the withdrawn stars restored
	EventAppeal    = "appeal"    // the level above changed it on an appeal
)

// RatingItem is one member's rating as the branch gives it.
type RatingItem struct {
	MemberID int64  `json:"member_id"`
	Stars    int    `json:"stars"`
	Reason   string `json:"reason,omitempty"` // required when the stars differ from the proposal
}

// RatingReview is the body of POST /api/v1/points/yearend/{id}/reviews: ratings given (all or
// none), or every rating still proposed accepted as proposed.
type RatingReview struct {
	Items          []RatingItem `json:"items,omitempty"`
	AcceptProposed bool         `json:"accept_proposed,omitempty"`
}

// Review records the branch's ratings (WriteMembers on the organization, in review): a
// rating that differs from the proposal needs a reason, which is kept beside the proposal
// and in the history. All items or none.
func (s *Store) Review(ctx context.Context, sc *auth.Scope, id int64, in RatingReview) (*BranchYear, error) {
	if len(in.Items) > 2000 {
		return nil, httpx.Invalid(httpx.FieldIssue("items", "f.points.items", "pts.v.ids"))
	}
	var y *yearRow
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var err error
		if y, err = yearByID(ctx, tx, sc, id, auth.WriteMembers); err != nil {
			return err
		}
		if err := needState(y, YearReview, "review"); err != nil {
			return err
		}
		sch, err := s.schemeByRow(ctx, tx, y.SchemeID)
		if err != nil {
			return err
		}
		items := in.Items
		if in.AcceptProposed {
			if items, err = proposedItems(ctx, tx, id); err != nil {
				return err
			}
		}
		now := s.Clock.Now().UTC()
		for i, it := range items {
			if err := s.reviewOne(ctx, tx, sc, y, sch, i, it, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.YearOf(ctx, sc, y.OrgID, y.Year)
}

// proposedItems are the ratings still proposed, as proposed.
func proposedItems(ctx context.Context, tx *db.Tx, id int64) ([]RatingItem, error) {
	return db.All(ctx, tx, `SELECT member_id, proposed_stars FROM points_reviews WHERE yearend_id = ? AND state = ? ORDER BY id`,
		[]any{id, RatingProposed}, func(r db.Scanner) (RatingItem, error) {
			var it RatingItem
			err := r.Scan(&it.MemberID, &it.Stars)
			return it, err
		})
}

func (s *Store) reviewOne(ctx context.Context, tx *db.Tx, sc *auth.Scope, y *yearRow, sch *Scheme, i int, it RatingItem, now time.Time) error {
	at := func(f string) string { return "items[" + strconv.Itoa(i) + "]." + f }
	var rid int64
	var proposed int
	err := tx.QueryRow(ctx, `SELECT id, proposed_stars FROM points_reviews WHERE yearend_id = ? AND member_id = ?`, y.ID, it.MemberID).Scan(&rid, &proposed)
	if err != nil {
		return httpx.Invalid(httpx.FieldIssue(at("member_id"), "f.points.member", "pts.v.not_rated"))
	}
	if err := checkStars(sch, at("stars"), it.Stars); err != nil {
		return err
	}
	reason := strings.TrimSpace(it.Reason)
	if it.Stars != proposed && reason == "" {
		return httpx.Invalid(httpx.Issue{Field: at("reason"), Msg: i18n.M("pts.v.adjust_reason", proposed, it.Stars, i18n.M("f.points.reason"))})
	}
	if len([]rune(reason)) > 500 {
		return httpx.Invalid(httpx.FieldIssue(at("reason"), "f.points.reason", "pts.v.note"))
	}
	if it.Stars == proposed {
		reason = ""
	}
	if _, err := tx.Exec(ctx, `UPDATE points_reviews SET stars = ?, reason = ?, state = ?, reviewed_by = ?, reviewed_at = ? WHERE id = ?`,
		it.Stars, reason, RatingReviewed, nullID(sc.UserID), now, rid); err != nil {
		return err
	}
	if err := starEvent(ctx, tx, rid, EventReview, it.Stars, reason, 0, sc.UserID, now); err != nil {
		return err
	}
	return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "review", Entity: "points_rating", EntityID: rid, OrgID: y.OrgID,
		Summary: fmt.Sprintf("%d 年度：建议 %d 星，评定 %d 星 %s", y.Year, proposed, it.Stars, reason)})
}

// checkStars: 0 (no stars) or a level one of the scheme's bands gives.
func checkStars(sch *Scheme, field string, stars int) error {
	var levels []string
	for _, b := range sch.Stars {
		if b.Stars == stars {
			return nil
		}
		levels = append(levels, strconv.Itoa(b.Stars))
	}
	if stars == 0 {
		return nil
	}
	return httpx.Invalid(httpx.FieldIssue(field, "f.points.stars", "pts.v.stars", strings.Join(levels, "、")))
}

// starEvent appends one event to a rating's history.
func starEvent(ctx context.Context, tx *db.Tx, reviewID int64, kind string, stars int, reason string, ref, by int64, at time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO points_star_events (review_id, kind, stars, reason, ref_id, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		reviewID, kind, stars, reason, ref, nullID(by), at)
	return err
}

// shareWarnings flags each band with a share ("1/10") holding more of the rated members:
// shown on review, never enforced.
func shareWarnings(sch *Scheme, rs []Rating) []Warning {
	out := []Warning{}
	if len(rs) == 0 {
		return out
	}
	for _, b := range sch.Stars {
		num, den, ok := share(b.Share)
		if !ok {
			continue
		}
		n := 0
		for _, r := range rs {
			if r.Stars == b.Stars && !r.Withdrawn {
				n++
			}
		}
		if n*den > num*len(rs) {
			pct := n * 100 / len(rs)
			out = append(out, Warning{Stars: b.Stars, Name: b.Name, Count: n, Of: len(rs), Share: b.Share,
				Message: i18n.T(i18n.ZH, "pts.ye.share", b.Name, n, len(rs), pct, b.Share), MessageEN: i18n.T(i18n.EN, "pts.ye.share", b.Name, n, len(rs), pct, b.Share)})
		}
	}
	return out
}

// share parses "1/10".
func share(s string) (num, den int, ok bool) {
	a, b, found := strings.Cut(s, "/")
	if !found {
		return 0, 0, false
	}
	num, e1 := strconv.Atoi(a)
	den, e2 := strconv.Atoi(b)
	return num, den, e1 == nil && e2 == nil && den > 0
}

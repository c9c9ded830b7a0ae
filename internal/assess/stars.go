package assess

// An organization's star is its newest star event: an award (from a round), a withdrawal
// (摘星) or a restoration, each with its reason, never updated. A star holds until its
// valid_until; other modules read it through StarOf.

import (
	"context"
	"strings"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Star events.
const (
	EventAward    = "award"
	EventWithdraw = "withdraw" // 摘星
	EventRestore  = "restore"
)

// StarEvent is one line of an organization's star history.
type StarEvent struct {
	ID         int64     `json:"id"`
	RoundID    int64     `json:"round_id"`
	RoundName  string    `json:"round_name"`
	Kind       string    `json:"kind" enum:"award,withdraw,restore"`
	Stars      int       `json:"stars"`
	Band       string    `json:"band"`
	ValidUntil string    `json:"valid_until"`
	Reason     string    `json:"reason"`
	By         int64     `json:"by"`
	At         time.Time `json:"at"`
}

// Star is an organization's current star and its history, newest first.
type Star struct {
	OrgID      int64       `json:"org_id"`
	Stars      int         `json:"stars"` // 0: none (never awarded, withdrawn, or expired)
	Band       string      `json:"band"`
	ValidUntil string      `json:"valid_until"`
	Withdrawn  bool        `json:"withdrawn"`
	Expired    bool        `json:"expired"`
	RoundID    int64       `json:"round_id"`
	History    []StarEvent `json:"history"`
	CanChange  bool        `json:"can_change"` // the caller may withdraw or restore it
}

func init() {
	i18n.Register(map[string][2]string{
		"assess.no_star":      {"该组织当前没有有效的星级，无法摘星", "the organization holds no star to withdraw"},
		"assess.not_withdraw": {"该组织的星级未被摘除，无需恢复", "the star was not withdrawn"},
		"v.assess.why":        {"%s：请写明理由", "%s: give the reason"},
	})
}

// StarOf is an organization's star on day (YYYY-MM-DD, CST) with its history: for other
// modules (述职评议, the organization page). No scope check: the caller has one.
func StarOf(ctx context.Context, q db.Querier, orgID int64, day string) (*Star, error) {
	hist, err := db.All(ctx, q, `SELECT e.id, e.round_id, r.name, e.kind, e.stars, e.band, e.valid_until, e.reason, COALESCE(e.by_user, 0), e.at
		FROM assess_star_events e JOIN assess_rounds r ON r.id = e.round_id WHERE e.org_id = ? ORDER BY e.id DESC LIMIT 200`, []any{orgID}, func(r db.Scanner) (StarEvent, error) {
		var e StarEvent
		err := r.Scan(&e.ID, &e.RoundID, &e.RoundName, &e.Kind, &e.Stars, &e.Band, &e.ValidUntil, &e.Reason, &e.By, &e.At)
		e.At = e.At.UTC()
		return e, err
	})
	if err != nil {
		return nil, err
	}
	if hist == nil {
		hist = []StarEvent{}
	}
	st := &Star{OrgID: orgID, History: hist}
	if len(hist) == 0 {
		return st, nil
	}
	last := hist[0]
	st.RoundID, st.ValidUntil, st.Band = last.RoundID, last.ValidUntil, last.Band
	st.Withdrawn = last.Kind == EventWithdraw
	st.Expired = last.ValidUntil != "" && last.ValidUntil < day
	if !st.Withdrawn && !st.Expired {
		st.Stars = last.Stars
	}
	if st.Stars == 0 {
		st.Band = ""
	}
	return st, nil
}

// Stars reads an organization's star (read scope).
func (s *Store) Stars(ctx context.Context, sc *auth.Scope, orgID int64) (*Star, error) {
	if _, err := org.Resolve(ctx, s.DB, sc, orgID, auth.Read); err != nil {
		return nil, err
	}
	st, err := StarOf(ctx, s.DB, orgID, clock.Today(s.Clock.Now()))
	if err != nil {
		return nil, err
	}
	if st.RoundID > 0 {
		if r, err := s.round(ctx, s.DB, st.RoundID); err == nil && r != nil {
			st.CanChange = sc.Can(auth.ManageOrgs, r.path)
		}
	}
	return st, nil
}

// StarChange is the body of a withdrawal or a restoration.
type StarChange struct {
	Reason string `json:"reason"`
}

// Withdraw takes an organization's star away (摘星) with a reason: ManageOrgs where the star's
// round was opened (the level that awarded it).
func (s *Store) Withdraw(ctx context.Context, sc *auth.Scope, orgID int64, b StarChange) (*Star, error) {
	return s.change(ctx, sc, orgID, EventWithdraw, b)
}

// Restore gives back a withdrawn star with a reason; it holds until the award's valid_until.
func (s *Store) Restore(ctx context.Context, sc *auth.Scope, orgID int64, b StarChange) (*Star, error) {
	return s.change(ctx, sc, orgID, EventRestore, b)
}

func (s *Store) change(ctx context.Context, sc *auth.Scope, orgID int64, kind string, b StarChange) (*Star, error) {
	now := s.Clock.Now().UTC()
	today := clock.Today(now)
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		if _, err := org.Reach(ctx, tx, sc, orgID, auth.Read); err != nil {
			return sc.Refuse(err)
		}
		if err := tx.Lock(ctx, "orgs", orgID); err != nil {
			return err
		}
		st, err := StarOf(ctx, tx, orgID, today)
		if err != nil {
			return err
		}
		if st.RoundID > 0 {
			r, err := s.round(ctx, tx, st.RoundID)
			if err != nil {
				return err
			}
			if !sc.Can(auth.ManageOrgs, r.path) {
				return httpx.Forbidden()
			}
		} else if !sc.IsAdmin() {
			return httpx.Forbidden()
		}
		reason := strings.TrimSpace(b.Reason)
		if reason == "" {
			return httpx.Invalid(httpx.FieldIssue("reason", "f.assess.reason", "v.assess.why"))
		}
		var stars int
		var band string
		switch kind {
		case EventWithdraw:
			if st.Stars == 0 {
				return httpx.Conflict("assess_no_star", i18n.M("assess.no_star"))
			}
			stars, band = st.Stars, st.Band // kept on the event: what was taken
		case EventRestore:
			if !st.Withdrawn {
				return httpx.Conflict("assess_not_withdrawn", i18n.M("assess.not_withdraw"))
			}
			stars, band = st.History[0].Stars, st.History[0].Band
		}
		if _, err := tx.Exec(ctx, `INSERT INTO assess_star_events (org_id, round_id, kind, stars, band, valid_until, reason, by_user, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			orgID, st.RoundID, kind, stars, band, st.ValidUntil, reason, sc.UserID, now); err != nil {
			return err
		}
		return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "assess_" + kind, Entity: "org", EntityID: orgID, OrgID: orgID, Summary: band + "：" + reason})
	})
	if err != nil {
		return nil, err
	}
	return s.Stars(ctx, sc, orgID)
}

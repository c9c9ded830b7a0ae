package signin

import (
	"context"
	"crypto/rand"
	"dangjian/internal/life"
	"dangjian/internal/life/rules"
	"fmt"
	_ "image/gif" // decoders for thumbnails
	_ "image/png"
	"math/big"
	"net/http"
	"strings"
	"time"

	_ "golang.org/x/image/webp"

	"dangjian/internal/platform/audit"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

// Store keeps sign-in codes and signs members in over the activity records.
type Store struct {
	*life.Store
}

// Routes are the sign-in endpoints: the code, signing in, and the sign-in page.
func (s *Store) Routes() []httpx.Route {
	return append(s.checkinRoutes(), httpx.Route{
		Method: "GET", Path: "/api/v1/activities/{id}/checkin", Tag: "life", Summary: "The sign-in page of an activity: its topic, kinds, time, place and organization, when sign-in opens and closes (the pack's checkin.opens_minutes_before the start to its end) and whether the caller is signed in",
		Perm: httpx.AnyUser, Access: "members on the activity's roster; admin, org_staff, secretary, viewer: their subtree",
		Resp: CheckinInfo{}, Handle: httpx.WithID("f.activity", http.StatusOK, func(r *http.Request, n int64) (any, error) {
			return s.CheckinPage(r.Context(), auth.From(r.Context()), n)
		})})
}

func init() {
	i18n.Register(map[string][2]string{
		"f.checkin.code":   {"签到码", "Sign-in code"},
		"v.checkin.code":   {"%s：签到码无效或已过期", "%s: invalid or expired code"},
		"v.checkin.roster": {"您不在本次活动的名册中", "You are not on this activity's roster"},
	})
}

// CheckinCode is a short-lived code members type (or scan) to sign themselves in.
type CheckinCode struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
	URL       string    `json:"url"` // for a QR code: the client route that signs in
}

// CheckinRequest is the body of POST /api/v1/activities/{id}/checkin.
type CheckinRequest struct {
	Code string `json:"code"`
}

// NewCheckinCode opens sign-in for 15 minutes (at most until the window closes) with a 6-digit
// code, only within the sign-in window (409 outside it). Sign-in is never required:
// attendance can always be recorded by the secretary.
func (s *Store) NewCheckinCode(ctx context.Context, sc *auth.Scope, id int64) (*CheckinCode, error) {
	a, err := s.ForWrite(ctx, s.DB, sc, id, life.MayWrite(sc), func(a *life.Activity) bool { return a.Can.Edit })
	if err != nil {
		return nil, err
	}
	n, err := rand.Int(rand.Reader, big.NewInt(1000000))
	if err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	// A code opens only within the sign-in window and never outlives it.
	if err := s.checkinOpen(a, now); err != nil {
		return nil, err
	}
	expires := now.Add(15 * time.Minute)
	if _, closes := s.checkinWindow(a); closes.Before(expires) {
		expires = closes
	}
	c := &CheckinCode{Code: fmt.Sprintf("%06d", n.Int64()), ExpiresAt: expires}
	c.URL = fmt.Sprintf("/checkin?activity=%d&code=%s", a.ID, c.Code)
	_, err = s.DB.Exec(ctx, `INSERT INTO checkin_codes (activity_id, code_hash, expires_at, created_at) VALUES (?, ?, ?, ?)`,
		id, life.HashSecret(fmt.Sprint(id)+":"+c.Code), c.ExpiresAt, now)
	return c, err
}

// Checkin signs the calling member in to an activity of their branch with a valid code.
func (s *Store) Checkin(ctx context.Context, sc *auth.Scope, id int64, code string) (*life.AttendanceItem, error) {
	now := s.Clock.Now()
	if sc.MemberID == 0 {
		return nil, &httpx.Error{Status: http.StatusForbidden, Code: "forbidden", Detail: i18n.M("v.checkin.roster")}
	}
	if err := s.checkinThrottle(ctx, id, sc.MemberID, now); err != nil {
		return nil, err
	}
	var n int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM checkin_codes WHERE activity_id = ? AND code_hash = ? AND expires_at > ?`,
		id, life.HashSecret(fmt.Sprint(id)+":"+strings.TrimSpace(code)), now).Scan(&n); err != nil {
		return nil, err
	}
	if n == 0 {
		if err := s.checkinFailed(ctx, id, sc.MemberID, now); err != nil {
			return nil, err
		}
		return nil, httpx.Invalid(httpx.FieldIssue("code", "f.checkin.code", "v.checkin.code"))
	}
	if a, err := s.LoadActivity(ctx, s.DB, id); err != nil {
		return nil, err
	} else if err := s.checkinOpen(a, now); err != nil {
		return nil, err
	}
	var out *life.AttendanceItem
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var a life.Activity
		a.ID = id
		if err := tx.QueryRow(ctx, `SELECT org_id, topic, starts_at FROM activities WHERE id = ?`, id).Scan(&a.OrgID, &a.Topic, &a.StartsAt); err != nil {
			return err
		}
		items, err := life.Roster(ctx, tx, &a)
		if err != nil {
			return err
		}
		for _, it := range items {
			if it.MemberID == sc.MemberID {
				err := s.Track(ctx, tx, a.OrgID, []int{rules.YearOf(a.StartsAt)}, func() error {
					_, err := tx.Exec(ctx, `INSERT INTO attendance (activity_id, member_id, state, reason, source, recorded_by, recorded_at) VALUES (?, ?, 'present', '', ?, ?, ?)`,
						id, sc.MemberID, life.SourceCheckin, sc.UserID, now)
					return err
				})
				if err != nil {
					return err
				}
				if err := s.AttendanceChanged(ctx, tx, []int64{sc.MemberID}); err != nil {
					return err
				}
				if err := s.ActivitiesChanged(ctx, tx, id); err != nil {
					return err
				}
				it.State, it.Reason, it.CheckedIn = "present", "", true
				out = &it
				return audit.Write(ctx, tx, sc.Actor(), now, audit.Entry{Action: "checkin", Entity: "activity", EntityID: id, OrgID: a.OrgID, Summary: it.Name})
			}
		}
		return &httpx.Error{Status: http.StatusForbidden, Code: "forbidden", Detail: i18n.M("v.checkin.roster")}
	})
	return out, err
}

// checkinRoutes are the routes of optional self sign-in.
func (s *Store) checkinRoutes() []httpx.Route {
	return []httpx.Route{
		{Method: "POST", Path: "/api/v1/activities/{id}/checkin-code", Tag: "life", Summary: "Open optional self sign-in: a 6-digit code (and QR link) valid 15 minutes", Perm: auth.NeedWriteMembers,
			Resp: CheckinCode{}, Status: http.StatusCreated, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := life.ActivityID(r)
				if err != nil {
					return err
				}
				c, err := s.NewCheckinCode(r.Context(), auth.From(r.Context()), n)
				if err != nil {
					return err
				}
				return httpx.JSON(w, http.StatusCreated, c)
			}},
		{Method: "POST", Path: "/api/v1/activities/{id}/checkin", Tag: "life", Summary: "A member signs themselves in with the code", Perm: httpx.AnyUser, Access: "members on the activity's roster, with the code",
			Body: CheckinRequest{}, Resp: life.AttendanceItem{}, Handle: func(w http.ResponseWriter, r *http.Request) error {
				n, err := life.ActivityID(r)
				if err != nil {
					return err
				}
				var c CheckinRequest
				if err := httpx.Decode(r, &c); err != nil {
					return err
				}
				it, err := s.Checkin(r.Context(), auth.From(r.Context()), n, c.Code)
				if err != nil {
					return err
				}
				return httpx.JSON(w, 200, it)
			}},
	}
}

// Package signin is optional self sign-in: a short-lived code the secretary opens, the member's
// sign-in page, and the throttle of wrong codes (life.Store.CheckinLimits).
package signin

import (
	"context"
	"dangjian/internal/life"
	"database/sql"
	"errors"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func init() {
	i18n.Register(map[string][2]string{
		"v.checkin.not_open": {"签到尚未开始：本次活动于 %s 开放签到（会前%d分钟）", "Sign-in has not opened: it opens at %s (%d minutes before the start)"},
		"v.checkin.closed":   {"签到已结束：本次活动已于 %s 结束", "Sign-in has closed: the activity ended at %s"},
		"v.checkin.state":    {"本次活动为“%s”状态，不能签到", "The activity is %s; sign-in is not possible"},
	})
}

// CheckinInfo is what a member sees on the sign-in page: the meeting, when sign-in is open,
// and whether they are already signed in.
type CheckinInfo struct {
	ActivityID int64      `json:"activity_id"`
	OrgID      int64      `json:"org_id"`
	OrgName    string     `json:"org_name"`
	OrgLabel   string     `json:"org_label"`
	Kinds      []string   `json:"kinds"`
	Topic      string     `json:"topic"`
	StartsAt   time.Time  `json:"starts_at"`
	EndsAt     *time.Time `json:"ends_at" jsonschema:"nullable"`
	Place      string     `json:"place"`
	State      string     `json:"state"`
	OpensAt    time.Time  `json:"opens_at"`  // sign-in works from here …
	ClosesAt   time.Time  `json:"closes_at"` // … to here (the end, or the end of its day)
	Open       bool       `json:"open"`
	OnRoster   bool       `json:"on_roster"`  // the caller is on the activity's roster
	CheckedIn  bool       `json:"checked_in"` // … and signed in (or recorded present)
	Attendance string     `json:"attendance"` // the caller's recorded state, "" when none
}

// checkinWindow is when a sign-in code works: from the pack's opens_minutes_before the start
// to the end (without an end time: the end of the day, China Standard Time).
func (s *Store) checkinWindow(a *life.Activity) (opens, closes time.Time) {
	opens = a.StartsAt.Add(-time.Duration(s.Pack().Checkins().OpensMinutesBefore) * time.Minute)
	if a.EndsAt != nil {
		return opens, a.EndsAt.UTC()
	}
	d := a.StartsAt.In(clock.CST)
	return opens, time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, clock.CST).UTC()
}

// checkinOpen refuses a sign-in outside the window (409, naming when it opens or closed) or to
// a record no longer taking attendance.
func (s *Store) checkinOpen(a *life.Activity, now time.Time) error {
	if a.State == life.Cancelled || a.SupersededBy != 0 || a.State == life.Submitted || a.State == life.Accepted {
		return httpx.Conflict("checkin_closed", i18n.M("v.checkin.state", i18n.M("state."+a.State)))
	}
	opens, closes := s.checkinWindow(a)
	if now.Before(opens) {
		return httpx.Conflict("checkin_not_open", i18n.M("v.checkin.not_open", life.CSTTime(opens), s.Pack().Checkins().OpensMinutesBefore))
	}
	if !now.Before(closes) {
		return httpx.Conflict("checkin_closed", i18n.M("v.checkin.closed", life.CSTTime(closes)))
	}
	return nil
}

// CheckinPage tells the caller about an activity they may sign in to: a member on its roster,
// or anyone who may read its organization.
func (s *Store) CheckinPage(ctx context.Context, sc *auth.Scope, id int64) (*CheckinInfo, error) {
	a, err := s.LoadActivity(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	info := &CheckinInfo{ActivityID: a.ID, OrgID: a.OrgID, OrgName: a.OrgName, Kinds: a.Kinds, Topic: a.Topic, StartsAt: a.StartsAt,
		EndsAt: a.EndsAt, Place: a.Place, State: a.State}
	if sc.MemberID != 0 {
		items, err := life.Roster(ctx, s.DB, a)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if it.MemberID == sc.MemberID {
				info.OnRoster = true
			}
		}
		if info.OnRoster {
			err := s.DB.QueryRow(ctx, `SELECT state FROM attendance WHERE activity_id = ? AND member_id = ? ORDER BY id DESC LIMIT 1`, id, sc.MemberID).Scan(&info.Attendance)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
			info.CheckedIn = info.Attendance == "present"
		}
	}
	if !info.OnRoster && !sc.Can(auth.Read, a.OrgPath()) {
		return nil, httpx.NotFound("f.activity")
	}
	labels, err := org.Labels(ctx, s.DB, []int64{a.OrgID})
	if err != nil {
		return nil, err
	}
	info.OrgLabel = labels[a.OrgID]
	info.OpensAt, info.ClosesAt = s.checkinWindow(a)
	info.Open = s.checkinOpen(a, s.Clock.Now()) == nil
	return info, nil
}

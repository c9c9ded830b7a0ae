package signin

import (
	"context"
	"dangjian/internal/life"
	"dangjian/internal/platform/db"
	"net/http"
	"time"

	"dangjian/internal/platform/httpx"
	"dangjian/internal/platform/i18n"
)

func (s *Store) checkinLimits() life.CheckinLimits {
	if s.CheckinLimits.Window <= 0 {
		return life.DefaultCheckinLimits
	}
	return s.CheckinLimits
}

// checkinThrottle refuses a sign-in attempt with 429 and Retry-After while the member or the
// activity has used up its wrong codes in the window; the answer says when to try again.
func (s *Store) checkinThrottle(ctx context.Context, activityID, memberID int64, now time.Time) error {
	l := s.checkinLimits()
	for _, c := range []struct {
		col string
		id  int64
		max int
	}{{"member_id", memberID, l.PerMember}, {"activity_id", activityID, l.PerActivity}} {
		var times []time.Time
		if err := db.Each(ctx, s.DB, `SELECT failed_at FROM checkin_failures WHERE `+c.col+` = ? AND failed_at > ?
			ORDER BY failed_at DESC LIMIT ?`, []any{c.id, now.Add(-l.Window), c.max}, func(rs db.Scanner) error {
			var t time.Time
			if err := rs.Scan(&t); err != nil {
				return err
			}
			times = append(times, t)
			return nil
		}); err != nil {
			return err
		}
		if len(times) < c.max {
			continue
		}
		// Attempts are allowed again once the oldest of the last max failures leaves the window.
		secs := int((times[len(times)-1].Add(l.Window).Sub(now) + time.Second - 1) / time.Second)
		return &httpx.Error{Status: http.StatusTooManyRequests, Code: "rate_limited", Detail: i18n.M("v.checkin.throttled", max(secs, 1)),
			Extra: map[string]any{"retry_after_seconds": max(secs, 1)}}
	}
	return nil
}

// checkinFailed counts a wrong code (and drops counts that left every window).
func (s *Store) checkinFailed(ctx context.Context, activityID, memberID int64, now time.Time) error {
	if _, err := s.DB.Exec(ctx, `DELETE FROM checkin_failures WHERE failed_at < ?`, now.Add(-s.checkinLimits().Window)); err != nil {
		return err
	}
	_, err := s.DB.Exec(ctx, `INSERT INTO checkin_failures (activity_id, member_id, failed_at) VALUES (?, ?, ?)`, activityID, memberID, now)
	return err
}

func init() {
	i18n.Register(map[string][2]string{
		"code.rate_limited":   {"请求过于频繁", "Too many requests"},
		"v.checkin.throttled": {"签到码错误次数过多，请%d秒后再试", "Too many wrong codes; try again in %d seconds"},
	})
}

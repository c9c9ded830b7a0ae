package life

import (
	"context"
	"database/sql"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/auth"
	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
	"dangjian/internal/platform/httpx"
)

// LapseMonths is the 党章 limit: six consecutive months without organizational life, without
// proper reason, is treated as leaving the Party (REGULATIONS §4).
const LapseMonths = 6

// refreshLastActive recomputes members.last_active_at — the start of the latest counting
// activity each member attended — for the given members.
func refreshLastActive(ctx context.Context, q db.Querier, memberIDs []int64) error {
	if len(memberIDs) == 0 {
		return nil
	}
	args := make([]any, len(memberIDs))
	for i, id := range memberIDs {
		args[i] = id
	}
	_, err := q.Exec(ctx, `UPDATE members SET last_active_at = (
		SELECT MAX(a.starts_at) FROM attendance t JOIN activities a ON a.id = t.activity_id
		WHERE t.member_id = members.id AND t.state = 'present'
		  AND t.id = (SELECT MAX(x.id) FROM attendance x WHERE x.activity_id = t.activity_id AND x.member_id = t.member_id)
		  AND `+countingWhere+`)
		WHERE id IN (`+db.Placeholders(len(memberIDs))+`)`, args...)
	return err
}

// attendeesOf lists every member with attendance recorded for an activity.
func attendeesOf(ctx context.Context, q db.Querier, ids ...int64) ([]int64, error) {
	var out []int64
	for _, id := range ids {
		if id == 0 {
			continue
		}
		rows, err := q.Query(ctx, `SELECT DISTINCT member_id FROM attendance WHERE activity_id = ?`, id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var m int64
			if err := rows.Scan(&m); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, m)
		}
		rows.Close()
	}
	return out, nil
}

// AtRisk is a member who has not taken part in organizational life for a while.
type AtRisk struct {
	MemberID     int64      `json:"member_id"`
	Name         string     `json:"name"`
	OrgID        int64      `json:"org_id"`
	OrgName      string     `json:"org_name"`
	LastActiveAt *time.Time `json:"last_active_at" jsonschema:"nullable"` // null: no attendance on record
	MonthsSince  int        `json:"months_since"`
	Level        string     `json:"level"` // warning (before the limit), lapsed (6 months or more)
	Rule         string     `json:"rule"`
}

// monthsBetween counts whole months from a to b.
func monthsBetween(a, b time.Time) int {
	a, b = a.In(clock.CST), b.In(clock.CST)
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return m
}

// AtRiskMembers lists the current members of a subtree who have not attended for at least
// warnMonths (well before the 6-month limit), longest first. Members exempted now, or whose
// exemption ended within the window, are not at risk; a member with no attendance on record
// is counted from joining the roster (the system cannot know what came before).
func (s *Store) AtRiskMembers(ctx context.Context, sc *auth.Scope, orgID int64, warnMonths int, p httpx.Page) ([]AtRisk, int, error) {
	o, err := org.Lookup(ctx, s.DB, orgID)
	if err != nil {
		return nil, 0, err
	}
	if o == nil || !sc.Can(auth.Read, o.Path) {
		return nil, 0, httpx.NotFound("f.org")
	}
	now := s.Clock.Now()
	cutoff := now.In(clock.CST).AddDate(0, -warnMonths, 0)
	cutoffDate, today := clock.Today(cutoff), clock.Today(now)
	lo, hi := db.SubtreeRange(o.Path)
	where := `m.org_path >= ? AND m.org_path < ? AND m.status IN ('active', 'mobile', 'lost', 'suspended')
		AND ((m.last_active_at IS NULL AND m.created_at < ? AND m.join_date < ?) OR m.last_active_at < ?)
		AND NOT EXISTS (SELECT 1 FROM exemptions e WHERE e.member_id = m.id AND e.revoked_at IS NULL AND e.from_date <= ?
			AND (e.to_date = '' OR e.to_date >= ?))`
	args := []any{lo, hi, cutoff.UTC(), cutoffDate, cutoff.UTC(), today, cutoffDate}
	var total int
	if err := s.DB.QueryRow(ctx, `SELECT COUNT(*) FROM members m WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	rows, err := s.DB.Query(ctx, `SELECT m.id, m.name, m.org_id, o.name, m.last_active_at, m.created_at, m.join_date
		FROM members m JOIN orgs o ON o.id = m.org_id WHERE `+where+`
		ORDER BY CASE WHEN m.last_active_at IS NULL THEN 0 ELSE 1 END, m.last_active_at, m.id LIMIT ? OFFSET ?`,
		append(args, p.Size, p.Offset())...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []AtRisk{}
	for rows.Next() {
		var r AtRisk
		var last sql.NullTime
		var created time.Time
		var joined string
		if err := rows.Scan(&r.MemberID, &r.Name, &r.OrgID, &r.OrgName, &last, &created, &joined); err != nil {
			return nil, 0, err
		}
		since := created
		if last.Valid {
			t := last.Time.UTC()
			r.LastActiveAt, since = &t, t
		}
		r.MonthsSince = monthsBetween(since, now)
		r.Level = "warning"
		if r.MonthsSince >= LapseMonths {
			r.Level = "lapsed"
		}
		r.Rule = "《中国共产党章程》：连续六个月不参加党的组织生活，又无正当理由的，视为自行脱党"
		out = append(out, r)
	}
	return out, total, rows.Err()
}

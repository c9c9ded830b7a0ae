package member

import (
	"context"
	"time"

	"dangjian/internal/platform/db"
)

// A member's status over time (member_status_history, migration 00020): one row per change,
// from the day it took effect. The roster keeps the current value in members.status; the rules
// that judge standing on a past day (民主评议's ⅓ base and gradable list) read the history.

// noteStatus records that member id has status from day on.
func noteStatus(ctx context.Context, q db.Querier, id int64, status, day string, now time.Time) error {
	_, err := q.Exec(ctx, `INSERT INTO member_status_history (member_id, status, from_date, created_at) VALUES (?, ?, ?, ?)`, id, status, day, now)
	return err
}

// DateStatusChange moves the status change of member id recorded at now to day: a decision
// (除名 after 不合格) takes effect on the day it was made, which may be before it was recorded.
func DateStatusChange(ctx context.Context, q db.Querier, id int64, now time.Time, day string) error {
	_, err := q.Exec(ctx, `UPDATE member_status_history SET from_date = ? WHERE member_id = ? AND created_at = ?`, day, id, now)
	return err
}

// StatusAtSQL is an SQL expression for the status of member col (e.g. "m.id") on a day given
// as its one placeholder: the latest change on or before the day, else the earliest recorded
// (a member is taken to have had it before the record began), else members.status of col.
func StatusAtSQL(col string) string {
	return `COALESCE((SELECT h.status FROM member_status_history h WHERE h.member_id = ` + col + ` AND h.from_date <= ?
		ORDER BY h.from_date DESC, h.id DESC LIMIT 1),
		(SELECT h.status FROM member_status_history h WHERE h.member_id = ` + col + ` ORDER BY h.from_date, h.id LIMIT 1),
		(SELECT s.status FROM members s WHERE s.id = ` + col + `))`
}

// StatusChange is one row of a member's status history.
type StatusChange struct {
	Status   string `json:"status"`
	FromDate string `json:"from_date"`
}

// StatusHistories reads the status histories of several members in one query, each in order.
func StatusHistories(ctx context.Context, q db.Querier, ids []int64) (map[int64][]StatusChange, error) {
	out := map[int64][]StatusChange{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	err := db.Each(ctx, q, `SELECT member_id, status, from_date FROM member_status_history WHERE member_id IN (`+db.Placeholders(len(ids))+`)
		ORDER BY member_id, from_date, id`, args, func(r db.Scanner) error {
		var id int64
		var c StatusChange
		if err := r.Scan(&id, &c.Status, &c.FromDate); err != nil {
			return err
		}
		out[id] = append(out[id], c)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// StatusOn is the status a history gives for day (as StatusAtSQL); current when it is empty.
func StatusOn(h []StatusChange, day, current string) string {
	if len(h) == 0 {
		return current
	}
	s := h[0].Status
	for _, c := range h {
		if c.FromDate <= day {
			s = c.Status
		}
	}
	return s
}

// StatusAt gives the status of each of the members on day (YYYY-MM-DD).
func StatusAt(ctx context.Context, q db.Querier, ids []int64, day string) (map[int64]string, error) {
	hist, err := StatusHistories(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, id := range ids {
		if h := hist[id]; len(h) > 0 {
			out[id] = StatusOn(h, day, "")
		}
	}
	return out, nil
}

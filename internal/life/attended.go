package life

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dangjian/internal/platform/clock"
	"dangjian/internal/platform/db"
)

// Attended is what other domains (points) read of one activity's attendance: its
// organization, day (CST) and kinds, whether it counts (a record that took place, not
// superseded, not an amendment under review: the compliance rules' CountingWhere), and the
// members whose current attendance row (the newest per member) is 出席.
type Attended struct {
	ActivityID int64
	OrgID      int64
	Day        string
	Kinds      []string
	Counts     bool
	Present    []int64
}

// AttendedAt reads an activity's Attended; nil when there is no such activity.
func AttendedAt(ctx context.Context, q db.Querier, activityID int64) (*Attended, error) {
	a := &Attended{ActivityID: activityID, Kinds: []string{}, Present: []int64{}}
	var starts time.Time
	var counts int
	err := q.QueryRow(ctx, `SELECT a.org_id, a.starts_at, CASE WHEN `+CountingWhere+` THEN 1 ELSE 0 END FROM activities a WHERE a.id = ?`, activityID).
		Scan(&a.OrgID, &starts, &counts)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	a.Day, a.Counts = clock.Today(starts), counts == 1
	if err := db.Each(ctx, q, `SELECT kind FROM activity_kinds WHERE activity_id = ? ORDER BY kind`, []any{activityID}, func(r db.Scanner) error {
		var k string
		err := r.Scan(&k)
		a.Kinds = append(a.Kinds, k)
		return err
	}); err != nil {
		return nil, err
	}
	err = db.Each(ctx, q, `SELECT t.member_id FROM attendance t WHERE t.activity_id = ? AND t.state = 'present'
		AND t.id = (SELECT MAX(x.id) FROM attendance x WHERE x.activity_id = t.activity_id AND x.member_id = t.member_id)
		ORDER BY t.member_id`, []any{activityID}, func(r db.Scanner) error {
		var id int64
		err := r.Scan(&id)
		a.Present = append(a.Present, id)
		return err
	})
	return a, err
}

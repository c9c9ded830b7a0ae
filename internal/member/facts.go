package member

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dangjian/internal/org"
	"dangjian/internal/platform/db"
)

// The member facts other domains read (organizational life above all): each is one set-based
// query, or an SQL condition on members m to put into the caller's own aggregate query, so
// the SQL on members and memberships lives here.

// RollAtSQL is the condition on members m for being on an organization's roll on day: a 党小组's
// members whose home branch span covers the day; for a branch, the home members then and the
// second affiliates (临时党支部, 流入地) then.
func RollAtSQL(o *org.Ref, day string) (string, []any) {
	span := `s.from_date <= ? AND (s.to_date = '' OR s.to_date > ?)`
	if o.Kind == org.Group {
		return `m.group_id = ? AND EXISTS (SELECT 1 FROM memberships s WHERE s.member_id = m.id AND s.org_id = m.org_id AND s.kind = 'home' AND ` + span + `)`,
			[]any{o.ID, day, day}
	}
	return `m.id IN (SELECT s.member_id FROM memberships s WHERE s.org_id = ? AND ` + span + `)`, []any{o.ID, day, day}
}

// HomeAtSQL is the condition on members m for having their home branch at orgID on day — who
// is counted, appraised and talked with there.
func HomeAtSQL(orgID int64, day string) (string, []any) {
	return `m.id IN (SELECT s.member_id FROM memberships s WHERE s.org_id = ? AND s.kind = 'home' AND s.from_date <= ? AND (s.to_date = '' OR s.to_date > ?))`,
		[]any{orgID, day, day}
}

// Home returns a member's branch and its path, or "" when there is no such member.
func Home(ctx context.Context, q db.Querier, id int64) (path string, orgID int64, err error) {
	err = q.QueryRow(ctx, `SELECT org_path, org_id FROM members WHERE id = ?`, id).Scan(&path, &orgID)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, nil
	}
	return path, orgID, err
}

// Activity is what organizational life keeps on a member: their branch and group, when they
// last took part and the months since (the 6-month rule's figure).
type Activity struct {
	OrgID, GroupID int64
	LastActiveAt   *time.Time
	LapseMonths    int
}

// ActivityOf reads a member's Activity.
func ActivityOf(ctx context.Context, q db.Querier, id int64) (Activity, error) {
	var a Activity
	var last sql.NullTime
	err := q.QueryRow(ctx, `SELECT org_id, COALESCE(group_id, 0), last_active_at, lapse_months FROM members WHERE id = ?`, id).
		Scan(&a.OrgID, &a.GroupID, &last, &a.LapseMonths)
	if last.Valid {
		t := last.Time.UTC()
		a.LastActiveAt = &t
	}
	return a, err
}

// InOrg returns the name and branch of a member of orgID or of its 党小组 orgID;
// sql.ErrNoRows when the member is neither.
func InOrg(ctx context.Context, q db.Querier, id, orgID int64) (name string, branch int64, err error) {
	err = q.QueryRow(ctx, `SELECT name, org_id FROM members WHERE id = ? AND (org_id = ? OR group_id = ?)`, id, orgID, orgID).Scan(&name, &branch)
	return name, branch, err
}

// Branches lists the organizations that members are at home in, by id.
func Branches(ctx context.Context, q db.Querier) ([]int64, error) {
	return db.All(ctx, q, `SELECT DISTINCT org_id FROM members ORDER BY org_id`, nil, func(r db.Scanner) (int64, error) {
		var id int64
		err := r.Scan(&id)
		return id, err
	})
}

// Named is a member's id and name.
type Named struct {
	ID   int64
	Name string
}

// HomeIn lists, by name, the members of o on day whose status is one of statuses: the home
// members of a branch then; of a 党小组, its current members who had joined by day.
func HomeIn(ctx context.Context, q db.Querier, o *org.Ref, day string, statuses []string) ([]Named, error) {
	cond, args := HomeAtSQL(o.ID, day)
	if o.Kind == org.Group {
		cond, args = `m.group_id = ? AND m.join_date <= ?`, []any{o.ID, day}
	}
	for _, s := range statuses {
		args = append(args, s)
	}
	return db.All(ctx, q, `SELECT m.id, m.name FROM members m WHERE `+cond+` AND m.status IN (`+db.Placeholders(len(statuses))+`) ORDER BY m.name_key, m.id`,
		args, func(r db.Scanner) (Named, error) {
			var n Named
			err := r.Scan(&n.ID, &n.Name)
			return n, err
		})
}
